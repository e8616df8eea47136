#include "models/t5.h"

#include "engine/attentionmodel.h"
#include "models/hfconfig.h"
#include "models/weightarchive.h"
#include "util/checkednumbers.h"
#include "util/messagetext.h"

#include <cmath>
#include <cstdlib>

namespace attnviz {

int t5RelativeBucket(int relative, bool bidirectional, int buckets, int maxDistance)
{
    int bucket = 0;
    int distance = 0;
    if (bidirectional) {
        buckets /= 2;
        bucket += relative > 0 ? buckets : 0;
        distance = std::abs(relative);
    } else {
        distance = relative < 0 ? -relative : 0;
    }
    const int maxExact = buckets / 2;
    if (distance < maxExact)
        return bucket + distance;
    // In float32, as transformers computes it, so the bucket edges fall where the model learned them.
    const float logRatio = std::log(static_cast<float>(distance) / static_cast<float>(maxExact));
    const auto logRange = static_cast<float>(std::log(static_cast<double>(maxDistance) / maxExact));
    const int large = maxExact + static_cast<int>(logRatio / logRange * static_cast<float>(buckets - maxExact));
    return bucket + std::min(large, buckets - 1);
}

std::unique_ptr<T5> T5::load(const HfConfig& config, const WeightArchive& weights)
{
    auto model = std::make_unique<T5>();
    TransformerInfo& info = model->m_info;
    info.family = config.stringOr("model_type", "t5");
    info.dModel = config.requiredSize("d_model", SizeKind::Width);
    const int encoderLayers = config.requiredSize("num_layers", SizeKind::Layers);
    info.layers = config.sizeOr("num_decoder_layers", SizeKind::Layers, encoderLayers);
    info.heads = config.requiredSize("num_heads", SizeKind::Heads);
    info.kvHeads = info.heads;
    info.vocab = config.requiredSize("vocab_size", SizeKind::Vocabulary);
    info.maxPositions = config.sizeOr("n_positions", SizeKind::Positions, 512); // relative positions: a soft limit
    info.storedPositions = false;
    info.causal = true;
    info.padId = config.tokenIdOr("pad_token_id", 0);
    model->m_eos = config.tokenIdOr("eos_token_id", 1);
    model->m_decoderStart = config.tokenIdOr("decoder_start_token_id", info.padId);
    model->m_eps = config.floatOr("layer_norm_epsilon", 1e-6f);
    model->m_buckets = config.sizeOr("relative_attention_num_buckets", SizeKind::Positions, 32);
    model->m_maxDistance = config.sizeOr("relative_attention_max_distance", SizeKind::Positions, 128);
    if (model->m_buckets < 4)
        throw ModelLoadError(config.path() + ": \"relative_attention_num_buckets\" must be at least 4");
    if (model->m_maxDistance <= model->m_buckets / 4)
        throw ModelLoadError(config.path() + ": \"relative_attention_max_distance\" must exceed a quarter of the buckets");
    if (model->m_decoderStart >= info.vocab)
        throw ModelLoadError(config.path() + ": \"decoder_start_token_id\" is outside the vocabulary");
    const int kv = config.requiredSize("d_kv", SizeKind::HeadSize);
    const int ff = config.requiredSize("d_ff", SizeKind::Intermediate);
    const int inner = checked::mul<ModelLoadError>(info.heads, kv, "num_heads × d_kv");
    // feed_forward_proj: "relu", "gelu" or "gated-<act>"; transformers maps gated-gelu to the tanh GELU.
    std::string act = config.stringOr("feed_forward_proj", "relu");
    if (act.rfind("gated-", 0) == 0) {
        model->m_gated = true;
        act = act.substr(6);
        if (act == "gelu")
            act = "gelu_new";
    }
    model->m_activation = activationNamed(act, config.path() + ": \"feed_forward_proj\"");
    const bool tied = config.boolOr("tie_word_embeddings", true);
    const int d = info.dModel;
    const Index wiRows = model->m_gated ? 2 * static_cast<Index>(ff) : ff;

    // Every size against the header before a tensor is read.
    std::string shared = "shared.weight";
    for (const char* alt : {"encoder.embed_tokens.weight", "decoder.embed_tokens.weight"}) {
        if (!weights.contains(shared) && weights.contains(alt))
            shared = alt;
    }
    const std::string from = config.path() + " (";
    weights.checkShape(shared, {info.vocab, d}, from + "\"vocab_size\", \"d_model\")");
    for (const auto& [stack, layers] : {std::pair<std::string, int>{"encoder", encoderLayers}, {"decoder", info.layers}}) {
        const std::string b0 = stack + ".block.0.layer.0.SelfAttention.";
        weights.checkShape(b0 + "q.weight", {inner, d}, from + "\"num_heads\", \"d_kv\", \"d_model\")");
        weights.checkShape(b0 + "relative_attention_bias.weight", {model->m_buckets, info.heads},
                           from + "\"relative_attention_num_buckets\", \"num_heads\")");
        const std::string ffLayer = stack == "encoder" ? ".layer.1." : ".layer.2.";
        const std::string last = stack + ".block." + std::to_string(layers - 1) + ffLayer + "DenseReluDense.";
        weights.checkShape(last + (model->m_gated ? "wi_0.weight" : "wi.weight"), {ff, d},
                           from + "\"d_ff\", \"num_layers\", \"feed_forward_proj\")");
    }

    auto linear = [&](const std::string& name, Index in, Index out) {
        return Linear(weights.matrix(name + ".weight", out, in).transpose());
    };
    auto attention = [&](const std::string& p, const char* kind) {
        T5Attention a;
        const std::string m = p + kind + ".";
        a.q = linear(m + "q", d, inner);
        a.k = linear(m + "k", d, inner);
        a.v = linear(m + "v", d, inner);
        a.o = linear(m + "o", inner, d);
        a.normGain = weights.vector(p + "layer_norm.weight", d);
        return a;
    };
    auto stack = [&](const std::string& name, int layers, bool decoder) {
        T5Stack st;
        for (int l = 0; l < layers; ++l) {
            const std::string p = name + ".block." + std::to_string(l) + ".layer.";
            T5Block b;
            b.self = attention(p + "0.", "SelfAttention");
            if (decoder)
                b.cross = attention(p + "1.", "EncDecAttention");
            const std::string f = p + (decoder ? "2." : "1.");
            if (model->m_gated) {
                Matrix wi(d, wiRows);
                wi << weights.matrix(f + "DenseReluDense.wi_0.weight", ff, d).transpose(),
                    weights.matrix(f + "DenseReluDense.wi_1.weight", ff, d).transpose();
                b.wi = Linear(wi);
            } else {
                b.wi = linear(f + "DenseReluDense.wi", d, ff);
            }
            b.wo = linear(f + "DenseReluDense.wo", ff, d);
            b.ffNormGain = weights.vector(f + "layer_norm.weight", d);
            st.blocks.push_back(std::move(b));
        }
        st.relativeBias = weights.matrix(name + ".block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                                         model->m_buckets, info.heads);
        st.finalNormGain = weights.vector(name + ".final_layer_norm.weight", d);
        return st;
    };
    model->m_shared = weights.matrix(shared, info.vocab, d);
    if (!tied) {
        if (!weights.contains("lm_head.weight"))
            throw ModelLoadError(config.path() + ": tie_word_embeddings is false but the checkpoint has no lm_head.weight");
        model->m_lmHead = weights.matrix("lm_head.weight", info.vocab, d);
    }
    model->m_encoder = stack("encoder", encoderLayers, false);
    model->m_decoder = stack("decoder", info.layers, true);
    info.notes.push_back("T5 does not divide scores by √d_k; each head adds a learned bias for the distance "
                         "between query and key (relative position buckets)");
    return model;
}

std::vector<float> T5::positionBias(const T5Stack& stack, Index T, Index S, bool bidirectional) const
{
    const int heads = m_info.heads;
    std::vector<float> bias(static_cast<std::size_t>(heads * T * S));
    for (Index i = 0; i < T; ++i) {
        for (Index j = 0; j < S; ++j) {
            const int bucket = t5RelativeBucket(static_cast<int>(j - i), bidirectional, m_buckets, m_maxDistance);
            for (int h = 0; h < heads; ++h)
                bias[static_cast<std::size_t>((h * T + i) * S + j)] = stack.relativeBias(bucket, h);
        }
    }
    return bias;
}

Matrix T5::embed(const std::vector<int>& ids) const
{
    Matrix x(static_cast<Index>(ids.size()), m_info.dModel);
    for (Index t = 0; t < x.rows(); ++t)
        x.row(t) = m_shared.row(ids[static_cast<std::size_t>(t)]);
    return x;
}

Matrix T5::feedForward(const Matrix& x, const T5Block& block) const
{
    Matrix h = applyLinear(rmsNorm(x, block.ffNormGain, m_eps), block.wi);
    if (m_gated) {
        const Index ff = h.cols() / 2;
        Matrix gate = h.leftCols(ff);
        activateInPlace(m_activation, gate);
        gate.array() *= h.rightCols(ff).array();
        return applyLinear(gate, block.wo);
    }
    activateInPlace(m_activation, h);
    return applyLinear(h, block.wo);
}

Seq2SeqResult T5::forward(const std::vector<int>& source, const std::vector<int>& target,
                          const Seq2SeqOptions& options) const
{
    const auto S = static_cast<Index>(source.size());
    const auto T = static_cast<Index>(target.size());
    Seq2SeqResult result = beginForward(S, T, options);
    const char* selfNote = "T5: X is the RMSNorm of the residual stream; scores are not scaled by 1/√d_k, and a "
                           "learned bias for each query–key distance bucket is added before the mask";
    const auto step = [&](Seq2SeqStack stack, int layer, const float* bias, const char* note) {
        Seq2SeqStep s{stack, layer, m_info.heads, 1.0f, bias, note};
        return s;
    };

    const std::vector<float> encoderBias = positionBias(m_encoder, S, S, true);
    Matrix x = embed(source); // (S, d)
    for (int l = 0; l < encoderLayers(); ++l) {
        throwIfCancelled(options.cancel);
        const T5Block& b = m_encoder.blocks[static_cast<std::size_t>(l)];
        Seq2SeqBlockTrace trace(result, false, l);
        trace.beforeAttention(Seq2SeqStack::Encoder, x);
        const Matrix xn = rmsNorm(x, b.self.normGain, m_eps);
        x += attendSeq2Seq(xn, xn, {b.self.q, b.self.k, b.self.v, b.self.o},
                           step(Seq2SeqStack::Encoder, l, encoderBias.data(), selfNote), options, result);
        trace.afterAttention(Seq2SeqStack::Encoder, x);
        const Matrix added = feedForward(x, b);
        trace.mlp(added);
        x += added;
        trace.end(x);
    }
    result.encoderHidden = rmsNorm(x, m_encoder.finalNormGain, m_eps);

    const std::vector<float> decoderBias = positionBias(m_decoder, T, T, false);
    Matrix y = embed(target); // (T, d)
    for (int l = 0; l < m_info.layers; ++l) {
        throwIfCancelled(options.cancel);
        const T5Block& b = m_decoder.blocks[static_cast<std::size_t>(l)];
        Seq2SeqBlockTrace trace(result, true, l);
        trace.beforeAttention(Seq2SeqStack::Decoder, y);
        const Matrix yn = rmsNorm(y, b.self.normGain, m_eps);
        y += attendSeq2Seq(yn, yn, {b.self.q, b.self.k, b.self.v, b.self.o},
                           step(Seq2SeqStack::Decoder, l, decoderBias.data(), selfNote), options, result);
        trace.afterAttention(Seq2SeqStack::Decoder, y);
        trace.beforeAttention(Seq2SeqStack::Cross, y);
        const Matrix cn = rmsNorm(y, b.cross.normGain, m_eps);
        y += attendSeq2Seq(cn, result.encoderHidden, {b.cross.q, b.cross.k, b.cross.v, b.cross.o},
                           step(Seq2SeqStack::Cross, l, nullptr,
                                "cross-attention: queries from the decoder, keys and values from the encoder "
                                "output; unscaled scores and no position bias"),
                           options, result);
        trace.afterAttention(Seq2SeqStack::Cross, y);
        const Matrix added = feedForward(y, b);
        trace.mlp(added);
        y += added;
        trace.end(y);
    }
    throwIfCancelled(options.cancel);
    result.hidden = rmsNorm(y, m_decoder.finalNormGain, m_eps);
    if (options.logits != LogitRows::None && T > 0) {
        Matrix rows = options.logits == LogitRows::All ? result.hidden : Matrix(result.hidden.bottomRows(1));
        if (m_lmHead.size() == 0) // tied: transformers rescales before reusing the embedding
            rows *= 1.0f / std::sqrt(static_cast<float>(m_info.dModel));
        result.logits = multiplyTransposed(rows, m_lmHead.size() > 0 ? m_lmHead : m_shared);
    }
    return result;
}

} // namespace attnviz
