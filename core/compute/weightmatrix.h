#pragma once
// A layer's right-hand side B (K, N), whichever way it is kept: floats packed once into panels
// (safetensors, torch files, built-in models), or rows in their file's encoding, dequantised per
// panel slice (GGUF). Callers multiply and read head slices without knowing which.

#include "compute/encodedmatrix.h"
#include "compute/packedgemm.h"

namespace attnviz::compute {

class WeightMatrix
{
public:
    WeightMatrix() = default;
    explicit WeightMatrix(const Matrix& b) : m_packed(b) {}                          // b is (K, N)
    explicit WeightMatrix(EncodedMatrix b) : m_encoded(std::move(b)), m_isEncoded(true) {} // N rows of K

    Index rows() const { return m_isEncoded ? m_encoded.rows() : m_packed.rows(); }
    Index cols() const { return m_isEncoded ? m_encoded.cols() : m_packed.cols(); }
    // The encoded rows, or nullptr when the weights are packed floats.
    const EncodedMatrix* encoded() const { return m_isEncoded ? &m_encoded : nullptr; }

    // C (m, N) = A (m, K) · B (+ bias), see multiplyPanels.
    void multiply(const float* a, Index lda, Index m, const float* bias, float* c, Index ldc, bool parallel) const
    {
        if (m_isEncoded)
            multiplyEncoded(a, lda, m, m_encoded, bias, c, ldc, parallel);
        else
            multiplyPanels(a, lda, m, m_packed.view(), bias, c, ldc, parallel);
    }
    Matrix columns(Index first, Index count) const
    {
        return m_isEncoded ? m_encoded.columns(first, count) : m_packed.columns(first, count);
    }
    Matrix unpacked() const { return columns(0, cols()); }

private:
    PackedMatrix m_packed;
    EncodedMatrix m_encoded;
    bool m_isEncoded = false;
};

} // namespace attnviz::compute
