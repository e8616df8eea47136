#pragma once
// Reader for the safetensors format (8-byte little-endian header length, a JSON header naming
// each tensor's dtype, shape and byte range, then the raw data), single file or sharded through
// model.safetensors.index.json. Every header field is validated before any byte is read, so a
// truncated or hostile file gives a ModelLoadError naming the tensor, never a crash or a huge
// allocation. Names that safetensors.torch recorded in __metadata__ as aliases of a stored tensor
// (a tied weight saved once) read as that tensor.

#include "base/tensor.h"
#include "models/mappedfile.h"
#include "util/json.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace attnviz {

struct SafeTensorInfo
{
    std::string name;
    std::string dtype;               // "F32", "F16", "BF16", "I64", ...
    std::vector<std::int64_t> shape; // empty for a scalar
    std::size_t begin = 0;           // byte range in the file (absolute), [begin, end)
    std::size_t end = 0;
    std::int64_t elements() const;
};

class SafetensorsFile
{
public:
    static constexpr std::uint64_t maxHeaderBytes = 100u * 1024u * 1024u;

    // Maps and validates the file. Throws ModelLoadError.
    explicit SafetensorsFile(const std::string& path);

    const std::string& path() const { return m_file.path(); }
    const std::map<std::string, SafeTensorInfo>& tensors() const { return m_tensors; }
    const SafeTensorInfo* find(const std::string& name) const;

    // The tensor converted to float32 (F32, F16 and BF16 only), row-major. Throws ModelLoadError.
    std::vector<float> readFloats(const SafeTensorInfo& info) const;

private:
    MappedFile m_file;
    std::map<std::string, SafeTensorInfo> m_tensors;
    void addMetadataAliases(const json::Value& metadata);
};

// All tensors of a checkpoint: one model.safetensors, or the shards an index lists.
class SafetensorsArchive
{
public:
    // Opens `folder`/model.safetensors, else `folder`/model.safetensors.index.json. Throws ModelLoadError.
    static SafetensorsArchive openFolder(const std::string& folder);
    // Opens a single .safetensors file.
    static SafetensorsArchive openFile(const std::string& path);

    // Model loaders call this: from then on matrix/vector/floats throw ModelLoadError, naming the
    // tensor, for a NaN or infinite value (a plain reader decodes them faithfully).
    void refuseNonFinite() { m_refuseNonFinite = true; }

    bool contains(const std::string& name) const { return m_owner.count(name) != 0; }
    std::vector<std::string> names() const;
    const SafeTensorInfo& info(const std::string& name) const; // throws ModelLoadError if absent
    std::string dtypeOf(const std::string& name) const { return info(name).dtype; }

    // Checks from the header alone (nothing is read or allocated) that `name` exists with exactly
    // `shape`; `source` says where the expected shape came from (config keys) for the message.
    void checkShape(const std::string& name, const std::vector<std::int64_t>& shape,
                    const std::string& source = "config.json") const;
    // A 2-D tensor checked to be exactly (rows, cols), converted to float32.
    Matrix matrix(const std::string& name, Index rows, Index cols) const;
    // A 1-D tensor checked to be exactly (n).
    RowVector vector(const std::string& name, Index n) const;
    // Any shape, checked against `shape`; returns the flat row-major floats.
    std::vector<float> floats(const std::string& name, const std::vector<std::int64_t>& shape) const;

private:
    std::vector<std::shared_ptr<SafetensorsFile>> m_files;
    std::map<std::string, const SafetensorsFile*> m_owner; // tensor name -> file holding it
    bool m_refuseNonFinite = false;
    void add(std::shared_ptr<SafetensorsFile> file, const std::string* onlyName);
};

// Half-precision conversions (IEEE binary16 and bfloat16) used at load time.
float halfToFloat(std::uint16_t h);
float bfloat16ToFloat(std::uint16_t b);

} // namespace attnviz
