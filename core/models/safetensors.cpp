#include "models/safetensors.h"

#include "base/modelloaderror.h"
#include "util/checkednumbers.h"
#include "util/json.h"
#include "util/lfspointer.h"
#include "util/regularfile.h"
#include "util/messagetext.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

namespace attnviz {

namespace {

constexpr std::string_view metadataKey = "__metadata__";

// Bytes per element, 0 for a dtype we do not know.
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

std::int64_t SafeTensorInfo::elements() const
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
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

SafetensorsFile::SafetensorsFile(const std::string& path) : m_file(path)
{
    const std::size_t fileSize = m_file.size();
    const std::string_view head(reinterpret_cast<const char*>(m_file.data()), std::min<std::size_t>(fileSize, 200));
    if (const auto lfs = gitLfsPointerMessage(head, path))
        throw ModelLoadError(*lfs);
    if (fileSize < 8) {
        throw ModelLoadError(path + ": too short for a safetensors file (" + std::to_string(fileSize) + " bytes)");
    }
    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i) { // little-endian regardless of host
        headerLength = (headerLength << 8) | m_file.data()[i];
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
        header = json::parse(std::string_view(reinterpret_cast<const char*>(m_file.data()) + 8, headerLength));
    } catch (const json::ParseError& e) {
        throw ModelLoadError(path + ": safetensors header is not valid JSON: " + e.what());
    }
    if (!header.isObject()) {
        throw ModelLoadError(path + ": safetensors header is not a JSON object");
    }

    std::vector<const SafeTensorInfo*> byOffset;
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
        SafeTensorInfo info;
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
    std::sort(byOffset.begin(), byOffset.end(), [](const SafeTensorInfo* a, const SafeTensorInfo* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    for (std::size_t i = 1; i < byOffset.size(); ++i) {
        if (byOffset[i]->begin < byOffset[i - 1]->end) {
            throw ModelLoadError(path + ": tensor " + quotedForMessage(byOffset[i]->name) + " overlaps tensor " +
                                 quotedForMessage(byOffset[i - 1]->name));
        }
    }
    if (const json::Value* metadata = header.find(metadataKey); metadata != nullptr && metadata->isObject())
        addMetadataAliases(*metadata);
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
        SafeTensorInfo info = kept->second;
        info.name = alias;
        m_tensors.emplace(alias, std::move(info));
    }
}

const SafeTensorInfo* SafetensorsFile::find(const std::string& name) const
{
    auto it = m_tensors.find(name);
    return it == m_tensors.end() ? nullptr : &it->second;
}

std::vector<float> SafetensorsFile::readFloats(const SafeTensorInfo& info) const
{
    const std::size_t n = static_cast<std::size_t>(info.elements());
    const std::uint8_t* src = m_file.data() + info.begin;
    std::vector<float> out(n);
    if (info.dtype == "F32") {
        std::memcpy(out.data(), src, n * sizeof(float)); // the data may be unaligned
    } else if (info.dtype == "F16" || info.dtype == "BF16") {
        const bool bf = info.dtype == "BF16";
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint16_t h = static_cast<std::uint16_t>(src[2 * i] | (src[2 * i + 1] << 8));
            out[i] = bf ? bfloat16ToFloat(h) : halfToFloat(h);
        }
    } else {
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " has dtype " + quotedForMessage(info.dtype) +
                             "; only F32, F16 and BF16 weights are supported");
    }
    return out;
}

SafetensorsArchive SafetensorsArchive::openFile(const std::string& path)
{
    SafetensorsArchive archive;
    archive.add(std::make_shared<SafetensorsFile>(path), nullptr);
    return archive;
}

