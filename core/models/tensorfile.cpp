#include "models/tensorfile.h"

#include "base/modelloaderror.h"
#include "compute/ggmldequant.h"
#include "models/mappedfile.h"
#include "util/messagetext.h"


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
    if (info.begin > info.end || info.end > m_bytes.size() || info.end - info.begin != n * dtypeSize(info.dtype))
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " lies outside the file");
    const std::uint8_t* src = m_bytes.data() + info.begin;
    std::vector<float> out;
    if (info.dtype == "F32" || info.dtype == "F16" || info.dtype == "BF16") {
        out.resize(n); // the data may be unaligned: the decoders read it byte-wise
        const auto type = info.dtype == "F32"   ? compute::GgmlType::F32
                          : info.dtype == "F16" ? compute::GgmlType::F16
                                                : compute::GgmlType::BF16;
        compute::dequantizeRow(type, src, out.data(), static_cast<std::int64_t>(n));
    } else {
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " has dtype " +
                             quotedForMessage(info.dtype) + "; only F32, F16 and BF16 weights are supported");
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

} // namespace attnviz
