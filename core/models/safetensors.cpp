#include "models/safetensors.h"

#include "base/modelloaderror.h"
#include "util/json.h"
#include "util/lfspointer.h"
#include "util/messagetext.h"

#include <algorithm>

namespace attnviz {

namespace {

constexpr std::string_view metadataKey = "__metadata__";

// A JSON number that must be a non-negative integer, read exactly (offsets may exceed 2^53).
std::uint64_t exactCount(const json::Value& v, const std::string& what)
{
    if (!v.isNumber()) {
        throw ModelLoadError(what + " is not a number");
    }
    const std::optional<std::uint64_t> n = v.exactUint64();
    if (!n) {
        throw ModelLoadError(what + " is not a non-negative integer");
    }
    return *n;
}

} // namespace

SafetensorsFile::SafetensorsFile(const std::string& path) : TensorFile(path)
{
    parse();
}

SafetensorsFile::SafetensorsFile(std::string label, std::span<const std::uint8_t> borrowed)
    : TensorFile(std::move(label), borrowed)
{
    parse();
}

void SafetensorsFile::parse()
{
    const std::string& path = this->path();
    const std::uint8_t* data = bytes().data();
    const std::size_t fileSize = bytes().size();
    const std::string_view head(reinterpret_cast<const char*>(data), std::min<std::size_t>(fileSize, 200));
    if (const auto lfs = gitLfsPointerMessage(head, path))
        throw ModelLoadError(*lfs);
    if (fileSize < 8) {
        throw ModelLoadError(path + ": too short for a safetensors file (" + std::to_string(fileSize) + " bytes)");
    }
    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i) { // little-endian regardless of host
        headerLength = (headerLength << 8) | data[i];
    }
    if (headerLength > maxHeaderBytes) {
        throw ModelLoadError(path + ": safetensors header length " + std::to_string(headerLength) +
                             " exceeds the 100 MB limit");
    }
    if (headerLength > fileSize - 8) {
        throw ModelLoadError(path + ": file truncated: header of " + std::to_string(headerLength) + " bytes but only " +
                             std::to_string(fileSize - 8) + " follow");
    }
    const std::size_t dataStart = 8 + static_cast<std::size_t>(headerLength);
    const std::size_t dataSize = fileSize - dataStart;

    json::Value header;
    try {
        header = json::parse(std::string_view(reinterpret_cast<const char*>(data) + 8, headerLength));
    } catch (const json::ParseError& e) {
        throw ModelLoadError(path + ": safetensors header is not valid JSON: " + e.what());
    }
    if (!header.isObject()) {
        throw ModelLoadError(path + ": safetensors header is not a JSON object");
    }

    std::vector<const TensorInfo*> byOffset;
    for (const auto& [name, entry] : header.asObject()) {
        if (name == metadataKey)
            continue;
        const std::string where = path + ": tensor " + quotedForMessage(name);
        if (!entry.isObject())
            throw ModelLoadError(where + ": entry is not an object");
        const json::Value* dtype = entry.find("dtype");
        const json::Value* shape = entry.find("shape");
        const json::Value* offsets = entry.find("data_offsets");
        if (dtype == nullptr || !dtype->isString())
            throw ModelLoadError(where + ": missing dtype");
        if (shape == nullptr || !shape->isArray())
            throw ModelLoadError(where + ": missing shape");
        if (offsets == nullptr || !offsets->isArray() || offsets->asArray().size() != 2) {
            throw ModelLoadError(where + ": data_offsets must be [begin, end]");
        }
        TensorInfo info;
        info.name = name;
        info.dtype = dtype->asString();
        const std::size_t elementSize = dtypeSize(info.dtype);
        if (elementSize == 0)
            throw ModelLoadError(where + ": unknown dtype " + quotedForMessage(info.dtype));
        // Product with an overflow guard: no real tensor has more than 2^48 elements.
        std::uint64_t count = 1;
        for (const auto& d : shape->asArray()) {
            const std::uint64_t dim = exactCount(d, where + " shape entry");
            // dim alone too: after a 0 the product stays 0, and a dim above INT64_MAX must not reach shape.
            if (dim > (std::uint64_t(1) << 48) || (dim != 0 && count > (std::uint64_t(1) << 48) / dim)) {
                throw ModelLoadError(where + ": shape is implausibly large");
            }
            count *= dim;
            info.shape.push_back(static_cast<std::int64_t>(dim));
        }
        const std::uint64_t begin = exactCount(offsets->asArray()[0], where + " begin offset");
        const std::uint64_t end = exactCount(offsets->asArray()[1], where + " end offset");
        if (begin > end || end > dataSize) {
            throw ModelLoadError(where + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                                 ") lie outside the " + std::to_string(dataSize) + " data bytes (truncated file?)");
        }
        if (end - begin != count * elementSize) {
            throw ModelLoadError(where + ": " + std::to_string(end - begin) + " bytes do not match dtype " +
                                 info.dtype + " and shape " + shapeText(info.shape) + " (" +
                                 std::to_string(count * elementSize) + " bytes)");
        }
        info.begin = dataStart + begin;
        info.end = dataStart + end;
        auto [it, inserted] = m_tensors.emplace(name, std::move(info));
        if (!inserted)
            throw ModelLoadError(where + ": listed twice");
        byOffset.push_back(&it->second);
    }
    refuseOverlaps(path, byOffset);
    if (const json::Value* metadata = header.find(metadataKey); metadata != nullptr && metadata->isObject()) {
        for (const auto& [key, value] : metadata->asObject())
            if (value.isString()) m_metadata.emplace(key, value.asString());
        addMetadataAliases(*metadata);
    }
}

const std::string* SafetensorsFile::metadata(const std::string& key) const
{
    const auto it = m_metadata.find(key);
    return it == m_metadata.end() ? nullptr : &it->second;
}

// safetensors.torch.save_model stores a tensor shared under two names once and records the
// dropped name in __metadata__ as {"dropped": "kept"}. Only entries whose value names a stored
// tensor are aliases; the rest ("format": "pt", ...) is ordinary metadata.
void SafetensorsFile::addMetadataAliases(const json::Value& metadata)
{
    for (const auto& [alias, target] : metadata.asObject()) {
        if (!target.isString() || m_tensors.count(alias) != 0)
            continue;
        const auto kept = m_tensors.find(target.asString());
        if (kept == m_tensors.end())
            continue;
        TensorInfo info = kept->second;
        info.name = alias;
        m_tensors.emplace(alias, std::move(info));
    }
}

} // namespace attnviz
