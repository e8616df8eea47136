#include "models/gpt2.h"

#include "engine/attentionmodel.h"
#include "models/hfconfig.h"
#include "models/safetensors.h"
#include "util/checkednumbers.h"
#include "util/messagetext.h"

#include <algorithm>

namespace attnviz {

std::unique_ptr<Gpt2> Gpt2::load(const HfConfig& config, const SafetensorsArchive& weights)
{
    auto model = std::make_unique<Gpt2>();
    TransformerInfo& info = model->m_info;
    info.family = "gpt2";
    info.dModel = config.requiredSize("n_embd", SizeKind::Width);
    info.layers = config.requiredSize("n_layer", SizeKind::Layers);
    info.heads = config.requiredSize("n_head", SizeKind::Heads);
    info.kvHeads = info.heads;
    info.vocab = config.requiredSize("vocab_size", SizeKind::Vocabulary);
    const char* positionsKey = config.has("n_positions") ? "n_positions" : "n_ctx";
    info.maxPositions = config.sizeOr(positionsKey, SizeKind::Positions, 1024);
    info.storedPositions = true; // wpe holds one row per position
    info.causal = true;
    info.stopIds = config.tokenIds("eos_token_id");
    if (info.dModel % info.heads != 0) {
        throw ModelLoadError(config.path() + ": \"n_embd\" must be a multiple of \"n_head\"");
    }
    const int d = info.dModel;
    const int inner =
        config.sizeOr("n_inner", SizeKind::Intermediate, checked::mul<ModelLoadError>(4, d, "4 × n_embd"));
    const int qkvWidth = checked::mul<ModelLoadError>(3, d, "3 × n_embd");
    model->m_eps = config.floatOr("layer_norm_epsilon", 1e-5f);
    const std::string act = config.stringOr("activation_function", "gelu_new");
    if (act != "gelu_new" && act != "gelu_pytorch_tanh") {
        throw ModelLoadError(config.path() + ": activation_function " + quotedForMessage(act) + " is not supported (gelu_new only)");
    }
    if (config.boolOr("scale_attn_by_inverse_layer_idx", false)) {
        throw ModelLoadError(config.path() + ": scale_attn_by_inverse_layer_idx is not supported");
    }

    const std::string p = weights.contains("transformer.wte.weight") ? "transformer." : "";
    // Every size is compared with the header before any tensor is read.
    const std::string from = config.path() + " (\"n_embd\", ";
    weights.checkShape(p + "wte.weight", {info.vocab, d}, from + "\"vocab_size\")");
    weights.checkShape(p + "wpe.weight", {info.maxPositions, d}, from + "\"" + positionsKey + "\")");
    weights.checkShape(p + "h.0.mlp.c_fc.weight", {d, inner}, from + "\"n_inner\")");
    weights.checkShape(p + "h." + std::to_string(info.layers - 1) + ".ln_1.weight", {d}, from + "\"n_layer\")");

    auto vec = [&](const std::string& name, int n) { return weights.vector(p + name, n); };
    auto conv1d = [&](const std::string& name, int in, int out) { // Conv1D already is (in, out)
        return Linear(weights.matrix(p + name + ".weight", in, out), weights.vector(p + name + ".bias", out));
    };
    model->m_wte = weights.matrix(p + "wte.weight", info.vocab, d);
    model->m_wpe = weights.matrix(p + "wpe.weight", info.maxPositions, d);
    for (int l = 0; l < info.layers; ++l) {
        const std::string h = "h." + std::to_string(l) + ".";
        Gpt2Layer layer;
        layer.ln1Gain = vec(h + "ln_1.weight", d);
        layer.ln1Bias = vec(h + "ln_1.bias", d);
        layer.attn = conv1d(h + "attn.c_attn", d, qkvWidth);
        layer.attnProj = conv1d(h + "attn.c_proj", d, d);
        layer.ln2Gain = vec(h + "ln_2.weight", d);
        layer.ln2Bias = vec(h + "ln_2.bias", d);
        layer.fc = conv1d(h + "mlp.c_fc", d, inner);
        layer.fcProj = conv1d(h + "mlp.c_proj", inner, d);
        model->m_layers.push_back(std::move(layer));
    }
    model->m_lnfGain = vec("ln_f.weight", d);
    model->m_lnfBias = vec("ln_f.bias", d);
    return model;
}

ForwardResult Gpt2::forward(const std::vector<int>& ids, const std::vector<int>& /*segments*/,
                            const ForwardOptions& options) const
{
    return forwardFrom(ids, 0, nullptr, options);
}

std::vector<int> Gpt2::generateGreedy(const std::vector<int>& promptIds, int steps,
                                      const std::atomic<bool>* cancel) const
{
    return greedyWithCache(m_info, m_info.dModel, promptIds, steps, cancel,
                           [this](const std::vector<int>& ids, int first, KvCache* cache, const ForwardOptions& o) {
                               return forwardFrom(ids, first, cache, o);
                           });
}

ForwardResult Gpt2::forwardFrom(const std::vector<int>& ids, int firstPosition, KvCache* cache,
                                const ForwardOptions& options) const
{
    const Index T = static_cast<Index>(ids.size());
    const int d = m_info.dModel;
    const int dk = d / m_info.heads;
    ForwardResult result = beginForward(m_info, T, options);

    Matrix x(T, d); // (T, d) residual stream
    for (Index t = 0; t < T; ++t) {
        x.row(t) = m_wte.row(ids[t]) + m_wpe.row(firstPosition + t);
    }
    for (int l = 0; l < m_info.layers; ++l) {
        throwIfCancelled(options.cancel);
        const Gpt2Layer& layer = m_layers[l];
        const Matrix xn = layerNorm(x, layer.ln1Gain, layer.ln1Bias, m_eps); // (T, d)
        const Matrix qkv = applyLinear(xn, layer.attn);                      // (T, 3d)
        Matrix concat;
        if (cache != nullptr) {
            cache->keys[l].middleRows(firstPosition, T) = qkv.middleCols(d, d);
            cache->values[l].middleRows(firstPosition, T) = qkv.rightCols(d);
            concat = attendHeads(qkv.leftCols(d), cache->keys[l].topRows(firstPosition + T),
                                 cache->values[l].topRows(firstPosition + T), m_info.heads, m_info.heads,
                                 layerAttentionOptions(l, options, result));
        } else {
            concat = attendHeads(qkv.leftCols(d), qkv.middleCols(d, d), qkv.rightCols(d), m_info.heads, m_info.heads,
                                 layerAttentionOptions(l, options, result));
        }
        if (lastWanted(l, m_info, options) && !pipelineShows(l, result))
            break; // every attention map is known; W_O and the MLP would only feed the hidden states
        const Matrix attnOut = applyLinear(concat, layer.attnProj); // (T, d)
        if (pipelineShows(l, result)) {
            capturePipeline(
                l, result, xn, {layer.attn, 0, d}, {layer.attn, d, d}, {layer.attn, 2 * d, d}, m_info.heads,
                m_info.heads, concat, layer.attnProj, attnOut,
                "GPT-2 adds biases: Q = X·W_Q + b_Q (likewise K, V and the output); head size " + std::to_string(dk));
        }
        if (lastWanted(l, m_info, options))
            break;
        x += attnOut;
        Matrix hidden = applyLinear(layerNorm(x, layer.ln2Gain, layer.ln2Bias, m_eps), layer.fc); // (T, inner)
        geluTanhInPlace(hidden);
        x += applyLinear(hidden, layer.fcProj);
    }
    throwIfCancelled(options.cancel);
    if (!options.finalHidden)
        return result;
    result.hidden = layerNorm(x, m_lnfGain, m_lnfBias, m_eps);
    if (options.logits == LogitRows::All) {
        result.logits = multiplyTransposed(result.hidden, m_wte);
    } else if (options.logits == LogitRows::Last && T > 0) {
        result.logits = multiplyTransposed(result.hidden.bottomRows(1), m_wte);
    }
    return result;
}

} // namespace attnviz
