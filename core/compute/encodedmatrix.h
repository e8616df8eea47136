#pragma once
// Weights kept in their file's encoding (a GGUF file's quantised, F16, BF16 or F32 rows, memory
// mapped): nothing is widened at load. The matrix product dequantises each panel slice into the
// kernel's panel layout just before it is used and computes in F32, so a quantised model costs
// its file size in memory, and its results equal the F32 product on the dequantised weights
// bit for bit (the same fused multiply-add chains as multiplyPanels).

#include "base/tensor.h"
#include "compute/ggmltypes.h"

#include <memory>
#include <string>
#include <vector>

namespace attnviz::compute {

// One stored row: `depth` values of `type`, a whole number of its blocks.
struct EncodedRow
{
    const std::uint8_t* data = nullptr;
    GgmlType type = GgmlType::F32;
};

// The right-hand side B (depth K, N columns) of y = x·B, stored as N rows of K values (the
// (out, in) layout of nn.Linear and GGUF). Rows may point into different tensors, even of
// different types (Q4_K_M keeps some V rows in Q6_K), so fused Q | K | V or gate | up and llama.cpp's
// permuted heads are only a row table.
class EncodedMatrix
{
public:
    EncodedMatrix() = default;
    // `rowCount` rows of `depth` values of `type` starting at `data`, rowBytes apart; `owner` keeps
    // the bytes alive (the mapped file). depth must be a whole number of the type's blocks.
    EncodedMatrix(GgmlType type, const std::uint8_t* data, Index depth, Index rowCount,
                  std::shared_ptr<const void> owner);

    Index rows() const { return m_depth; }                           // K
    Index cols() const { return static_cast<Index>(m_rows.size()); } // N
    const std::vector<EncodedRow>& storedRows() const { return m_rows; }

    // Stored row r (column r of B) as floats into out[0, depth).
    void decodeRow(Index r, float* out) const;
    // Columns [first, first + count) of B as a (K, count) matrix (the pipeline view's head slice).
    Matrix columns(Index first, Index count) const;
    // The distinct types of the rows, e.g. "Q4_K, Q6_K".
    std::string typeNames() const;

    // The rows of `parts` one after another (Q | K | V).
    static EncodedMatrix joined(const std::vector<const EncodedMatrix*>& parts);
    // Row r of the result is row order[r] of this one.
    EncodedMatrix reordered(const std::vector<Index>& order) const;

private:
    Index m_depth = 0;
    std::vector<EncodedRow> m_rows;
    std::vector<std::shared_ptr<const void>> m_owners;
};

// C (m, N) = A (m, K) · B (+ bias, N floats, or null), as multiplyPanels does for packed floats.
void multiplyEncoded(const float* a, Index lda, Index m, const EncodedMatrix& b, const float* bias, float* c,
                     Index ldc, bool parallel);

} // namespace attnviz::compute
