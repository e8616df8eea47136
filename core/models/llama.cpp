#include "models/llama.h"

#include "engine/attentionmodel.h"
#include "models/hfconfig.h"
#include "models/safetensors.h"
#include "util/checkednumbers.h"
#include "util/messagetext.h"

#include <algorithm>

namespace attnviz {

namespace {

// config.json's rope_scaling: "linear" divides every frequency by the factor; "llama3" (Llama 3.1+)
// keeps high frequencies, divides low ones by the factor and blends in between. Other types are
// reported and left unscaled.
void applyRopeScaling(const HfConfig& config, std::vector<float>& inverse, std::vector<std::string>& notes)
{
    const json::Value* scaling = config.root().find("rope_scaling");
    if (scaling == nullptr || scaling->isNull())
        return;
    if (!scaling->isObject())
        throw ModelLoadError(config.path() + ": rope_scaling must be an object");
    const HfConfig s(*scaling, config.path() + " (rope_scaling)");
    const std::string type = s.stringOr("rope_type", s.stringOr("type", "default"));
    const float factor = s.floatOr("factor", 1.0f);
    if (type == "default")
        return;
    if (!(factor > 0.0f))
        throw ModelLoadError(config.path() + ": rope_scaling factor must be positive");
    if (type == "linear") {
        for (float& f : inverse)
            f /= factor;
    } else if (type == "llama3") {
        const float low = s.floatOr("low_freq_factor", 1.0f);
        const float high = s.floatOr("high_freq_factor", 4.0f);
        const float original = s.floatOr("original_max_position_embeddings", 8192.0f);
        if (!(low > 0.0f) || !(high > 0.0f) || !(original > 0.0f))
            throw ModelLoadError(config.path() + ": rope_scaling llama3 factors must be positive");
        const float lowWavelength = original / low;
        const float highWavelength = original / high;
        for (float& f : inverse) {
            const float wavelength = 2.0f * 3.14159265358979323846f / f;
            if (wavelength > lowWavelength) {
                f /= factor;
            } else if (wavelength >= highWavelength && high != low) {
                const float smooth = (original / wavelength - low) / (high - low);
                f = (1.0f - smooth) * f / factor + smooth * f;
            }
        }
    } else {
        notes.push_back("rope_scaling type " + quotedForMessage(type) + " is not supported; positions use unscaled RoPE");
    }
}

} // namespace

Llama::Llama(TransformerInfo info, LlamaHyper hyper, LlamaWeights weights)
    : m_info(std::move(info)), m_hyper(hyper), m_w(std::move(weights))
{
}

std::unique_ptr<Llama> Llama::load(const HfConfig& config, const SafetensorsArchive& weights)
{
    TransformerInfo info;
    info.family = config.stringOr("model_type", "llama");
    info.dModel = config.requiredSize("hidden_size", SizeKind::Width);
    info.layers = config.requiredSize("num_hidden_layers", SizeKind::Layers);
    info.heads = config.requiredSize("num_attention_heads", SizeKind::Heads);
    info.kvHeads = config.sizeOr("num_key_value_heads", SizeKind::Heads, info.heads);
    info.vocab = config.requiredSize("vocab_size", SizeKind::Vocabulary);
    info.maxPositions = config.sizeOr("max_position_embeddings", SizeKind::Positions, 2048);
    info.causal = true;
    if (info.heads % info.kvHeads != 0) {
        throw ModelLoadError(config.path() +
                             ": \"num_attention_heads\" must be a multiple of \"num_key_value_heads\"");
    }
    LlamaHyper hyper;
    hyper.headDim = config.sizeOr("head_dim", SizeKind::HeadSize, info.dModel / info.heads);
    hyper.normEps = config.floatOr("rms_norm_eps", 1e-6f);
    if (hyper.headDim == 0 || hyper.headDim % 2 != 0)
        throw ModelLoadError(config.path() + ": head size (\"head_dim\" or hidden_size / heads) must be even");
    const std::string act = config.stringOr("hidden_act", "silu");
    if (act != "silu")
        throw ModelLoadError(config.path() + ": hidden_act " + quotedForMessage(act) + " is not supported (silu only)");
    const float theta = config.floatOr("rope_theta", 10000.0f);
    if (!(theta > 1.0f))
        throw ModelLoadError(config.path() + ": \"rope_theta\" must be greater than 1");
    const int d = info.dModel;
    const int hd = hyper.headDim;
    const int inner = config.requiredSize("intermediate_size", SizeKind::Intermediate);
    const int qWidth = checked::mul<ModelLoadError>(info.heads, hd, "num_attention_heads × head_dim");
    const int kvWidth = checked::mul<ModelLoadError>(info.kvHeads, hd, "num_key_value_heads × head_dim");

    // Every size is compared with the header before anything (RoPE tables, tensors) is allocated.
    const std::string from = config.path() + " (\"hidden_size\", ";
    const std::string first = "model.layers.0.";
    weights.checkShape("model.embed_tokens.weight", {info.vocab, d}, from + "\"vocab_size\")");
    weights.checkShape(first + "self_attn.q_proj.weight", {qWidth, d}, from + "\"num_attention_heads\", \"head_dim\")");
    weights.checkShape(first + "self_attn.k_proj.weight", {kvWidth, d},
                       from + "\"num_key_value_heads\", \"head_dim\")");
    weights.checkShape(first + "mlp.gate_proj.weight", {inner, d}, from + "\"intermediate_size\")");
    weights.checkShape("model.layers." + std::to_string(info.layers - 1) + ".input_layernorm.weight", {d},
                       from + "\"num_hidden_layers\")");

    hyper.ropeInverseFrequencies = ropeInverseFrequencies(hd, theta);
    applyRopeScaling(config, hyper.ropeInverseFrequencies, info.notes);
    if (config.has("sliding_window") && config.boolOr("use_sliding_window", info.family == "mistral")) {
        info.notes.push_back("sliding_window is not applied: every token attends to its whole prefix (identical "
                             "while the input is shorter than the window)");
    }
    info.stopIds = config.tokenIds("eos_token_id"); // a number or, in newer configs, a list
    const bool qkvBias = info.family == "qwen2" || config.boolOr("attention_bias", false);
    // nn.Linear stores (out, in); we keep (in, out) so that y = x·W as in the pipeline view.
    auto linear = [&](const std::string& name, int in, int out, bool bias) {
        return Linear(weights.matrix(name + ".weight", out, in).transpose(),
                      bias ? weights.vector(name + ".bias", out) : RowVector());
    };
    LlamaWeights w;
    w.embedding = weights.matrix("model.embed_tokens.weight", info.vocab, d);
    for (int i = 0; i < info.layers; ++i) {
        const std::string p = "model.layers." + std::to_string(i) + ".";
        LlamaLayer layer;
        layer.attnNorm = weights.vector(p + "input_layernorm.weight", d);
        layer.wq = linear(p + "self_attn.q_proj", d, qWidth, qkvBias);
        layer.wk = linear(p + "self_attn.k_proj", d, kvWidth, qkvBias);
        layer.wv = linear(p + "self_attn.v_proj", d, kvWidth, qkvBias);
        layer.wo = linear(p + "self_attn.o_proj", qWidth, d, config.boolOr("attention_bias", false));
        layer.mlpNorm = weights.vector(p + "post_attention_layernorm.weight", d);
        layer.gate = linear(p + "mlp.gate_proj", d, inner, false);
        layer.up = linear(p + "mlp.up_proj", d, inner, false);
        layer.down = linear(p + "mlp.down_proj", inner, d, false);
        w.layers.push_back(std::move(layer));
    }
    w.finalNorm = weights.vector("model.norm.weight", d);
    const bool tied = config.boolOr("tie_word_embeddings", false);
    if (weights.contains("lm_head.weight")) {
        w.lmHead = weights.matrix("lm_head.weight", info.vocab, d);
    } else if (!tied) {
        throw ModelLoadError(config.path() + ": tie_word_embeddings is false but the checkpoint has no lm_head.weight");
    }
    return std::make_unique<Llama>(std::move(info), hyper, std::move(w));
}

ForwardResult Llama::forward(const std::vector<int>& ids, const std::vector<int>& /*segments*/,
                             const ForwardOptions& options) const
{
    return forwardFrom(ids, 0, nullptr, options);
}

std::vector<int> Llama::generateGreedy(const std::vector<int>& promptIds, int steps,
                                       const std::atomic<bool>* cancel) const
{
    return greedyWithCache(m_info, static_cast<Index>(m_info.kvHeads) * m_hyper.headDim, promptIds, steps, cancel,
                           [this](const std::vector<int>& ids, int first, KvCache* cache, const ForwardOptions& o) {
                               return forwardFrom(ids, first, cache, o);
                           });
}

ForwardResult Llama::forwardFrom(const std::vector<int>& ids, int firstPosition, KvCache* cache,
                                 const ForwardOptions& options) const
{
    const Index T = static_cast<Index>(ids.size());
    const int d = m_info.dModel;
    const int hd = m_hyper.headDim;
    ForwardResult result = beginForward(m_info, T, options);

    Matrix x(T, d); // (T, d) residual stream
    for (Index t = 0; t < T; ++t)
        x.row(t) = m_w.embedding.row(ids[t]);
    for (int l = 0; l < m_info.layers; ++l) {
        throwIfCancelled(options.cancel);
        const LlamaLayer& layer = m_w.layers[l];
        const Matrix xn = rmsNorm(x, layer.attnNorm, m_hyper.normEps); // (T, d)
        Matrix q = applyLinear(xn, layer.wq);                          // (T, heads*hd)
        Matrix k = applyLinear(xn, layer.wk);                          // (T, kvHeads*hd)
        const Matrix v = applyLinear(xn, layer.wv);                    // (T, kvHeads*hd)
        applyRope(q, m_info.heads, hd, firstPosition, m_hyper.ropeInverseFrequencies, m_hyper.ropeInterleaved);
        applyRope(k, m_info.kvHeads, hd, firstPosition, m_hyper.ropeInverseFrequencies, m_hyper.ropeInterleaved);
        Matrix concat;
        if (cache != nullptr) {
            cache->keys[l].middleRows(firstPosition, T) = k;
            cache->values[l].middleRows(firstPosition, T) = v;
            concat =
                attendHeads(q, cache->keys[l].topRows(firstPosition + T), cache->values[l].topRows(firstPosition + T),
                            m_info.heads, m_info.kvHeads, layerAttentionOptions(l, options, result));
        } else {
            concat = attendHeads(q, k, v, m_info.heads, m_info.kvHeads, layerAttentionOptions(l, options, result));
        }
        if (lastWanted(l, m_info, options) && !pipelineShows(l, result))
            break; // every attention map is known; W_O and the MLP would only feed the hidden states
        const Matrix attnOut = applyLinear(concat, layer.wo); // (T, d)
        if (pipelineShows(l, result)) {
            std::string note = "Q and K are shown after the rotary position embedding (RoPE), so Q ≠ X·W_Q";
            if (m_info.kvHeads != m_info.heads) {
                note += "; grouped-query attention: " + std::to_string(m_info.heads / m_info.kvHeads) +
                        " query heads share each K/V head";
            }
            if (layer.wq.bias().size() > 0)
                note += "; Q = X·W_Q + b_Q (this model has q/k/v biases)";
            capturePipeline(l, result, xn, {layer.wq}, {layer.wk}, {layer.wv}, m_info.heads, m_info.kvHeads, concat,
                            layer.wo, attnOut, note);
        }
        if (lastWanted(l, m_info, options))
            break;
        x += attnOut;
        const Matrix hn = rmsNorm(x, layer.mlpNorm, m_hyper.normEps);
        Matrix gate = applyLinear(hn, layer.gate); // (T, inner)
        siluInPlace(gate);
        gate.array() *= applyLinear(hn, layer.up).array(); // SwiGLU: silu(x·W_gate) ⊙ (x·W_up)
        x += applyLinear(gate, layer.down);
    }
    throwIfCancelled(options.cancel);
    if (!options.finalHidden)
        return result;
    result.hidden = rmsNorm(x, m_w.finalNorm, m_hyper.normEps);
    const Matrix& head = m_w.lmHead.size() > 0 ? m_w.lmHead : m_w.embedding;
    if (options.logits == LogitRows::All) {
        result.logits = multiplyTransposed(result.hidden, head);
    } else if (options.logits == LogitRows::Last && T > 0) {
        result.logits = multiplyTransposed(result.hidden.bottomRows(1), head);
    }
    return result;
}

} // namespace attnviz
