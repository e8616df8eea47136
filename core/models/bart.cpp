#include "models/bart.h"

#include "engine/attentionmodel.h"
#include "models/hfconfig.h"
#include "models/safetensors.h"
#include "util/checkednumbers.h"
#include "util/messagetext.h"

#include <cmath>

namespace attnviz {

namespace {

constexpr int positionOffset = 2; // BartLearnedPositionalEmbedding reserves two rows

} // namespace

std::unique_ptr<Bart> Bart::load(const HfConfig& config, const SafetensorsArchive& weights)
{
    auto model = std::make_unique<Bart>();
    TransformerInfo& info = model->m_info;
    info.family = "seq2seq";
    info.dModel = config.requiredSize("d_model", SizeKind::Width);
    info.layers = config.requiredSize("decoder_layers", SizeKind::Layers);
    info.heads = config.requiredSize("decoder_attention_heads", SizeKind::Heads);
    info.kvHeads = info.heads;
    info.vocab = config.requiredSize("vocab_size", SizeKind::Vocabulary);
    info.maxPositions = config.sizeOr("max_position_embeddings", SizeKind::Positions, 1024);
    info.storedPositions = true;
    info.causal = true;
    info.padId = config.tokenIdOr("pad_token_id", 1);
    model->m_encoderHeads = config.requiredSize("encoder_attention_heads", SizeKind::Heads);
    model->m_bos = config.tokenIdOr("bos_token_id", 0);
    model->m_eos = config.tokenIdOr("eos_token_id", 2);
    model->m_decoderStart = config.tokenIdOr("decoder_start_token_id", model->m_eos);
    const int encoderLayers = config.requiredSize("encoder_layers", SizeKind::Layers);
    const int encoderFfn = config.requiredSize("encoder_ffn_dim", SizeKind::Intermediate);
    const int decoderFfn = config.requiredSize("decoder_ffn_dim", SizeKind::Intermediate);
    const int positionRows =
        checked::add<ModelLoadError>(info.maxPositions, positionOffset, "max_position_embeddings + 2");
    const int d = info.dModel;
    if (d % info.heads != 0 || d % model->m_encoderHeads != 0) {
        throw ModelLoadError(config.path() + ": \"d_model\" must be a multiple of \"encoder_attention_heads\" and "
                                             "\"decoder_attention_heads\"");
    }
    if (model->m_decoderStart >= info.vocab)
        throw ModelLoadError(config.path() + ": \"decoder_start_token_id\" is outside the vocabulary");
    if (config.boolOr("normalize_before", false) || config.boolOr("add_final_layer_norm", false)) {
        throw ModelLoadError(config.path() + ": pre-LayerNorm BART variants (mBART) are not supported");
    }
    const std::string act = config.stringOr("activation_function", "gelu");
    if (act != "gelu")
        throw ModelLoadError(config.path() + ": activation_function " + quotedForMessage(act) + " is not supported");
    model->m_embedScale = config.boolOr("scale_embedding", false) ? std::sqrt(static_cast<float>(d)) : 1.0f;

    // Every size is compared with the header before any tensor is read.
    const std::string shared = weights.contains("model.shared.weight") ? "model.shared.weight"
                                                                       : "model.encoder.embed_tokens.weight";
    const std::string from = config.path() + " (\"d_model\", ";
    weights.checkShape(shared, {info.vocab, d}, from + "\"vocab_size\")");
    for (const char* s : {"model.encoder.", "model.decoder."}) {
        weights.checkShape(std::string(s) + "embed_positions.weight", {positionRows, d},
                           from + "\"max_position_embeddings\" + 2)");
    }
    weights.checkShape("model.encoder.layers.0.fc1.weight", {encoderFfn, d}, from + "\"encoder_ffn_dim\")");
    weights.checkShape("model.decoder.layers.0.fc1.weight", {decoderFfn, d}, from + "\"decoder_ffn_dim\")");
    weights.checkShape("model.encoder.layers." + std::to_string(encoderLayers - 1) + ".fc1.weight", {encoderFfn, d},
                       from + "\"encoder_layers\")");
    weights.checkShape("model.decoder.layers." + std::to_string(info.layers - 1) + ".fc1.weight", {decoderFfn, d},
                       from + "\"decoder_layers\")");

    auto linear = [&](const std::string& name, int in, int out) {
        return Linear(weights.matrix(name + ".weight", out, in).transpose(), weights.vector(name + ".bias", out));
    };
    auto attention = [&](const std::string& p, const std::string& norm) {
        BartAttention a;
        a.q = linear(p + "q_proj", d, d);
        a.k = linear(p + "k_proj", d, d);
        a.v = linear(p + "v_proj", d, d);
        a.o = linear(p + "out_proj", d, d);
        a.normGain = weights.vector(norm + ".weight", d);
        a.normBias = weights.vector(norm + ".bias", d);
        return a;
    };
    auto stack = [&](const std::string& name, int layers, int ffn, bool cross) {
        const std::string s = "model." + name + ".";
        BartStack st;
        st.positions = weights.matrix(s + "embed_positions.weight", positionRows, d);
        st.embGain = weights.vector(s + "layernorm_embedding.weight", d);
        st.embBias = weights.vector(s + "layernorm_embedding.bias", d);
        for (int l = 0; l < layers; ++l) {
            const std::string p = s + "layers." + std::to_string(l) + ".";
            BartLayer layer;
            layer.self = attention(p + "self_attn.", p + "self_attn_layer_norm");
            if (cross)
                layer.cross = attention(p + "encoder_attn.", p + "encoder_attn_layer_norm");
            layer.fc1 = linear(p + "fc1", d, ffn);
            layer.fc2 = linear(p + "fc2", ffn, d);
            layer.normGain = weights.vector(p + "final_layer_norm.weight", d);
            layer.normBias = weights.vector(p + "final_layer_norm.bias", d);
            st.layers.push_back(std::move(layer));
        }
        return st;
    };
    model->m_shared = weights.matrix(shared, info.vocab, d);
    model->m_logitsBias = weights.contains("final_logits_bias")
                              ? RowVector(weights.matrix("final_logits_bias", 1, info.vocab).row(0))
                              : RowVector::Zero(info.vocab);
    model->m_encoder = stack("encoder", encoderLayers, encoderFfn, false);
    model->m_decoder = stack("decoder", info.layers, decoderFfn, true);
    return model;
}

Matrix Bart::embed(const BartStack& stack, const std::vector<int>& ids) const
{
    Matrix x(static_cast<Index>(ids.size()), m_info.dModel);
    for (Index t = 0; t < x.rows(); ++t) {
        x.row(t) = m_shared.row(ids[t]) * m_embedScale + stack.positions.row(t + positionOffset);
    }
    return layerNorm(x, stack.embGain, stack.embBias, m_eps);
}

Matrix Bart::attend(const Matrix& x, const Matrix& source, const BartAttention& w, int heads, Seq2SeqStack stack,
                    int layer, const Seq2SeqOptions& options, Seq2SeqResult& result) const
{
    const Seq2SeqStep step{stack, layer, heads, 0, nullptr,
                           stack == Seq2SeqStack::Cross
                               ? "cross-attention: queries from the decoder, keys and values from the encoder "
                                 "output; Q = X·W_Q + b_Q, K = X_src·W_K + b_K"
                               : "BART adds biases: Q = X·W_Q + b_Q (likewise K, V and the output)"};
    return attendSeq2Seq(x, source, {w.q, w.k, w.v, w.o}, step, options, result);
}

Matrix Bart::feedForward(const Matrix& x, const BartLayer& layer) const
{
    Matrix h = applyLinear(x, layer.fc1);
    geluErfInPlace(h);
    return layerNorm(x + applyLinear(h, layer.fc2), layer.normGain, layer.normBias, m_eps);
}

Seq2SeqResult Bart::forward(const std::vector<int>& source, const std::vector<int>& target,
                            const Seq2SeqOptions& options) const
{
    const int S = static_cast<int>(source.size());
    const int T = static_cast<int>(target.size());
    Seq2SeqResult result = beginForward(S, T, options);

    Matrix x = embed(m_encoder, source); // (S, d)
    for (int l = 0; l < encoderLayers(); ++l) {
        throwIfCancelled(options.cancel);
        const BartLayer& layer = m_encoder.layers[l];
        const Matrix a = attend(x, x, layer.self, m_encoderHeads, Seq2SeqStack::Encoder, l, options, result);
        x = feedForward(layerNorm(x + a, layer.self.normGain, layer.self.normBias, m_eps), layer);
    }
    result.encoderHidden = std::move(x);

    Matrix y = embed(m_decoder, target); // (T, d)
    for (int l = 0; l < m_info.layers; ++l) {
        throwIfCancelled(options.cancel);
        const BartLayer& layer = m_decoder.layers[l];
        const Matrix a = attend(y, y, layer.self, m_info.heads, Seq2SeqStack::Decoder, l, options, result);
        y = layerNorm(y + a, layer.self.normGain, layer.self.normBias, m_eps);
        const Matrix c =
            attend(y, result.encoderHidden, layer.cross, m_info.heads, Seq2SeqStack::Cross, l, options, result);
        y = feedForward(layerNorm(y + c, layer.cross.normGain, layer.cross.normBias, m_eps), layer);
    }
    throwIfCancelled(options.cancel);
    result.hidden = std::move(y);
    if (options.logits != LogitRows::None && T > 0) {
        result.logits = multiplyTransposed(
            options.logits == LogitRows::All ? result.hidden : Matrix(result.hidden.bottomRows(1)), m_shared);
        result.logits.rowwise() += m_logitsBias;
    }
    return result;
}

} // namespace attnviz
