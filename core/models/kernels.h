#pragma once
// Shared transformer kernels (llm.c style): every family is assembled from these, so a fix or a
// faster kernel lands everywhere at once. Row-vector convention throughout: a row is one token.
//
// Determinism: rows are split into fixed-size blocks that do not depend on the thread count, and
// each block (or head) is computed single-threaded inside our own OpenMP loop, so results are
// bit-identical for any number of threads (Eigen's own threaded GEMM picks thread-dependent blockings).

#include "attention/attention.h"
#include "compute/weightmatrix.h"
#include "engine/attentionresult.h"

#include <set>
#include <string>
#include <vector>
#include <utility>

namespace attnviz {

// A dense layer y = x·W + b. W is packed once, here, for the matrix-product kernel.
class Linear
{
public:
    Linear() = default;
    // w is (in, out): PyTorch's nn.Linear (out, in) is transposed at load. b is (out), or empty.
    explicit Linear(const Matrix& w, RowVector b = RowVector()) : m_w(w), m_b(std::move(b)) {}
    // Weights kept as a file encodes them (GGUF), stored as `out` rows of `in` values.
    explicit Linear(compute::EncodedMatrix w, RowVector b = RowVector()) : m_w(std::move(w)), m_b(std::move(b)) {}

    Index inputs() const { return m_w.rows(); }
    Index outputs() const { return m_w.cols(); }
    const RowVector& bias() const { return m_b; }
    const compute::WeightMatrix& matrix() const { return m_w; }
    Matrix weights() const { return m_w.unpacked(); }
    // Columns [first, first + count) of W, e.g. one head's slice for the pipeline view.
    Matrix weightColumns(Index first, Index count) const { return m_w.columns(first, count); }

private:
    compute::WeightMatrix m_w;
    RowVector m_b;
};

Matrix applyLinear(const Matrix& x, const Linear& layer); // (T, in) -> (T, out), parallel over output tiles
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
void reluInPlace(Matrix& x);

// ALiBi's per-head slopes (Press et al. 2022, as BLOOM computes them): a geometric sequence from
// 2^(-8/n) for n a power of two; other head counts take the next power's odd-numbered slopes too.
std::vector<float> alibiSlopes(int heads);

enum class Activation { GeluErf, GeluTanh, Silu, Relu };
void activateInPlace(Activation activation, Matrix& x);
// The activation a config.json names ("gelu", "gelu_new", "silu", ...); throws ModelLoadError
// starting with `where` for any other.
Activation activationNamed(const std::string& name, const std::string& where);

// Rotary position embedding on x (T, heads*headDim), token t at position `firstPosition + t`;
// pair i turns by angle position * inverseFrequencies[i]. With headDim/2 entries every dimension
// rotates; with fewer (partial rotary, GPT-NeoX), only the first 2·entries of each head do.
// interleaved = false: Hugging Face rotate_half (pairs i and i + entries, within the rotated part);
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
    float scaleFactor = 0; // > 0: the family's own score scale in place of 1/√d_k (when scale is on)
    float softcap = 0;     // > 0: scaled scores become c·tanh(score / c) before the mask (Gemma 2)
    // Added to the scaled scores, or null: (heads, T, S) for T5's relative positions, or with
    // scoreBiasPerKey one row (heads, S) shared by every query (ALiBi's slope × key position).
    const float* scoreBias = nullptr;
    bool scoreBiasPerKey = false;
    const std::set<std::pair<int, int>>* ablated = nullptr; // (layer, head) pairs
    // Keeps the weights of the heads it holds in this layer (all, some or none), or null: the
    // other heads' weights live only in per-thread scratch.
    AttentionTensor* maps = nullptr;
    int captureHead = -1;        // head whose full HeadCapture is kept (pipeline view), or -1
    HeadCapture* capture = nullptr;
};

// Multi-head (grouped-query when kvHeads < heads) attention over projected q (T, heads*dk),
// k (S, kvHeads*dk), v (S, kvHeads*dv); query head h uses KV head h / (heads / kvHeads).
// Returns the concatenated head outputs (T, heads*dv), ablated heads zeroed. Heads run in parallel.
// Scores are computed only up to each query's last allowed key (half the work under a causal mask);
// the captured head also gets its full score matrix, with the same values where both exist.
// Column blocks of a row-major matrix, read in place (GPT-2's Q | K | V, a KV cache's first rows).
using ConstRowsRef = Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>;
Matrix attendHeads(ConstRowsRef q, ConstRowsRef k, ConstRowsRef v, int heads, int kvHeads,
                   const LayerAttentionOptions& options);

} // namespace attnviz
