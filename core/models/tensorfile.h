#pragma once
// One checkpoint file's tensor table over its bytes, whatever the container (safetensors, a
// torch.save zip). Readers fill the table after validating every range against the bytes, so
// readFloats never reads outside them.

#include "compute/ggmltypes.h"
#include "compute/halffloat.h"

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace attnviz {

class MappedFile;

struct TensorInfo
{
    std::string name;
    std::string dtype;               // "F32", "F16", "BF16", "I64", ...
    std::vector<std::int64_t> shape; // empty for a scalar
    std::size_t begin = 0;           // byte range in the file (absolute), [begin, end)
    std::size_t end = 0;
    std::int64_t elements() const;
};

class TensorFile
{
public:
    virtual ~TensorFile();
    TensorFile(const TensorFile&) = delete;
    TensorFile& operator=(const TensorFile&) = delete;

    const std::string& path() const { return m_path; }
    const std::map<std::string, TensorInfo>& tensors() const { return m_tensors; }
    const TensorInfo* find(const std::string& name) const;

    // The tensor converted to float32 (F32, F16, BF16 and ggml's quantised types), row-major.
    // Throws ModelLoadError.
    std::vector<float> readFloats(const TensorInfo& info) const;
    // The decoder's view of the tensor's dtype; throws ModelLoadError, naming it, for a dtype
    // AttnViz does not decode.
    const compute::GgmlTypeInfo& decodableType(const TensorInfo& info) const;
    // The tensor's bytes, checked to lie in the file.
    std::span<const std::uint8_t> tensorBytes(const TensorInfo& info) const;
    // True when loaders should keep this tensor as the file encodes it (compute/encodedmatrix.h)
    // instead of widening it to floats: every GGUF tensor, safetensors' 16-bit ones.
    virtual bool keepsEncoded(const TensorInfo& info) const { (void)info; return false; }

protected:
    explicit TensorFile(const std::string& path);                          // maps the file
    TensorFile(std::string label, std::span<const std::uint8_t> borrowed); // caller keeps the bytes alive
    std::span<const std::uint8_t> bytes() const { return m_bytes; }
    // Throws ModelLoadError naming two tensors whose byte ranges overlap (a hostile file could
    // make writes through one show up in another's values). Sorts `tensors` by offset.
    static void refuseOverlaps(const std::string& path, std::vector<const TensorInfo*>& tensors);
    std::map<std::string, TensorInfo> m_tensors;

private:
    std::string m_path;
    std::unique_ptr<MappedFile> m_map;
    std::span<const std::uint8_t> m_bytes;
};

// Bytes per element of a dtype name, 0 for one we do not know.
std::size_t dtypeSize(const std::string& dtype);
std::string shapeText(const std::vector<std::int64_t>& shape);

// Half-precision conversions (IEEE binary16 and bfloat16), defined in compute/halffloat.h.
using compute::bfloat16ToFloat;
using compute::halfToFloat;

} // namespace attnviz
