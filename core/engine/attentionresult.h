#pragma once
// What one run of any model (lesson, checkpoint, built-in) produces: the data every view draws.
// Results are immutable once built and cross threads as std::shared_ptr<const AttentionResult>.

#include "attention/attention.h"
#include "base/token.h"
#include "engine/readouts.h"
#include "util/recyclingallocator.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attnviz {

struct ModelInfo
{
    std::string family;  // "lesson", "gpt2", "bert", "llama", "llama2c", "seq2seq", ...
    std::string name;    // human-readable, e.g. folder name or lesson title
    int layers = 0;      // of the main (or decoder) stack
    int heads = 0;       // query heads per layer
    int dModel = 0;
    int maxTokens = 0;   // context length; 0 = unlimited
    bool causal = false; // default mask is causal (decoders)
    bool takesText = true; // false for lessons: their tokens are fixed
    bool takesIds = false; // RunRequest::ids are accepted (every checkpoint; the only input without a tokenizer)
    bool takesSecondText = false; // BERT sentence B, or the source sentence of a translator
    // An encoder–decoder (translator): people type the source first and the target second, while
    // RunRequest takes the target as text and the source as secondText.
    bool encoderDecoder = false;
    // Maps read from an attention file, not computed: nothing can be recomputed (ablation, masks,
    // the Q/K/V pipeline), and the tokens are the file's.
    bool recorded = false;
};

// Attention weights of one stack: (layers, heads, queries, keys) row-major, float32.
// A tensor may hold only some heads (an attention file that kept selected heads): `headSlots` then
// gives each (layer, head), layer-major, its place in `data`, or −1 for a head it does not hold.
struct AttentionTensor
{
    int layers = 0;
    int heads = 0;
    int queries = 0;
    int keys = 0;
    // (held heads, queries, keys) row-major; recycled memory (see util/recyclingallocator.h)
    std::vector<float, RecyclingAllocator<float>> data;
    std::vector<int> headSlots; // (layers × heads) place in data, −1 = not held; empty = every head in order

    void resize(int l, int h, int q, int k);            // zero-filled, every head
    void resizeForOverwrite(int l, int h, int q, int k); // values unset: the caller writes them all
    // Zero-filled, holding only the heads flagged in `held` (layers × heads, layer-major).
    void resizeHolding(int l, int h, int q, int k, const std::vector<bool>& held);

    bool holdsEveryHead() const { return headSlots.empty(); }
    bool holds(int layer, int head) const
    {
        return layer >= 0 && head >= 0 && layer < layers && head < heads &&
               (headSlots.empty() || headSlots[static_cast<std::size_t>(layer) * heads + head] >= 0);
    }
    int heldHeads() const; // how many (layer, head) maps data holds
    // 0 for a head the tensor does not hold.
    float at(int layer, int head, int query, int key) const
    {
        const float* h = this->head(layer, head);
        return h == nullptr ? 0.0f : h[static_cast<std::size_t>(query) * keys + key];
    }
    // The (queries, keys) map of one head; nullptr for a head the tensor does not hold.
    float* head(int layer, int head) { return const_cast<float*>(std::as_const(*this).head(layer, head)); }
    const float* head(int layer, int head) const
    {
        const int slot = slotOf(layer, head);
        return slot < 0 ? nullptr : data.data() + static_cast<std::size_t>(slot) * queries * keys;
    }
    // The head's place among the held maps, −1 when not held (no range check: callers pass valid indices).
    int slotOf(int layer, int head) const
    {
        const int index = layer * heads + head;
        return headSlots.empty() ? index : headSlots[static_cast<std::size_t>(index)];
    }
};

// What one head does, in a few numbers (stats/headsummary.h defines and computes them); NaN
// where a score is not defined for the stack (previous token in cross-attention, one query).
struct HeadSummary
{
    float previousToken = std::numeric_limits<float>::quiet_NaN();
    float firstToken = std::numeric_limits<float>::quiet_NaN();
    float entropy = std::numeric_limits<float>::quiet_NaN(); // nats
};

// One attention stack: decoder-only and encoder-only models have one ("self"); an
// encoder-decoder has "encoder", "decoder" and "cross"; a lesson has one ("lesson").
struct AttentionStack
{
    std::string name;
    bool queriesFromSource = false; // encoder self-attention of an encoder–decoder: rows are sourceTokens
    bool keysFromSource = false;    // encoder and cross-attention: columns are sourceTokens
    AttentionTensor attention;
    std::vector<std::string> headNames; // (heads) names a lesson gives its heads ("looks back"); empty for models
    std::vector<HeadSummary> summaries; // (layers × heads), layer-major; empty until derived
    // Set when the maps come from an attention file that kept only the k largest weights of each
    // query row (the rest read 0): k, and the share of each row kept, (held heads, queries) in
    // the order of attention.data.
    int keptPerQuery = 0;
    std::vector<float> retainedMass;
    // What attention's cells mean (engine/readouts.h). For a per-head measure other than Raw each
    // row holds shares summing to 1 and measureRowTotals (held heads, queries) the row's total
    // before it was divided; layerMeasure (layers, 1 head, queries, keys) is the measure of the whole
    // layer, which is not the mean of its heads' (value-weighted: the norm of the heads' summed
    // writes). ALTI exists per layer only: the heads' maps keep raw weights, layerMeasure has it.
    Measure measure = Measure::Raw;
    std::vector<float> measureRowTotals;
    AttentionTensor layerMeasure;
    std::vector<float> layerMeasureRowTotals; // (layers, queries)
    // Filled by models that can, for RunRequest::measure ValueWeighted, and consumed by
    // stats/derive.h: per layer and key j, <f_h(x_j), f_g(x_j)> for heads h, g, (layers, keys, heads, heads).
    std::vector<float> valueGram;
    const HeadSummary* summary(int layer, int head) const
    {
        const std::size_t i = static_cast<std::size_t>(layer) * attention.heads + head;
        return layer >= 0 && head >= 0 && head < attention.heads && i < summaries.size() ? &summaries[i] : nullptr;
    }
};

