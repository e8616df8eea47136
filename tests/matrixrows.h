#pragma once
// A matrix written row by row in a test: rows({{1, 2}, {3, 4}}).

#include "base/tensor.h"

#include <initializer_list>

namespace attnviz::testdata {

inline Matrix rows(std::initializer_list<std::initializer_list<float>> values)
{
    Matrix m(Index(values.size()), Index(values.begin()->size()));
    Index i = 0;
    for (const auto& r : values) {
        Index j = 0;
        for (float v : r)
            m(i, j++) = v;
        ++i;
    }
    return m;
}

} // namespace attnviz::testdata
