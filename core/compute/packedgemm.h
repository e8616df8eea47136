#pragma once
// Matrix products whose right-hand side is packed into 32-column panels (see microkernel.h).
// Model weights are packed once, at load; attention packs each head's Kᵀ and V per call.
// The left-hand side (activations, attention weights) is always read in place, row-major.

#include "base/tensor.h"

namespace attnviz::compute {

// A packed right-hand side B (rows = depth K, cols = N), not owning its floats.
struct PanelsView
{
    const float* data = nullptr;
    Index rows = 0;
    Index cols = 0;
    const float* panel(Index j) const;
};

// Floats packPanels writes for a (rows, cols) right-hand side: whole panels, zero-padded.
Index packedSize(Index rows, Index cols);

// Packs B(k, n) = src[k * rowStride + n * colStride] for k < rows, n < cols into panels: panel j
// holds `rows` rows of 32 floats (columns 32j..32j+31, zero past `cols`). `out` must hold
// packedSize(rows, cols) floats and be 64-byte aligned. colStride = 1 packs a row-major matrix;
// rowStride = 1 packs a transposed one (a head's keys, for Q·Kᵀ).
void packPanels(const float* src, Index rowStride, Index colStride, Index rows, Index cols, float* out);

// C (m, N) = A (m, K) · B (+ bias, N floats, or null). A's row i starts at a + i * lda, C's at
// c + i * ldc. With `parallel`, fixed output tiles are shared among the OpenMP threads.
void multiplyPanels(const float* a, Index lda, Index m, PanelsView b, const float* bias, float* c, Index ldc,
                    bool parallel);

// A right-hand side packed once and kept (a layer's weights).
class PackedMatrix
{
public:
    PackedMatrix() = default;
    explicit PackedMatrix(const Matrix& b); // b is (K, N)

    Index rows() const { return m_rows; }
    Index cols() const { return m_cols; }
    PanelsView view() const { return {m_data.data(), m_rows, m_cols}; }
    // Columns [first, first + count) unpacked: the pipeline view shows one head's slice.
    Matrix columns(Index first, Index count) const;
    Matrix unpacked() const { return columns(0, m_cols); }

private:
    Index m_rows = 0;
    Index m_cols = 0;
    Eigen::VectorXf m_data; // Eigen aligns it for the widest vector unit
};

} // namespace attnviz::compute