// A top-k stack's retained mass for one head, (queries); nullptr for whole rows or a head not held.
inline const float* retainedMassOf(const AttentionStack& s, int layer, int head)
{
    if (s.keptPerQuery <= 0 || !s.attention.holds(layer, head)) return nullptr;
    const std::size_t at = static_cast<std::size_t>(s.attention.slotOf(layer, head)) * s.attention.queries;
    return at + s.attention.queries <= s.retainedMass.size() ? s.retainedMass.data() + at : nullptr;
}

// Attention rollout of one stack after every layer, for the heads it averaged.
struct RolloutMaps
{
    int stack = 0;
    std::vector<bool> heads;    // (heads) true = averaged
    std::vector<Matrix> layers; // R_0 … R_(L−1), each (T, T)
    bool covers(int forStack, const std::vector<bool>& forHeads) const { return stack == forStack && heads == forHeads; }
};

// Attention flow of one stack from the inputs to the tokens after `layer`, for the heads it averaged.
struct FlowMap
{
    int stack = 0;
    std::vector<bool> heads;
    int layer = 0;
    Matrix flow; // (T, T): rows the tokens after the layer, columns the input tokens
    bool covers(int forStack, const std::vector<bool>& forHeads, int forLayer) const
    {
        return stack == forStack && heads == forHeads && layer == forLayer;
    }
};

// Everything the Q/K/V pipeline view needs for one (stack, layer, head).
struct PipelineCapture
{
    int stack = 0;
    int layer = 0;
    int head = 0;
    Matrix x;        // (T, d_model) input of the attention block (after the layer's norm, if any)
    Matrix source;   // (S, d_model) keys/values input; equals x for self-attention
    Matrix wq;       // (d_model, d_k) this head's slice of W_Q
    Matrix wk;       // (d_model, d_k)
    Matrix wv;       // (d_model, d_v)
    HeadCapture capture; // Q, K, V, scores, scaled, mask, weights, output of the head
    Matrix concat;   // (T, heads*d_v) all heads of the layer
    Matrix wo;       // (heads*d_v, d_model); empty when the layer has no output projection
    Matrix output;   // (T, d_out) concat·W_O (+ bias)
    // The rest of the block, for following a token past attention; filled by the generic forward
    // (empty for lessons and attention files). Each (T, d_model):
    Matrix residual;       // the residual stream entering the block (before its norm)
    Matrix afterAttention; // residual + attention output (then normalised, in post-norm blocks)
    Matrix mlpOutput;      // what the MLP adds (or the rest of the block: see restLabel)
    Matrix blockOutput;    // the residual stream leaving the block: the next layer's input
    std::string restLabel; // what mlpOutput is when more than the MLP follows (empty: the MLP's output)
    bool normAfterAdd = false; // post-norm: afterAttention and blockOutput are LayerNorm(sum), not the sum
    std::string note; // e.g. "Q and K are shown after rotary position embedding"
};

struct AttentionResult
{
    ModelInfo model;
    std::vector<Token> tokens;       // queries of self-attention (and of cross-attention)
    std::vector<Token> sourceTokens; // keys of cross-attention; empty without one
    std::vector<AttentionStack> stacks;
    std::optional<PipelineCapture> pipeline;
    std::vector<Prediction> nextToken;  // decoders: top-k after the last token
    std::vector<std::pair<int, std::vector<Prediction>>> maskedPredictions; // encoders: per [MASK] position
    std::optional<RolloutMaps> rollout; // when the request asked for it
    std::optional<FlowMap> flow;        // likewise
    std::optional<LogitLens> logitLens;           // when the request asked and the model can
    std::optional<LogitAttribution> attribution;  // likewise
    std::optional<float> scoredLogProbability;    // log P(RunRequest::scoredToken) after the last token
    MaskMatrix customMask;              // the custom mask this run applied (to stack customMaskStack), so edits go on from it
    int customMaskStack = -1;
    std::vector<std::string> notices;   // e.g. "input truncated to 1024 tokens"
    double computeMilliseconds = 0.0;
};

// The tokens that label a stack's queries (rows) and keys (columns).
inline const std::vector<Token>& queryTokensOf(const AttentionResult& r, const AttentionStack& s)
{
    return s.queriesFromSource ? r.sourceTokens : r.tokens;
}
inline const std::vector<Token>& keyTokensOf(const AttentionResult& r, const AttentionStack& s)
{
    return s.keysFromSource ? r.sourceTokens : r.tokens;
}

} // namespace attnviz
