#pragma once
// Exact scaled dot-product attention with every intermediate kept, for teaching and for the
// Q/K/V pipeline view: Q = X·W_Q, K = X_src·W_K, V = X_src·W_V, S = Q·Kᵀ, S/√d_k, mask, softmax, ·V.

#include "attention/mask.h"
#include "base/tensor.h"

#include <string>
#include <vector>

namespace attnviz {

struct HeadCapture
{
    std::string name;
    Matrix q;                             // (T, d_k)
    Matrix k;                             // (S, d_k)
    Matrix v;                             // (S, d_v)
    Matrix scores;                        // (T, S) Q·Kᵀ
    Matrix scaled;                        // (T, S) scores/√d_k, or a copy of scores when scaling is off
    MaskMatrix mask;                      // (T, S) 1 = may attend
    Matrix weights;                       // (T, S) softmax over allowed keys; a fully masked row is all zero
    Matrix output;                        // (T, d_v) weights·V
    std::vector<std::uint8_t> fullyMasked; // (T) 1 where the row had no allowed key
    bool scaledByRootDk = true;
};

struct HeadWeights
{
    std::string name;
    Matrix wq; // (d_model, d_k)
    Matrix wk; // (d_model, d_k)
    Matrix wv; // (d_model, d_v)
};

struct AttentionOptions
{
    bool scale = true; // divide scores by √d_k; off only to show why it exists
    MaskSpec mask;
    const std::atomic<bool>* cancel = nullptr;
};

struct MultiHeadResult
{
    std::vector<HeadCapture> heads;
    Matrix concat;            // (T, heads*d_v) head outputs side by side, head 0 first
    Matrix output;            // (T, d_out) concat·W_O, or concat itself when there is no W_O
    bool hasOutputProjection = false;
};

// Numerically stable softmax of each row over the keys its mask allows (max subtracted first).
// Masked entries, and every entry of a row with no allowed key, come out as exactly 0; such rows
// are flagged in fullyMasked. Never produces NaN for finite input.
void maskedSoftmaxRows(const Matrix& logits, const MaskMatrix& mask, Matrix& weights,
                       std::vector<std::uint8_t>& fullyMasked);

// One head from already projected Q (T, d_k), K (S, d_k), V (S, d_v). Single-threaded by design:
// callers parallelise over heads, which keeps results identical for any thread count.
HeadCapture attendProjected(Matrix q, Matrix k, Matrix v, const MaskMatrix& mask, bool scale);

// Multi-head attention of queries X (T, d_model) over source (S, d_model); pass X as source for
// self-attention. Heads run in parallel (OpenMP). wo, when given, is (heads*d_v, d_out).
// Throws std::invalid_argument on any shape mismatch (the message names the matrix and shapes),
// Cancelled when options.cancel is raised.
MultiHeadResult multiHeadAttention(const Matrix& x, const Matrix& source, const std::vector<HeadWeights>& heads,
                                   const Matrix* wo, const AttentionOptions& options);

} // namespace attnviz
