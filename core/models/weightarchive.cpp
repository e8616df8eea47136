#include "models/weightarchive.h"

#include "base/modelloaderror.h"
#include "compute/ggmlfinite.h"
#include "models/safetensors.h"
#include "models/torchfile.h"
#include "util/checkednumbers.h"
#include "util/json.h"
#include "util/messagetext.h"
#include "util/regularfile.h"

#include <algorithm>
#include <filesystem>

namespace attnviz {

namespace {

bool isTorchName(const std::string& path)
{
    for (const char* ext : {".bin", ".pt", ".pth"}) {
        const std::string e(ext);
        if (path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0)
            return true;
    }
    return false;
}

std::shared_ptr<const TensorFile> openOne(const std::string& path, bool torch)
{
    if (torch)
        return std::make_shared<TorchFile>(path);
    return std::make_shared<SafetensorsFile>(path);
}

} // namespace

WeightArchive WeightArchive::fromFile(std::shared_ptr<const TensorFile> file)
{
    WeightArchive archive;
    archive.add(std::move(file), nullptr);
    return archive;
}

WeightArchive WeightArchive::fromFiles(const std::vector<std::shared_ptr<const TensorFile>>& files)
{
    WeightArchive archive;
    for (const auto& file : files)
        archive.add(file, nullptr);
    return archive;
}

WeightArchive WeightArchive::openFile(const std::string& path)
{
    return fromFile(openOne(path, isTorchName(path)));
}

WeightArchive WeightArchive::openFolder(const std::string& folder)
{
    namespace fs = std::filesystem;
    const fs::path dir(folder);
    // isPresent, not fs::exists: that throws raw errors on a symlink loop.
    if (isPresent((dir / "model.safetensors").string()))
        return openFile((dir / "model.safetensors").string());
    if (isPresent((dir / "model.safetensors.index.json").string()))
        return openIndex((dir / "model.safetensors.index.json").string(), false);
    if (isPresent((dir / "pytorch_model.bin").string()))
        return fromFile(openOne((dir / "pytorch_model.bin").string(), true));
    if (isPresent((dir / "pytorch_model.bin.index.json").string()))
        return openIndex((dir / "pytorch_model.bin.index.json").string(), true);
    throw ModelLoadError(folder + ": no model.safetensors, model.safetensors.index.json, pytorch_model.bin or "
                                  "pytorch_model.bin.index.json");
}

WeightArchive WeightArchive::openIndex(const std::string& indexPath, bool torch)
{
    const std::filesystem::path dir = std::filesystem::path(indexPath).parent_path();
    json::Value index;
    try {
        index = json::parseFile(indexPath);
    } catch (const std::exception& e) {
        throw ModelLoadError(indexPath + ": " + e.what());
    }
    const json::Value* map = index.find("weight_map");
    if (map == nullptr || !map->isObject()) {
        throw ModelLoadError(indexPath + ": missing weight_map object");
    }
    WeightArchive archive;
    std::map<std::string, std::shared_ptr<const TensorFile>> shards;
    for (const auto& [name, file] : map->asObject()) {
        if (!file.isString() || file.asString().empty() || file.asString().find('/') != std::string::npos ||
            file.asString().find('\\') != std::string::npos || file.asString() == "..") {
            throw ModelLoadError(indexPath + ": tensor " + quotedForMessage(name) + " names an invalid shard file");
        }
        auto& shard = shards[file.asString()];
        if (!shard)
            shard = openOne((dir / file.asString()).string(), torch);
        archive.add(shard, &name);
    }
    return archive;
}

void WeightArchive::add(std::shared_ptr<const TensorFile> file, const std::string* onlyName)
{
    if (onlyName != nullptr) {
        if (file->find(*onlyName) == nullptr) {
            throw ModelLoadError(file->path() + ": the index lists tensor " + quotedForMessage(*onlyName) +
                                 " but this shard lacks it");
        }
        m_owner[*onlyName] = file.get();
    } else {
        for (const auto& entry : file->tensors())
            m_owner[entry.first] = file.get();
    }
    if (std::find(m_files.begin(), m_files.end(), file) == m_files.end())
        m_files.push_back(std::move(file));
}

std::vector<std::string> WeightArchive::names() const
{
    std::vector<std::string> out;
    for (const auto& entry : m_owner)
        out.push_back(entry.first);
    return out;
}

const TensorInfo& WeightArchive::info(const std::string& name) const
{
    auto it = m_owner.find(name);
    if (it == m_owner.end()) {
        throw ModelLoadError("checkpoint has no tensor " + quotedForMessage(name));
    }
    return *it->second->find(name);
}

void WeightArchive::checkShape(const std::string& name, const std::vector<std::int64_t>& shape,
                               const std::string& source) const
{
    auto it = m_owner.find(name);
    if (it == m_owner.end())
        throw ModelLoadError("checkpoint has no tensor " + quotedForMessage(name) + " (expected from " + source + ")");
    const TensorInfo& t = *it->second->find(name);
    if (t.shape != shape) {
        throw ModelLoadError(it->second->path() + ": tensor " + quotedForMessage(name) + " has shape " +
                             shapeText(t.shape) + ", expected " + shapeText(shape) + " from " + source);
    }
}

namespace {

// Refused rather than shown with a notice: one NaN or Inf weight turns every score it reaches
// into NaN, and softmax then gives rows the views would draw as plausible numbers (or zeros).
// No result of such a file is trustworthy, so the user learns which tensor is broken instead.
[[noreturn]] void refuseNonFiniteValue(const TensorFile& file, const std::string& name,
                                       const std::vector<float>& values, std::ptrdiff_t bad)
{
    throw ModelLoadError(file.path() + ": tensor " + quotedForMessage(name) + " holds " +
                         checked::nonFiniteName(values[static_cast<std::size_t>(bad)]) + " value (element " +
                         std::to_string(bad) + "); the checkpoint is corrupt or was saved after training diverged");
}

} // namespace

std::vector<float> WeightArchive::floats(const std::string& name, const std::vector<std::int64_t>& shape) const
{
    checkShape(name, shape);
    const TensorFile& file = *m_owner.at(name);
    std::vector<float> out = file.readFloats(info(name));
    // The scan costs one pass over floats just converted, small beside the conversion itself.
    if (const std::ptrdiff_t bad = m_refuseNonFinite ? checked::firstNonFinite(out) : -1; bad >= 0)
        refuseNonFiniteValue(file, name, out, bad);
    return out;
}

bool WeightArchive::keepsEncoded(const std::string& name) const
{
    auto it = m_owner.find(name);
    return it != m_owner.end() && it->second->keepsEncoded(*it->second->find(name));
}

compute::EncodedMatrix WeightArchive::encoded(const std::string& name, Index rows, Index cols) const
{
    checkShape(name, {rows, cols});
    const TensorFile* file = m_owner.at(name);
    const TensorInfo& t = info(name);
    const compute::GgmlTypeInfo& type = file->decodableType(t);
    const auto owner = std::find_if(m_files.begin(), m_files.end(), [file](const auto& f) { return f.get() == file; });
    const std::span<const std::uint8_t> bytes = file->tensorBytes(t);
    if (m_refuseNonFinite && compute::holdsNonFiniteValues(type.type, bytes)) { // a broken file: find the value
        const std::vector<float> values = file->readFloats(t);
        refuseNonFiniteValue(*file, name, values, checked::firstNonFinite(values));
    }
    return compute::EncodedMatrix(type.type, bytes.data(), cols, rows, *owner);
}

Matrix WeightArchive::matrix(const std::string& name, Index rows, Index cols) const
{
    const std::vector<float> data = floats(name, {rows, cols});
    return Eigen::Map<const Matrix>(data.data(), rows, cols);
}

RowVector WeightArchive::vector(const std::string& name, Index n) const
{
    const std::vector<float> data = floats(name, {n});
    return Eigen::Map<const RowVector>(data.data(), n);
}

} // namespace attnviz
