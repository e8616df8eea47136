// Writes NumPy .npy files (format version 1.0): the 6-byte magic "\x93NUMPY", version 1.0, a
// little-endian uint16 header length, an ASCII dict header padded with spaces and ended by '\n'
// so that the data starts at a multiple of 64 bytes, then the raw C-order data.
#pragma once

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace llamacpp {

template <typename T> constexpr const char* npyDescr();
template <> constexpr const char* npyDescr<float>() { return "<f4"; }
template <> constexpr const char* npyDescr<int32_t>() { return "<i4"; }

template <typename T>
void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const T* data) {
    std::string dims;
    int64_t count = 1;
    for (int64_t d : shape) {
        dims += std::to_string(d) + ", ";
        count *= d;
    }
    if (shape.size() > 1) dims.resize(dims.size() - 2); // "(3,)" for one dimension, "(3, 4)" for more
    std::string header = std::string("{'descr': '") + npyDescr<T>() + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    const size_t preamble = 10; // magic 6 + version 2 + length 2
    header.append(63 - (preamble + header.size()) % 64, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    const unsigned char magic[8] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    out.write(reinterpret_cast<const char*>(magic), sizeof magic);
    const unsigned char length[2] = {static_cast<unsigned char>(header.size() & 0xff),
                                     static_cast<unsigned char>(header.size() >> 8)};
    out.write(reinterpret_cast<const char*>(length), sizeof length);
    out << header;
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
    if (!out) throw std::runtime_error("cannot write " + path);
}

} // namespace llamacpp
