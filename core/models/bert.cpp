#include "models/bert.h"

#include "engine/attentionmodel.h"
#include "models/hfconfig.h"
#include "models/safetensors.h"
#include "util/messagetext.h"

#include <algorithm>

namespace attnviz {

namespace {

void geluInPlace(Matrix& x, bool tanhApproximation)
{
    if (tanhApproximation) {
        geluTanhInPlace(x);
    } else {
        geluErfInPlace(x);
    }
}

} // namespace

namespace {

// Tensor names of one encoder family; layer names are relative to "<layers>N.".
struct EncoderNames
{
    std::string prefix, word, position, type, embNorm, layers;
    std::string q, k, v, o, attnNorm, inner, outer, outNorm;
    std::string transform, transformNorm, decoder, decoderBias, decoderBiasAlt;
};

EncoderNames bertNames(const SafetensorsArchive& w)
{
    EncoderNames n;
    n.prefix = w.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
    n.word = "embeddings.word_embeddings";
    n.position = "embeddings.position_embeddings";
    n.type = "embeddings.token_type_embeddings";
    n.embNorm = "embeddings.LayerNorm";
    n.layers = "encoder.layer.";
    n.q = "attention.self.query";
    n.k = "attention.self.key";
    n.v = "attention.self.value";
    n.o = "attention.output.dense";
    n.attnNorm = "attention.output.LayerNorm";
    n.inner = "intermediate.dense";
    n.outer = "output.dense";
    n.outNorm = "output.LayerNorm";
    n.transform = "cls.predictions.transform.dense";
    n.transformNorm = "cls.predictions.transform.LayerNorm";
    n.decoder = "cls.predictions.decoder.weight";
    n.decoderBias = "cls.predictions.bias";
    n.decoderBiasAlt = "cls.predictions.decoder.bias";
    return n;
}

EncoderNames distilbertNames(const SafetensorsArchive& w)
{
    EncoderNames n;
    n.prefix = w.contains("distilbert.embeddings.word_embeddings.weight") ? "distilbert." : "";
    n.word = "embeddings.word_embeddings";
    n.position = "embeddings.position_embeddings";
    n.embNorm = "embeddings.LayerNorm"; // no token types in DistilBERT
    n.layers = "transformer.layer.";
    n.q = "attention.q_lin";
    n.k = "attention.k_lin";
    n.v = "attention.v_lin";
    n.o = "attention.out_lin";
    n.attnNorm = "sa_layer_norm";
    n.inner = "ffn.lin1";
    n.outer = "ffn.lin2";
    n.outNorm = "output_layer_norm";
    n.transform = "vocab_transform";
    n.transformNorm = "vocab_layer_norm";
    n.decoder = "vocab_projector.weight";
    n.decoderBias = "vocab_projector.bias";
    return n;
}

} // namespace

std::unique_ptr<Bert> Bert::load(const HfConfig& config, const SafetensorsArchive& weights)
{
    const bool distil = config.stringOr("model_type", "bert") == "distilbert";
    auto model = std::make_unique<Bert>();
    TransformerInfo& info = model->m_info;
    info.family = distil ? "distilbert" : "bert";
    const char* widthKey = distil ? "dim" : "hidden_size";
    const char* layersKey = distil ? "n_layers" : "num_hidden_layers";
    const char* headsKey = distil ? "n_heads" : "num_attention_heads";
    const char* innerKey = distil ? "hidden_dim" : "intermediate_size";
    info.dModel = config.requiredSize(widthKey, SizeKind::Width);
    info.layers = config.requiredSize(layersKey, SizeKind::Layers);
    info.heads = config.requiredSize(headsKey, SizeKind::Heads);
    info.kvHeads = info.heads;
    info.vocab = config.requiredSize("vocab_size", SizeKind::Vocabulary);
    info.maxPositions = config.sizeOr("max_position_embeddings", SizeKind::Positions, 512);
    info.storedPositions = true;
    info.causal = false;
    info.segments = !distil;
    info.padId = config.tokenIdOr("pad_token_id", 0);
    if (info.dModel % info.heads != 0) {
        throw ModelLoadError(config.path() + ": \"" + widthKey + "\" must be a multiple of \"" + headsKey + "\"");
    }
    const std::string posType = config.stringOr("position_embedding_type", "absolute");
    if (posType != "absolute" || config.boolOr("sinusoidal_pos_embds", false)) {
        throw ModelLoadError(config.path() + ": only learned absolute position embeddings are supported");
    }
    const std::string act = config.stringOr(distil ? "activation" : "hidden_act", "gelu");
    if (act != "gelu" && act != "gelu_new" && act != "gelu_pytorch_tanh") {
        throw ModelLoadError(config.path() + ": activation " + quotedForMessage(act) + " is not supported");
    }
    model->m_tanhGelu = act != "gelu";
    model->m_eps = config.floatOr("layer_norm_eps", 1e-12f);
    const int d = info.dModel;
    const int inner = config.requiredSize(innerKey, SizeKind::Intermediate);
    const int types = distil ? 1 : config.sizeOr("type_vocab_size", SizeKind::TokenTypes, 2);
    const EncoderNames n = distil ? distilbertNames(weights) : bertNames(weights);

    // Every size is compared with the header before any tensor is read.
    const std::string& p = n.prefix;
    const std::string from = config.path() + " (\"" + widthKey + "\", ";
    const std::string first = p + n.layers + "0.";
    weights.checkShape(p + n.word + ".weight", {info.vocab, d}, from + "\"vocab_size\")");
    weights.checkShape(p + n.position + ".weight", {info.maxPositions, d}, from + "\"max_position_embeddings\")");
    if (!distil)
        weights.checkShape(p + n.type + ".weight", {types, d}, from + "\"type_vocab_size\")");
    weights.checkShape(first + n.inner + ".weight", {inner, d}, from + "\"" + innerKey + "\")");
    weights.checkShape(p + n.layers + std::to_string(info.layers - 1) + "." + n.q + ".weight", {d, d},
                       from + "\"" + layersKey + "\")");

    auto linear = [&](const std::string& name, int in, int out) {
        return Linear(weights.matrix(name + ".weight", out, in).transpose(), weights.vector(name + ".bias", out));
    };
    // LayerNorm parameters: "weight"/"bias", or "gamma"/"beta" in checkpoints converted from TensorFlow.
    auto norm = [&](const std::string& name, RowVector& gain, RowVector& bias) {
        const bool old = !weights.contains(name + ".weight") && weights.contains(name + ".gamma");
        gain = weights.vector(name + (old ? ".gamma" : ".weight"), d);
        bias = weights.vector(name + (old ? ".beta" : ".bias"), d);
    };
    model->m_word = weights.matrix(p + n.word + ".weight", info.vocab, d);
    model->m_position = weights.matrix(p + n.position + ".weight", info.maxPositions, d);
    model->m_type = distil ? Matrix(Matrix::Zero(1, d)) : weights.matrix(p + n.type + ".weight", types, d);
    norm(p + n.embNorm, model->m_embGain, model->m_embBias);
    for (int l = 0; l < info.layers; ++l) {
        const std::string q = p + n.layers + std::to_string(l) + ".";
        BertLayer layer;
        layer.wq = linear(q + n.q, d, d);
        layer.wk = linear(q + n.k, d, d);
        layer.wv = linear(q + n.v, d, d);
        layer.wo = linear(q + n.o, d, d);
        norm(q + n.attnNorm, layer.ln1Gain, layer.ln1Bias);
        layer.intermediate = linear(q + n.inner, d, inner);
        layer.output = linear(q + n.outer, inner, d);
        norm(q + n.outNorm, layer.ln2Gain, layer.ln2Bias);
        model->m_layers.push_back(std::move(layer));
    }
    info.hasLmHead = weights.contains(n.transform + ".weight");
    if (info.hasLmHead) {
        model->m_transform = linear(n.transform, d, d);
        norm(n.transformNorm, model->m_transformGain, model->m_transformBias);
        // The decoder is tied to the word embedding; safetensors usually omits the tied copy.
        if (weights.contains(n.decoder))
            model->m_decoder = weights.matrix(n.decoder, info.vocab, d);
        model->m_decoderBias = weights.contains(n.decoderBias) || n.decoderBiasAlt.empty()
                                   ? weights.vector(n.decoderBias, info.vocab)
                                   : weights.vector(n.decoderBiasAlt, info.vocab);
    } else {
        info.notes.push_back("this checkpoint has no masked-LM head; no predictions are shown");
    }
    return model;
}

ForwardResult Bert::forward(const std::vector<int>& ids, const std::vector<int>& segments,
                            const ForwardOptions& options) const
{
    const Index T = static_cast<Index>(ids.size());
    const int d = m_info.dModel;
    ForwardResult result = beginForward(m_info, T, options);

    Matrix x(T, d); // (T, d) hidden states
    for (Index t = 0; t < T; ++t) {
        const int type = segments.empty() ? 0 : std::clamp(segments[t], 0, static_cast<int>(m_type.rows()) - 1);
        x.row(t) = m_word.row(ids[t]) + m_position.row(t) + m_type.row(type);
    }
    x = layerNorm(x, m_embGain, m_embBias, m_eps);
    for (int l = 0; l < m_info.layers; ++l) {
        throwIfCancelled(options.cancel);
        const BertLayer& layer = m_layers[l];
        const Matrix concat = attendHeads(applyLinear(x, layer.wq), applyLinear(x, layer.wk), applyLinear(x, layer.wv),
                                          m_info.heads, m_info.heads, layerAttentionOptions(l, options, result));
        const Matrix attnOut = applyLinear(concat, layer.wo); // (T, d)
        if (result.pipeline && result.pipeline->layer == l) {
            capturePipeline(l, result, x, {layer.wq}, {layer.wk}, {layer.wv}, m_info.heads, m_info.heads, concat, layer.wo,
                            attnOut,
                            "BERT adds biases: Q = X·W_Q + b_Q (likewise K, V and the output); X is the layer input "
                            "(BERT normalises after each block, not before)");
        }
        x = layerNorm(x + attnOut, layer.ln1Gain, layer.ln1Bias, m_eps);
        Matrix hidden = applyLinear(x, layer.intermediate); // (T, inner)
        geluInPlace(hidden, m_tanhGelu);
        x = layerNorm(x + applyLinear(hidden, layer.output), layer.ln2Gain, layer.ln2Bias, m_eps);
    }
    throwIfCancelled(options.cancel);
    result.hidden = std::move(x);
    if (m_info.hasLmHead && options.logits != LogitRows::None && T > 0) {
        const Matrix rows = options.logits == LogitRows::All ? result.hidden : Matrix(result.hidden.bottomRows(1));
        Matrix z = applyLinear(rows, m_transform);
        geluInPlace(z, m_tanhGelu);
        z = layerNorm(z, m_transformGain, m_transformBias, m_eps);
        result.logits = multiplyTransposed(z, m_decoder.size() > 0 ? m_decoder : m_word);
        result.logits.rowwise() += m_decoderBias;
    }
    return result;
}

} // namespace attnviz
