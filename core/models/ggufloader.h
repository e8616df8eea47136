#pragma once
// Opens GGUF files (llama.cpp, Ollama, LM Studio) as AttentionModels. general.architecture picks
// the Hugging Face family description that serves it (models/family.h), with GGUF's tensor names
// and metadata keys in place of config.json's; the weights stay as the file encodes them
// (quantised, F16, BF16 or F32) and are dequantised per tile as the kernels use them.

#include "engine/attentionmodel.h"

#include <cstdint>
#include <memory>
#include <string>

namespace attnviz {

// Throws ModelLoadError naming the key or tensor at fault.
std::unique_ptr<AttentionModel> openGgufFile(const std::string& path);

// What a model picker shows of a GGUF file, read from its header alone.
struct GgufSummary
{
    std::string name;         // general.name, else the file name
    std::string architecture; // general.architecture
    std::string quantisation; // general.file_type's name ("Q4_K_M"), else the most used tensor type
    std::uint64_t bytes = 0;  // file size (of every shard, for a split model)
    std::int64_t parameters = 0;
    bool supported = false;   // an architecture AttnViz reads
};
GgufSummary summarizeGguf(const std::string& path); // throws ModelLoadError

} // namespace attnviz
