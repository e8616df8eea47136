#include "models/bart.h"

#include "engine/attentionmodel.h"
#include "models/hfconfig.h"
#include "models/weightarchive.h"
#include "util/checkednumbers.h"
#include "util/messagetext.h"

#include <cmath>

namespace attnviz {

namespace {

// What distinguishes the families this builder reads, by model_type.
BartVariant variantOf(const std::string& type)
{
    BartVariant v;
    if (type == "mbart") {
        v.preNorm = true;
        v.sourceStartsWithBos = false;
        v.name = "mBART";
    } else if (type == "marian") {
        v.embeddingNorm = false;
        v.positionOffset = 0;
        v.sinusoidal = true;
        v.sourceStartsWithBos = false;
        v.name = "Marian";
    }
    return v;
}

} // namespace

Matrix marianSinusoids(Index positions, Index width)
{
    Matrix out(positions, width);
    const Index half = (width + 1) / 2;
    for (Index p = 0; p < positions; ++p) {
        for (Index j = 0; j < width; ++j) {
            const Index pair = j < half ? j : j - half; // sin and cos of one frequency share a pair index
            const double angle = static_cast<double>(p) / std::pow(10000.0, 2.0 * static_cast<double>(pair) / width);
            out(p, j) = static_cast<float>(j < half ? std::sin(angle) : std::cos(angle));
        }
    }
    return out;
}

std::unique_ptr<Bart> Bart::load(const HfConfig& config, const WeightArchive& weights)
{
    auto model = std::make_unique<Bart>();
    const std::string type = config.stringOr("model_type", "bart");
    const BartVariant variant = variantOf(type);
    model->m_variant = variant;
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
    const int positionRows = checked::add<ModelLoadError>(info.maxPositions, variant.positionOffset,
                                                          "max_position_embeddings + its offset");
    const int d = info.dModel;
    if (d % info.heads != 0 || d % model->m_encoderHeads != 0) {
        throw ModelLoadError(config.path() + ": \"d_model\" must be a multiple of \"encoder_attention_heads\" and "
                                             "\"decoder_attention_heads\"");
    }
    if (model->m_decoderStart >= info.vocab)
        throw ModelLoadError(config.path() + ": \"decoder_start_token_id\" is outside the vocabulary");
    if (type == "bart" && (config.boolOr("normalize_before", false) || config.boolOr("add_final_layer_norm", false))) {
        throw ModelLoadError(config.path() + ": a BART config with normalize_before or add_final_layer_norm is an "
                                             "mBART-style model; its model_type should say mbart");
    }
    if (type == "marian" && !config.boolOr("share_encoder_decoder_embeddings", true)) {
        throw ModelLoadError(config.path() + ": Marian models with separate decoder embeddings "
                                             "(share_encoder_decoder_embeddings false) are not supported");
    }
    model->m_activation = activationNamed(config.stringOr("activation_function", "gelu"),
                                          config.path() + ": \"activation_function\"");
    model->m_embedScale = config.boolOr("scale_embedding", false) ? std::sqrt(static_cast<float>(d)) : 1.0f;

    // Every size is compared with the header before any tensor is read.
    const std::string shared = weights.contains("model.shared.weight") ? "model.shared.weight"
                                                                       : "model.encoder.embed_tokens.weight";
    const std::string from = config.path() + " (\"d_model\", ";
    weights.checkShape(shared, {info.vocab, d}, from + "\"vocab_size\")");
    for (const char* s : {"model.encoder.", "model.decoder."}) {
        const std::string table = std::string(s) + "embed_positions.weight";
        if (!variant.sinusoidal || weights.contains(table))
            weights.checkShape(table, {positionRows, d}, from + "\"max_position_embeddings\")");
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
    auto norm = [&](const std::string& name, RowVector& gain, RowVector& bias) {
        gain = weights.vector(name + ".weight", d);
        bias = weights.vector(name + ".bias", d);
    };
    auto attention = [&](const std::string& p, const std::string& normName) {
        BartAttention a;
        a.q = linear(p + "q_proj", d, d);
        a.k = linear(p + "k_proj", d, d);
        a.v = linear(p + "v_proj", d, d);
        a.o = linear(p + "out_proj", d, d);
        norm(normName, a.normGain, a.normBias);
        return a;
    };
    auto stack = [&](const std::string& name, int layers, int ffn, bool cross) {
        const std::string s = "model." + name + ".";
        BartStack st;
        const std::string table = s + "embed_positions.weight";
        st.positions = variant.sinusoidal && !weights.contains(table) ? marianSinusoids(positionRows, d)
                                                                      : weights.matrix(table, positionRows, d);
        if (variant.embeddingNorm)
            norm(s + "layernorm_embedding", st.embGain, st.embBias);
        if (variant.preNorm)
            norm(s + "layer_norm", st.finalGain, st.finalBias);
        for (int l = 0; l < layers; ++l) {
            const std::string p = s + "layers." + std::to_string(l) + ".";
            BartLayer layer;
            layer.self = attention(p + "self_attn.", p + "self_attn_layer_norm");
            if (cross)
                layer.cross = attention(p + "encoder_attn.", p + "encoder_attn_layer_norm");
            layer.fc1 = linear(p + "fc1", d, ffn);
            layer.fc2 = linear(p + "fc2", ffn, d);
            norm(p + "final_layer_norm", layer.normGain, layer.normBias);
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
        x.row(t) = m_shared.row(ids[static_cast<std::size_t>(t)]) * m_embedScale +
                   stack.positions.row(t + m_variant.positionOffset);
    }
    return m_variant.embeddingNorm ? layerNorm(x, stack.embGain, stack.embBias, m_eps) : x;
}

Matrix Bart::attend(const Matrix& x, const Matrix& source, const BartAttention& w, int heads, Seq2SeqStack stack,
                    int layer, const Seq2SeqOptions& options, Seq2SeqResult& result) const
{
    const Seq2SeqStep step{stack, layer, heads, 0, nullptr,
                           stack == Seq2SeqStack::Cross
                               ? "cross-attention: queries from the decoder, keys and values from the encoder "
                                 "output; Q = X·W_Q + b_Q, K = X_src·W_K + b_K"
                               : std::string(m_variant.name) +
                                     " adds biases: Q = X·W_Q + b_Q (likewise K, V and the output)" +
                                     (m_variant.preNorm ? "; X is the LayerNorm of the residual stream" : "")};
    return attendSeq2Seq(x, source, {w.q, w.k, w.v, w.o}, step, options, result);
}

Matrix Bart::mlp(const Matrix& x, const BartLayer& layer) const
{
    Matrix h = applyLinear(x, layer.fc1);
    activateInPlace(m_activation, h);
    return applyLinear(h, layer.fc2);
}

Matrix Bart::tracedMlp(const Matrix& x, const BartLayer& layer, Seq2SeqBlockTrace& trace) const
{
    Matrix out = mlp(x, layer);
    trace.mlp(out);
    return out;
}

template <typename F>
Matrix Bart::residual(const Matrix& x, const RowVector& gain, const RowVector& bias, F&& f) const
{
    if (m_variant.preNorm)
        return x + f(layerNorm(x, gain, bias, m_eps));
    return layerNorm(x + f(x), gain, bias, m_eps);
}

Matrix Bart::closeStack(Matrix x, const BartStack& stack) const
{
    return stack.finalGain.size() > 0 ? layerNorm(x, stack.finalGain, stack.finalBias, m_eps) : x;
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
        const BartLayer& layer = m_encoder.layers[static_cast<std::size_t>(l)];
        Seq2SeqBlockTrace trace(result, false, l, !m_variant.preNorm);
        trace.beforeAttention(Seq2SeqStack::Encoder, x);
        x = residual(x, layer.self.normGain, layer.self.normBias, [&](const Matrix& in) {
            return attend(in, in, layer.self, m_encoderHeads, Seq2SeqStack::Encoder, l, options, result);
        });
        trace.afterAttention(Seq2SeqStack::Encoder, x);
        x = residual(x, layer.normGain, layer.normBias, [&](const Matrix& in) { return tracedMlp(in, layer, trace); });
        trace.end(x);
    }
    result.encoderHidden = closeStack(std::move(x), m_encoder);

    Matrix y = embed(m_decoder, target); // (T, d)
    for (int l = 0; l < m_info.layers; ++l) {
        throwIfCancelled(options.cancel);
        const BartLayer& layer = m_decoder.layers[static_cast<std::size_t>(l)];
        Seq2SeqBlockTrace trace(result, true, l, !m_variant.preNorm);
        trace.beforeAttention(Seq2SeqStack::Decoder, y);
        y = residual(y, layer.self.normGain, layer.self.normBias, [&](const Matrix& in) {
            return attend(in, in, layer.self, m_info.heads, Seq2SeqStack::Decoder, l, options, result);
        });
        trace.afterAttention(Seq2SeqStack::Decoder, y);
        trace.beforeAttention(Seq2SeqStack::Cross, y);
        y = residual(y, layer.cross.normGain, layer.cross.normBias, [&](const Matrix& in) {
            return attend(in, result.encoderHidden, layer.cross, m_info.heads, Seq2SeqStack::Cross, l, options, result);
        });
        trace.afterAttention(Seq2SeqStack::Cross, y);
        y = residual(y, layer.normGain, layer.normBias, [&](const Matrix& in) { return tracedMlp(in, layer, trace); });
        trace.end(y);
    }
    throwIfCancelled(options.cancel);
    result.hidden = closeStack(std::move(y), m_decoder);
    if (options.logits != LogitRows::None && T > 0) {
        result.logits = multiplyTransposed(
            options.logits == LogitRows::All ? result.hidden : Matrix(result.hidden.bottomRows(1)), m_shared);
        result.logits.rowwise() += m_logitsBias;
    }
    return result;
}

} // namespace attnviz
