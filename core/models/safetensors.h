#pragma once
// Reader for the safetensors format (8-byte little-endian header length, a JSON header naming
// each tensor's dtype, shape and byte range, then the raw data). Every header field is validated
// before any byte is read, so a truncated or hostile file gives a ModelLoadError naming the
// tensor, never a crash or a huge allocation. Names that safetensors.torch recorded in
// __metadata__ as aliases of a stored tensor (a tied weight saved once) read as that tensor.
// WeightArchive joins files and shards.

#include "models/tensorfile.h"
#include "util/json.h"

namespace attnviz {

class SafetensorsFile : public TensorFile
{
public:
    static constexpr std::uint64_t maxHeaderBytes = 100u * 1024u * 1024u;

    // Maps and validates the file. Throws ModelLoadError.
    explicit SafetensorsFile(const std::string& path);
    // The same over bytes the caller keeps alive; `label` names them in messages.
    SafetensorsFile(std::string label, std::span<const std::uint8_t> borrowed);

    // F16 and BF16 weights stay 16-bit in memory, widened per tile by the matrix kernel.
    bool keepsEncoded(const TensorInfo& info) const override { return info.dtype == "F16" || info.dtype == "BF16"; }

    // A string of the header's __metadata__ (safetensors keeps only strings there); nullptr if absent.
    const std::string* metadata(const std::string& key) const;

private:
    void parse();
    void addMetadataAliases(const json::Value& metadata);
    std::map<std::string, std::string> m_metadata; // __metadata__'s string entries
};

} // namespace attnviz
