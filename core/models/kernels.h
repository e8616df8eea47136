#pragma once
// Shared transformer kernels (llm.c style): every family is assembled from these, so a fix or a
// faster kernel lands everywhere at once. Row-vector convention throughout: a row is one token.
//
// Determinism: rows are split into fixed-size blocks that do not depend on the thread count, and
// each block (or head) is computed single-threaded inside our own OpenMP loop, so results are
// bit-identical for any number of threads (Eigen's own threaded GEMM picks thread-dependent blockings).

#include "attention/attention.h"

#include <set>
#include <vector>
#include <utility>

namespace attnviz {

// A dense layer y = x·W + b.
struct Linear
{
    Matrix w;    // (in, out): already transposed from PyTorch's nn.Linear (out, in) at load
    RowVector b; // (out), or size 0 when the layer has no bias
};

Matrix applyLinear(const Matrix& x, const Linear& layer); // (T, in) -> (T, out)
// x (T, d) times embeddingᵀ for a tied LM head, embedding (vocab, d) -> (T, vocab). Parallel over
// fixed vocabulary blocks, so one row (generation) still uses every thread.
Matrix multiplyTransposed(const Matrix& x, const Matrix& embedding);

// LayerNorm over each row: (x - mean) / sqrt(var + eps) * gain + bias (biased variance, as PyTorch).
Matrix layerNorm(const Matrix& x, const RowVector& gain, const RowVector& bias, float eps);
// RMSNorm over each row: x / sqrt(mean(x²) + eps) * gain (Llama).
Matrix rmsNorm(const Matrix& x, const RowVector& gain, float eps);

void geluTanhInPlace(Matrix& x); // GPT-2's "gelu_new"
void geluErfInPlace(Matrix& x);  // BERT's exact "gelu"
void siluInPlace(Matrix& x);

// Rotary position embedding on x (T, heads*headDim), token t at position `firstPosition + t`;
// pair i turns by angle position * inverseFrequencies[i] (headDim/2 entries).
// interleaved = false: Hugging Face rotate_half (pairs i and i + headDim/2);
// interleaved = true: llama2.c / Meta (pairs 2i and 2i+1).
void applyRope(Matrix& x, int heads, int headDim, int firstPosition, const std::vector<float>& inverseFrequencies,
               bool interleaved);
// theta^(-2i/headDim) for i < headDim/2, in float as PyTorch and llama2.c compute it.
std::vector<float> ropeInverseFrequencies(int headDim, float theta);

// Everything one layer's attention step needs besides Q, K, V.
struct LayerAttentionOptions
{
    int layer = 0;
    const MaskMatrix* mask = nullptr; // (T, S)
    bool scale = true;
    const std::set<std::pair<int, int>>* ablated = nullptr; // (layer, head) pairs
    float* weightsOut = nullptr; // (heads, T, S) destination of the attention weights, or null
    int captureHead = -1;        // head whose full HeadCapture is kept (pipeline view), or -1
    HeadCapture* capture = nullptr;
};

// Multi-head (grouped-query when kvHeads < heads) attention over projected q (T, heads*dk),
// k (S, kvHeads*dk), v (S, kvHeads*dv); query head h uses KV head h / (heads / kvHeads).
// Returns the concatenated head outputs (T, heads*dv), ablated heads zeroed. Heads run in parallel.
Matrix attendHeads(const Matrix& q, const Matrix& k, const Matrix& v, int heads, int kvHeads,
                   const LayerAttentionOptions& options);

} // namespace attnviz
