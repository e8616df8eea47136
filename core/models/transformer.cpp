#include "models/transformer.h"

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

// Families without a stored position table (RoPE) only claim their context in config.json;
// generation, the one place that walks positions one by one, stops here whatever the claim.
constexpr int maxClaimedContext = 1 << 15;
constexpr double maxCacheFloats = 268435456.0; // 2^28 floats = 1 GB of cached keys and values

} // namespace

int generationContext(const TransformerInfo& info, Index cacheWidth)
{
    double context = info.storedPositions ? info.maxPositions : std::min(info.maxPositions, maxClaimedContext);
    if (cacheWidth > 0) {
        const double perPosition = 2.0 * std::max(1, info.layers) * static_cast<double>(cacheWidth);
        context = std::min(context, std::floor(maxCacheFloats / perPosition));
    }
    return static_cast<int>(std::max(context, 0.0));
}

ForwardResult beginForward(const TransformerInfo& info, Index tokens, const ForwardOptions& options)
{
    ForwardResult result;
    const int t = static_cast<int>(tokens);
    if (options.captureAttention && !options.capturedHeads.empty()) {
        result.attention.resizeHolding(info.layers, info.heads, t, t, options.capturedHeads);
    } else if (options.captureAttention) {
        // attendHeads writes every weight of every head (zeros included), so no zero-fill first.
        result.attention.resizeForOverwrite(info.layers, info.heads, t, t);
    }
    if (options.pipelineHead) {
        const auto [layer, head] = *options.pipelineHead;
        if (layer < 0 || layer >= info.layers || head < 0 || head >= info.heads) {
            throw std::invalid_argument("pipeline head (" + std::to_string(layer) + ", " + std::to_string(head) +
                                        ") does not exist in this model");
        }
        result.pipeline.emplace();
        result.pipeline->layer = layer;
        result.pipeline->head = head;
    }
    return result;
}

LayerAttentionOptions layerAttentionOptions(int layer, const ForwardOptions& options, ForwardResult& result)
{
    LayerAttentionOptions o;
    o.layer = layer;
    o.mask = &options.mask;
    o.scale = options.scale;
    o.ablated = &options.ablatedHeads;
    o.maps = options.captureAttention && !result.attention.data.empty() ? &result.attention : nullptr;
    if (result.pipeline && result.pipeline->layer == layer) {
        o.captureHead = result.pipeline->head;
        o.capture = &result.pipeline->capture;
    }
    return o;
}

void capturePipeline(int layer, ForwardResult& result, const Matrix& x, Projection q, Projection k, Projection v,
                     int heads, int kvHeads, const Matrix& concat, const Linear& wo, const Matrix& output,
                     std::string note)
{
    if (!result.pipeline || result.pipeline->layer != layer)
        return;
    PipelineCapture& p = *result.pipeline;
    const int h = p.head;
    const Index dk = q.width / heads;
    const Index dkv = k.width / kvHeads;
    const Index dv = v.width / kvHeads;
    const int g = h / (heads / kvHeads);
    p.x = x;
    p.source = x;
    p.wq = q.layer.weightColumns(q.first + h * dk, dk);
    p.wk = k.layer.weightColumns(k.first + g * dkv, dkv);
    p.wv = v.layer.weightColumns(v.first + g * dv, dv);
    p.capture.name = "layer " + std::to_string(layer) + " head " + std::to_string(h);
    p.concat = concat;
    p.wo = wo.weights();
    p.output = output;
    p.note = std::move(note);
}

std::vector<int> Transformer::generateGreedy(const std::vector<int>& promptIds, int steps,
                                             const std::atomic<bool>* cancel) const
{
    const TransformerInfo& t = info();
    std::vector<int> ids = promptIds;
    std::vector<int> generated;
    ForwardOptions options;
    options.captureAttention = false;
    options.logits = LogitRows::Last;
    options.cancel = cancel;
    const int context = generationContext(t, 0);
    for (int step = 0; step < steps && static_cast<int>(ids.size()) <= context; ++step) {
        throwIfCancelled(cancel);
        const Index n = static_cast<Index>(ids.size());
        options.mask = buildMask(MaskSpec::causal(), n, n);
        const ForwardResult r = forward(ids, {}, options);
        Index best = 0;
        r.logits.row(0).maxCoeff(&best);
        const int next = static_cast<int>(best);
        if (std::find(t.stopIds.begin(), t.stopIds.end(), next) != t.stopIds.end())
            break;
        generated.push_back(next);
        ids.push_back(next);
    }
    return generated;
}

KvCache::KvCache(int layers, Index positions, Index width)
{
    for (int l = 0; l < layers; ++l) {
        keys.emplace_back(positions, width);
        values.emplace_back(positions, width);
    }
}

std::vector<int> greedyWithCache(const TransformerInfo& info, Index cacheWidth, const std::vector<int>& promptIds,
                                 int steps, const std::atomic<bool>* cancel, const CachedForward& forwardFrom)
{
    // Rows for the positions this call can reach, never the claimed context: the context is
    // bounded by generationContext (position table, sane bound, 1 GB cache) and by the steps asked.
    const int limit = generationContext(info, cacheWidth);
    const Index rows = std::min<Index>(limit, std::ssize(promptIds) + std::max(steps, 0));
    KvCache cache(info.layers, rows, cacheWidth);
    ForwardOptions options;
    options.captureAttention = false;
    options.logits = LogitRows::Last;
    options.cancel = cancel;
    const auto step = [&](const std::vector<int>& ids, int first) {
        const Index T = static_cast<Index>(ids.size());
        options.mask = buildMask(MaskSpec::causal(), T, first + T);
        return forwardFrom(ids, first, &cache, options).logits;
    };
    std::vector<int> pending(promptIds.begin(),
                             promptIds.begin() + std::min<std::ptrdiff_t>(limit, std::ssize(promptIds)));
    std::vector<int> generated;
    int position = 0;
    while (static_cast<int>(generated.size()) < steps && !pending.empty()) {
        throwIfCancelled(cancel); // also between tokens, not only inside a forward pass
        const Matrix logits = step(pending, position); // the whole prompt first, then one token at a time
        position += static_cast<int>(pending.size());
        Index best = 0;
        logits.row(0).maxCoeff(&best);
        const int next = static_cast<int>(best);
        if (std::find(info.stopIds.begin(), info.stopIds.end(), next) != info.stopIds.end())
            break;
        generated.push_back(next);
        pending.assign(1, next);
        if (position >= limit)
            break; // the context is full
    }
    return generated;
}

ModelInfo modelInfoOf(const TransformerInfo& t, const std::string& name, bool hasTokenizer)
{
    ModelInfo info;
    info.family = t.family;
    info.name = name;
    info.layers = t.layers;
    info.heads = t.heads;
    info.dModel = t.dModel;
    info.maxTokens = t.maxPositions;
    info.causal = t.causal;
    info.takesText = hasTokenizer;
    info.takesIds = true;
    // Every encoder reads sentence pairs (DistilBERT and RoBERTa too, without token types).
    info.takesSecondText = (t.segments || !t.causal) && hasTokenizer;
    return info;
}

} // namespace attnviz
