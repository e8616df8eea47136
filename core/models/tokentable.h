#pragma once
// A (vocab, d) table of token vectors, as floats or kept as a GGUF file encodes it: the token
// embedding, and the LM head (its own or tied to the embedding). A quantised 128k-token table
// stays a few hundred MB instead of a 1 GB float copy.

#include "base/tensor.h"
#include "compute/encodedmatrix.h"

namespace attnviz {

class TokenTable
{
public:
    TokenTable() = default;
    explicit TokenTable(Matrix floats) : m_floats(std::move(floats)) {}
    explicit TokenTable(compute::EncodedMatrix rows) : m_encoded(std::move(rows)), m_isEncoded(true) {}

    bool empty() const { return vocab() == 0; }
    Index vocab() const { return m_isEncoded ? m_encoded.cols() : m_floats.rows(); }
    Index width() const { return m_isEncoded ? m_encoded.rows() : m_floats.cols(); }
    const compute::EncodedMatrix* encoded() const { return m_isEncoded ? &m_encoded : nullptr; }

    // Token id's vector into out (width() floats).
    void rowInto(Index id, float* out) const;
    // x (T, d) times the tableᵀ: (T, vocab) scores, parallel over fixed vocabulary blocks.
    Matrix timesTransposed(const Matrix& x) const;

private:
    Matrix m_floats;
    compute::EncodedMatrix m_encoded; // rows = tokens
    bool m_isEncoded = false;
};

} // namespace attnviz
