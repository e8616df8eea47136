#include "models/tokentable.h"

#include "models/kernels.h"

#include <algorithm>

namespace attnviz {

void TokenTable::rowInto(Index id, float* out) const
{
    if (m_isEncoded) {
        m_encoded.decodeRow(id, out);
        return;
    }
    std::copy(m_floats.row(id).data(), m_floats.row(id).data() + m_floats.cols(), out);
}

Matrix TokenTable::timesTransposed(const Matrix& x) const
{
    if (!m_isEncoded)
        return multiplyTransposed(x, m_floats);
    // The encoded rows are exactly the (out, in) layout of a dense layer's weights.
    Matrix y(x.rows(), vocab());
    compute::multiplyEncoded(x.data(), x.cols(), x.rows(), m_encoded, nullptr, y.data(), y.cols(), true);
    return y;
}

} // namespace attnviz
