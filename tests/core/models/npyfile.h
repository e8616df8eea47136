#pragma once
// Reads the NumPy .npy files (format 1.0, little-endian <f4 or <i4, C order) that the llama.cpp
// reference tool writes (tools/llamacpp/README.md), for tests. Throws std::runtime_error.

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

struct NpyArray
{
    std::vector<std::int64_t> shape;
    std::vector<float> floats;       // <f4 data
    std::vector<std::int32_t> ints;  // <i4 data
};

inline NpyArray readNpy(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0 || bytes[6] != 1)
        throw std::runtime_error(path + ": not a version 1 .npy file");
    const std::size_t headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    const std::string header = bytes.substr(10, headerLength);
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr': '(<f4|<i4)'.*'fortran_order': False.*'shape': \\(([0-9, ]*)\\)")))
        throw std::runtime_error(path + ": unsupported header " + header);
    NpyArray a;
    std::int64_t count = 1;
    const std::string dims = m[2];
    const std::regex number("[0-9]+");
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
        a.shape.push_back(std::stoll(it->str()));
        count *= a.shape.back();
    }
    const std::size_t start = 10 + headerLength;
    if (bytes.size() != start + static_cast<std::size_t>(count) * 4)
        throw std::runtime_error(path + ": data size does not match the shape");
    if (m[1] == "<f4") {
        a.floats.resize(static_cast<std::size_t>(count));
        std::memcpy(a.floats.data(), bytes.data() + start, a.floats.size() * 4);
    } else {
        a.ints.resize(static_cast<std::size_t>(count));
        std::memcpy(a.ints.data(), bytes.data() + start, a.ints.size() * 4);
    }
    return a;
}
