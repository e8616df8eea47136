#pragma once
// A matrix written as JSON: an array of rows. Shared by the lesson writer and the CLI's result
// output, so both spell matrices the same way.

#include "base/tensor.h"
#include "util/json.h"

#include <type_traits>

namespace attnviz::json {

// Float matrices as numbers, mask matrices as 0/1; a cell whose `nulled` entry is 0 (masked) is
// written as null. `compactRows` puts each row on one line of indented output.
template <typename M>
void writeMatrix(Writer& w, const M& m, const MaskMatrix* nulled = nullptr, bool compactRows = false)
{
    w.beginArray();
    for (Index i = 0; i < m.rows(); ++i) {
        w.beginArray(compactRows);
        for (Index j = 0; j < m.cols(); ++j) {
            if (nulled != nullptr && (*nulled)(i, j) == 0)
                w.null();
            else if constexpr (std::is_same_v<typename M::Scalar, float>)
                w.value(m(i, j));
            else
                w.value(static_cast<int>(m(i, j)));
        }
        w.endArray();
    }
    w.endArray();
}

} // namespace attnviz::json
