#pragma once
// The forward pass of one checkpoint family (GPT-2, BERT, Llama, ...), independent of
// tokenisation and of how results are presented. CheckpointModel turns it into an AttentionModel.

#include "engine/attentionresult.h"
#include "models/kernels.h"

#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace attnviz {

struct TransformerInfo
{
    std::string family; // "gpt2", "bert", "llama", "qwen2", "mistral", "llama2c"
    int layers = 0;
    int heads = 0;   // query heads
    int kvHeads = 0; // key/value heads (== heads without grouped-query attention)
    int dModel = 0;
    int vocab = 0;
    int maxPositions = 0;           // context length
    bool storedPositions = false;   // maxPositions is backed by a stored table (GPT-2 wpe), not just claimed
    bool causal = false;            // decoder: default mask causal, predicts the next token
    bool segments = false;          // takes token types (BERT sentence A/B)
    bool hasLmHead = true;          // can produce logits (BERT without cls.predictions cannot)
    int padId = -1;                 // BERT padding id: keys with it are masked by default
    std::optional<int> sepId;       // config.json's sep_token_id: sentence B of raw ids starts after it
    std::optional<int> maskId;      // config.json's mask_token_id: predicted for raw ids without a tokenizer
    std::vector<int> stopIds;       // generation ends before any of these (EOS; BOS for llama2.c)
    std::vector<std::string> notes; // load-time remarks shown with every result
};

// The ModelInfo every AttentionModel over a network reports (name: what people see).
ModelInfo modelInfoOf(const TransformerInfo& t, const std::string& name, bool hasTokenizer);

enum class LogitRows { None, Last, All };

struct ForwardOptions
{
    MaskMatrix mask;                                 // (T, T) 1 = may attend; used by every layer
    bool scale = true;                               // divide scores by √d_k
    std::set<std::pair<int, int>> ablatedHeads;      // (layer, head) zeroed before W_O
    std::optional<std::pair<int, int>> pipelineHead; // (layer, head) to capture in full
    const std::atomic<bool>* cancel = nullptr;       // checked between layers
    bool captureAttention = true;                    // fill ForwardResult::attention
    std::vector<bool> capturedHeads;                 // (layers × heads) maps it keeps; empty = every one
    // false when only attention is wanted: decoders then stop the last layer once its weights are
    // known (no W_O unless the pipeline shows it, no MLP, no final norm); hidden and logits may
    // stay empty. The attention is bit-identical either way.
    bool finalHidden = true;
    LogitRows logits = LogitRows::All;
    // Readings of the residual stream for the measures (engine/readouts.h); families that cannot
    // take one leave its field of ForwardResult empty and say why in readoutNotes.
    bool valueGram = false;         // ForwardResult::valueGram
    bool alti = false;              // ForwardResult::alti
    std::vector<Index> lensRows;    // rows read out after every layer into ForwardResult::lensLogits
    Index attributionRow = -1;      // row whose logit is split into ForwardResult::attribution
    std::optional<int> attributionTarget; // its token; unset = the row's top prediction
};

struct ForwardResult
{
    AttentionTensor attention; // (layers, heads, T, T) when captureAttention
    Matrix hidden;             // (T, d_model) final hidden states (after the final norm)
    Matrix logits;             // (T, vocab), (1, vocab) for LogitRows::Last, or empty
    std::optional<PipelineCapture> pipeline;
    std::vector<float> valueGram; // (layers, T, heads, heads): see AttentionStack::valueGram
    std::vector<Matrix> alti;     // per layer (T, T) ALTI contributions, rows summing to 1; empty = not computed
    Matrix lensLogits;            // (layers × lensRows, vocab), layer-major
    std::optional<LogitAttribution> attribution; // target/logit/parts; display filled by the caller
    std::vector<std::string> readoutNotes; // why a requested reading is missing
};

class Transformer
{
public:
    virtual ~Transformer() = default;
    virtual const TransformerInfo& info() const = 0;
    // ids (T) must be valid and T <= maxPositions (callers truncate); segments (T) or empty.
    // Throws Cancelled when options.cancel is raised between layers.
    virtual ForwardResult forward(const std::vector<int>& ids, const std::vector<int>& segments,
                                  const ForwardOptions& options) const = 0;
    // Greedy continuation (only new ids, at most `steps`, stopping before a stop id or at the end
    // of generationContext). The default reruns the whole sequence per token; families with a KV cache
    // override it. Ids must be valid (callers check).
    virtual std::vector<int> generateGreedy(const std::vector<int>& promptIds, int steps,
                                            const std::atomic<bool>* cancel) const;
};

// Keys and values of earlier positions, so each generated token costs one row per layer.
struct KvCache
{
    KvCache(int layers, Index positions, Index width);
    std::vector<Matrix> keys;   // per layer (positions, width), as attention sees them (after RoPE)
    std::vector<Matrix> values; // per layer (positions, width)
};

// How a causal family runs ids at positions firstPosition.. appending to `cache`.
using CachedForward =
    std::function<ForwardResult(const std::vector<int>& ids, int firstPosition, KvCache* cache, const ForwardOptions&)>;

// How many positions greedy generation may use: maxPositions when a position table backs it,
// else at most 2^15; with a KV cache `cacheWidth` wide per layer, also what 1 GB of cache holds.
int generationContext(const TransformerInfo& info, Index cacheWidth);

// The greedy loop of decoders with a KV cache `cacheWidth` columns wide per layer: the whole
// prompt first, then one token at a time, under a causal mask, checking `cancel` each step.
// Stops at generationContext; the cache is never larger than the positions this call can reach.
std::vector<int> greedyWithCache(const TransformerInfo& info, Index cacheWidth, const std::vector<int>& promptIds,
                                 int steps, const std::atomic<bool>* cancel, const CachedForward& forwardFrom);

// Helpers shared by the families.
// True when `layer` is the last one and only its attention is wanted (see finalHidden). Then W_O
// is still needed if the pipeline shows this layer (`needsOutput`), the rest of the layer is not.
inline bool lastWanted(int layer, const TransformerInfo& info, const ForwardOptions& options)
{
    return !options.finalHidden && layer + 1 == info.layers;
}
inline bool pipelineShows(int layer, const ForwardResult& result)
{
    return result.pipeline && result.pipeline->layer == layer;
}
// Starts a result: sizes the attention tensor when requested.
ForwardResult beginForward(const TransformerInfo& info, Index tokens, const ForwardOptions& options);
// Per-layer attention options pointing into `result` (weights, pipeline head).
LayerAttentionOptions layerAttentionOptions(int layer, const ForwardOptions& options, ForwardResult& result);
// A projection inside a layer: columns [first, first + width) of `layer` (all of it unless fused,
// as GPT-2's c_attn holds Q | K | V).
struct Projection
{
    const Linear& layer;
    Index first = 0;
    Index width = layer.outputs();
};
// Fills result.pipeline for `layer` if it is the requested one. q/k/v are the full (d_model,
// heads*dk) projections; the head's column slice is stored. GQA: the KV head shared by the head.
void capturePipeline(int layer, ForwardResult& result, const Matrix& x, Projection q, Projection k, Projection v,
                     int heads, int kvHeads, const Matrix& concat, const Linear& wo, const Matrix& output,
                     std::string note);

} // namespace attnviz
