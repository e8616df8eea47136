#pragma once
// NumPy .npy files (format version 1.0) of float32 arrays, written by hand so the data export
// needs no Python: magic, version, a little-endian header length, the header dict
// {'descr': '<f4', 'fortran_order': False, 'shape': (...), } padded to a multiple of 64 bytes,
// then the values in C order.

#include <QByteArray>

#include <cstddef>
#include <vector>

namespace attnviz {

class NpyWriter
{
public:
    // `data` holds the product of `shape` floats in row-major (C) order.
    static QByteArray encode(const std::vector<int>& shape, const float* data);
    // The header dict text for `shape`, e.g. "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".
    static QByteArray headerDict(const std::vector<int>& shape);
};

} // namespace attnviz