SafetensorsArchive SafetensorsArchive::openFolder(const std::string& folder)
{
    namespace fs = std::filesystem;
    const fs::path dir(folder);
    if (isPresent((dir / "model.safetensors").string())) { // not fs::exists: it throws raw errors on a symlink loop
        return openFile((dir / "model.safetensors").string());
    }
    const fs::path indexPath = dir / "model.safetensors.index.json";
    if (!isPresent(indexPath.string())) {
        throw ModelLoadError(folder + ": no model.safetensors or model.safetensors.index.json");
    }
    json::Value index;
    try {
        index = json::parseFile(indexPath.string());
    } catch (const std::exception& e) {
        throw ModelLoadError(indexPath.string() + ": " + e.what());
    }
    const json::Value* map = index.find("weight_map");
    if (map == nullptr || !map->isObject()) {
        throw ModelLoadError(indexPath.string() + ": missing weight_map object");
    }
    SafetensorsArchive archive;
    std::map<std::string, std::shared_ptr<SafetensorsFile>> shards;
    for (const auto& [name, file] : map->asObject()) {
        if (!file.isString() || file.asString().empty() || file.asString().find('/') != std::string::npos ||
            file.asString().find('\\') != std::string::npos || file.asString() == "..") {
            throw ModelLoadError(indexPath.string() + ": tensor " + quotedForMessage(name) + " names an invalid shard file");
        }
        auto& shard = shards[file.asString()];
        if (!shard)
            shard = std::make_shared<SafetensorsFile>((dir / file.asString()).string());
        archive.add(shard, &name);
    }
    return archive;
}

void SafetensorsArchive::add(std::shared_ptr<SafetensorsFile> file, const std::string* onlyName)
{
    if (onlyName != nullptr) {
        if (file->find(*onlyName) == nullptr) {
            throw ModelLoadError(file->path() + ": the index lists tensor " + quotedForMessage(*onlyName) + " but this shard lacks it");
        }
        m_owner[*onlyName] = file.get();
    } else {
        for (const auto& entry : file->tensors())
            m_owner[entry.first] = file.get();
    }
    if (std::find(m_files.begin(), m_files.end(), file) == m_files.end())
        m_files.push_back(std::move(file));
}

std::vector<std::string> SafetensorsArchive::names() const
{
    std::vector<std::string> out;
    for (const auto& entry : m_owner)
        out.push_back(entry.first);
    return out;
}

const SafeTensorInfo& SafetensorsArchive::info(const std::string& name) const
{
    auto it = m_owner.find(name);
    if (it == m_owner.end()) {
        throw ModelLoadError("checkpoint has no tensor " + quotedForMessage(name));
    }
    return *it->second->find(name);
}

void SafetensorsArchive::checkShape(const std::string& name, const std::vector<std::int64_t>& shape,
                                    const std::string& source) const
{
    auto it = m_owner.find(name);
    if (it == m_owner.end())
        throw ModelLoadError("checkpoint has no tensor " + quotedForMessage(name) + " (expected from " + source + ")");
    const SafeTensorInfo& t = *it->second->find(name);
    if (t.shape != shape) {
        throw ModelLoadError(it->second->path() + ": tensor " + quotedForMessage(name) + " has shape " + shapeText(t.shape) +
                             ", expected " + shapeText(shape) + " from " + source);
    }
}

std::vector<float> SafetensorsArchive::floats(const std::string& name, const std::vector<std::int64_t>& shape) const
{
    checkShape(name, shape);
    const SafetensorsFile& file = *m_owner.at(name);
    std::vector<float> out = file.readFloats(info(name));
    // Refused rather than shown with a notice: one NaN or Inf weight turns every score it reaches
    // into NaN, and softmax then gives rows the views would draw as plausible numbers (or zeros).
    // No result of such a file is trustworthy, so the user learns which tensor is broken instead.
    // The scan costs one pass over floats just converted, small beside the conversion itself.
    if (const std::ptrdiff_t bad = m_refuseNonFinite ? checked::firstNonFinite(out) : -1; bad >= 0) {
        throw ModelLoadError(file.path() + ": tensor " + quotedForMessage(name) + " holds " +
                             checked::nonFiniteName(out[static_cast<std::size_t>(bad)]) + " value (element " +
                             std::to_string(bad) + "); the checkpoint is corrupt or was saved after training diverged");
    }
    return out;
}

Matrix SafetensorsArchive::matrix(const std::string& name, Index rows, Index cols) const
{
    const std::vector<float> data = floats(name, {rows, cols});
    return Eigen::Map<const Matrix>(data.data(), rows, cols);
}

RowVector SafetensorsArchive::vector(const std::string& name, Index n) const
{
    const std::vector<float> data = floats(name, {n});
    return Eigen::Map<const RowVector>(data.data(), n);
}

} // namespace attnviz
