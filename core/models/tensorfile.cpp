#include "models/tensorfile.h"

#include "base/modelloaderror.h"
#include "models/mappedfile.h"
#include "util/messagetext.h"

#include <cstring>

namespace attnviz {

TensorFile::TensorFile(const std::string& path)
    : m_path(path), m_map(std::make_unique<MappedFile>(path)), m_bytes(m_map->data(), m_map->size())
{
}

TensorFile::TensorFile(std::string label, std::span<const std::uint8_t> borrowed)
    : m_path(std::move(label)), m_bytes(borrowed)
{
}

TensorFile::~TensorFile() = default;

std::int64_t TensorInfo::elements() const
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

const TensorInfo* TensorFile::find(const std::string& name) const
{
    auto it = m_tensors.find(name);
    return it == m_tensors.end() ? nullptr : &it->second;
}

std::vector<float> TensorFile::readFloats(const TensorInfo& info) const
{
    const std::size_t n = static_cast<std::size_t>(info.elements());
    // The dtype first: a quantised GGUF type has no element size, and "outside the file" would mislead.
    if (info.dtype != "F32" && info.dtype != "F16" && info.dtype != "BF16") {
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " has dtype " +
                             quotedForMessage(info.dtype) + "; only F32, F16 and BF16 weights are supported");
    }
    if (info.begin > info.end || info.end > m_bytes.size() || info.end - info.begin != n * dtypeSize(info.dtype))
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " lies outside the file");
    const std::uint8_t* src = m_bytes.data() + info.begin;
    std::vector<float> out;
    if (info.dtype == "F32") {
        out.resize(n);
        if (n > 0)
            std::memcpy(out.data(), src, n * sizeof(float)); // the data may be unaligned
    } else { // F16 or BF16
        out.resize(n);
        const bool bf = info.dtype == "BF16";
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint16_t h = static_cast<std::uint16_t>(src[2 * i] | (src[2 * i + 1] << 8));
            out[i] = bf ? bfloat16ToFloat(h) : halfToFloat(h);
        }
    }
    return out;
}

std::size_t dtypeSize(const std::string& dtype)
{
    if (dtype == "F64" || dtype == "I64" || dtype == "U64")
        return 8;
    if (dtype == "F32" || dtype == "I32" || dtype == "U32")
        return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16")
        return 2;
    if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" || dtype == "F8_E5M2")
        return 1;
    return 0;
}

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        s += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return s + "]";
}

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { // subnormal: renormalise
            int e = -1;
            do {
                ++e;
                mantissa <<= 1;
            } while ((mantissa & 0x400u) == 0);
            bits = sign | (static_cast<std::uint32_t>(127 - 15 - e) << 23) | ((mantissa & 0x3ffu) << 13);
        }
    } else if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13); // inf / nan
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

float bfloat16ToFloat(std::uint16_t b)
{
    const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

} // namespace attnviz
