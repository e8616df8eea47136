#pragma once
// DeBERTa-v2/v3's disentangled attention (transformers' modeling_deberta_v2, which is its
// specification): besides content·content, each score gains content→position (c2p: the query
// against the key's relative position) and position→content (p2c: the key against the query's
// relative position) terms, read from a table of relative-position embeddings through
// log-spaced buckets. The generic forward adds them to the scores as a (heads, T, S) bias; the
// convolution DeBERTa-v2 xlarge / xxlarge apply after layer 0 lives here too.

#include "base/tensor.h"
#include "models/kernels.h"

#include <cstdint>

#include <string>
#include <vector>

namespace attnviz {

class HfConfig;

struct DisentangledAttention
{
    bool relative = false;        // relative_attention: the position terms are added at all
    int positionBuckets = -1;     // position_buckets (≤ 0: relative positions are not bucketed)
    int maxRelativePositions = 0; // max_relative_positions (< 1 in config.json: max_position_embeddings)
    int span = 0;                 // att_span: position_buckets if > 0, else max_relative_positions
    bool c2p = false;             // "c2p" in pos_att_type
    bool p2c = false;             // "p2c" in pos_att_type
    bool shareKey = false;        // share_att_key: positions go through the layer's own W_Q / W_K
    bool normRelative = false;    // norm_rel_ebd has "layer_norm": the table passes encoder.LayerNorm
    int convKernel = 0;           // conv_kernel_size: > 0 adds the convolution after layer 0 (DebertaConv)
    int convGroups = 1;           // conv_groups
    std::string convActivation = "tanh"; // conv_act
    // Scores are divided by √(d_k · scaleFactor), scaleFactor = 1 + the position terms used.
    int scaleFactor() const { return 1 + (c2p ? 1 : 0) + (p2c ? 1 : 0); }
    int tableRows() const { return 2 * span; } // rows of rel_embeddings that are read
};

// make_log_bucket_position: relative positions within ±bucketSize/2 stay as they are, further
// ones are spaced logarithmically up to maxPosition (computed in float32, as transformers does on
// its integer tensors, so every bucket is the reference's).
int logBucketPosition(int relative, int bucketSize, int maxPosition);
// build_relative_position for query position i and key position j: i − j, bucketed when both
// position_buckets and max_relative_positions are positive.
int relativePosition(int i, int j, const DisentangledAttention& a);

// The settings from config.json (throws ModelLoadError naming the key): maxPositions is
// max_position_embeddings, the fallback of max_relative_positions.
DisentangledAttention disentangledSettings(const HfConfig& config, int maxPositions);

// DeBERTa-v2's ConvLayer (conv_kernel_size > 0: deberta-v2-xlarge, -xxlarge), once after layer 0:
// x = LayerNorm(x + act(conv1d(embeddings))), the encoder's input convolved over positions
// (kernel k, padding (k − 1)/2, conv_groups), padded positions' convolution and result zeroed.
struct DebertaConv
{
    std::vector<Linear> taps; // k of (d, d): tap u carries input row t + u − (k − 1)/2 to output row t
    RowVector bias;           // (d)
    bool tanh = true;         // conv_act "tanh" (the default), else `activation`
    Activation activation = Activation::GeluErf;
    RowVector normGain, normBias; // encoder.conv.LayerNorm
};
// weights: Conv1d's (d, d / groups, k) row-major.
DebertaConv debertaConv(const std::vector<float>& weights, RowVector bias, int width, int kernel, int groups);
// embeddings and layerOutput (T, d); valid (T): 1 for the tokens the mask lets be attended.
Matrix applyDebertaConv(const DebertaConv& c, const Matrix& embeddings, const Matrix& layerOutput,
                        const std::vector<std::uint8_t>& valid, float eps);

// A remark for the pipeline view: what the scaled scores hold besides Q·Kᵀ.
std::string disentangledNote(const DisentangledAttention& a, int headDim);

// The position terms (c2p + p2c) · scale of every head, (heads, T, S) row-major, for queries q
// (T, heads·hd) at positions firstPosition.. and keys k (S, heads·hd) at 0..S−1; posQuery / posKey
// are the relative-embedding table through the layer's query / key projection (2·span,
// heads·hd), either may be empty when its term is off. Empty when relative is off.
std::vector<float> disentangledBias(const DisentangledAttention& a, const Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>& q,
                                    const Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>& k, const Matrix& posQuery,
                                    const Matrix& posKey, int heads, int headDim, int firstPosition, float scale);

} // namespace attnviz
