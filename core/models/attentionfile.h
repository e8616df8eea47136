#pragma once
// Attention files (docs/attention-file.md): attention maps computed elsewhere, in a safetensors
// file whose metadata describes the tokens and stacks. Opened like a model; every field and
// tensor is validated at open, and the maps are decoded from the mapped file at each run.

#include "engine/attentionmodel.h"

#include <cstddef>
#include <memory>
#include <string>

namespace attnviz {

inline constexpr const char* attentionFileFormat = "attnviz-attention";
inline constexpr int attentionFileVersion = 1;
// Most floats one run decodes (2 GiB): a larger file is refused at open with what it needs.
inline constexpr std::size_t maxDecodedAttentionFloats = std::size_t(1) << 29;

// Throws ModelLoadError naming the field or tensor at fault.
std::unique_ptr<AttentionModel> openAttentionFile(const std::string& path);

} // namespace attnviz
