#include "export/npywriter.h"

#include <QtEndian>

#include <cstring>

namespace attnviz {

QByteArray NpyWriter::headerDict(const std::vector<int>& shape)
{
    QByteArray dims;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            dims += ", ";
        dims += QByteArray::number(shape[i]);
    }
    if (shape.size() == 1)
        dims += ','; // a Python 1-tuple needs the trailing comma
    return "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
}

QByteArray NpyWriter::encode(const std::vector<int>& shape, const float* data)
{
    std::size_t count = 1;
    for (int d : shape)
        count *= static_cast<std::size_t>(d);

    QByteArray header = headerDict(shape);
    // magic (6) + version (2) + length (2) + header + '\n' must be a multiple of 64.
    const qsizetype prefix = 10;
    const qsizetype unpadded = prefix + header.size() + 1;
    header += QByteArray((64 - unpadded % 64) % 64, ' ');
    header += '\n';

    QByteArray out;
    out.reserve(prefix + header.size() + static_cast<qsizetype>(count * sizeof(float)));
    out += QByteArray("\x93NUMPY", 6);
    out += char(1);
    out += char(0);
    const quint16 length = qToLittleEndian(static_cast<quint16>(header.size()));
    out += QByteArray(reinterpret_cast<const char*>(&length), 2);
    out += header;
    for (std::size_t i = 0; i < count; ++i) {
        // '<f4': little-endian whatever this machine is.
        quint32 bits = 0;
        std::memcpy(&bits, data + i, sizeof bits);
        bits = qToLittleEndian(bits);
        out += QByteArray(reinterpret_cast<const char*>(&bits), sizeof bits);
    }
    return out;
}

} // namespace attnviz
