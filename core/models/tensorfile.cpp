#include "models/tensorfile.h"

#include "base/modelloaderror.h"
#include "compute/ggmldequant.h"
#include "models/mappedfile.h"
#include "util/messagetext.h"

#include <algorithm>
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

void TensorFile::refuseOverlaps(const std::string& path, std::vector<const TensorInfo*>& tensors)
{
    std::sort(tensors.begin(), tensors.end(), [](const TensorInfo* a, const TensorInfo* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    for (std::size_t i = 1; i < tensors.size(); ++i) {
        if (tensors[i]->begin < tensors[i - 1]->end) {
            throw ModelLoadError(path + ": tensor " + quotedForMessage(tensors[i]->name) + " overlaps tensor " +
                                 quotedForMessage(tensors[i - 1]->name));
        }
    }
}

std::span<const std::uint8_t> TensorFile::tensorBytes(const TensorInfo& info) const
{
    if (info.begin > info.end || info.end > m_bytes.size())
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " lies outside the file");
    return m_bytes.subspan(info.begin, info.end - info.begin);
}

const compute::GgmlTypeInfo& TensorFile::decodableType(const TensorInfo& info) const
{
    // safetensors' F32, F16 and BF16 are ggml's too, so one decoder serves every container.
    const compute::GgmlTypeInfo* type = compute::ggmlTypeNamed(info.dtype);
    if (type == nullptr || !type->dequantizable) {
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " has dtype " +
                             quotedForMessage(info.dtype) + "; only " + std::string(compute::dequantizableTypeNames()) +
                             " weights are supported");
    }
    return *type;
}

std::vector<float> TensorFile::readFloats(const TensorInfo& info) const
{
    // The dtype first: a quantised type has no element size, and "outside the file" would mislead.
    const compute::GgmlTypeInfo* type = &decodableType(info);
    const std::span<const std::uint8_t> bytes = tensorBytes(info);
    const std::int64_t n = info.elements();
    const std::int64_t blocks = n / type->blockElements;
    if (n % type->blockElements != 0 || bytes.size() / static_cast<std::size_t>(type->blockBytes) !=
                                            static_cast<std::size_t>(blocks) ||
        bytes.size() % static_cast<std::size_t>(type->blockBytes) != 0) {
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " lies outside the file");
    }
    std::vector<float> out(static_cast<std::size_t>(n));
    if (n > 0) // the data may be unaligned: the decoder reads bytes
        compute::dequantizeRow(type->type, bytes.data(), out.data(), n);
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
