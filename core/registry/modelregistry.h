#pragma once
// openModel(): the one entry point that recognises every kind of model spec.

#include "engine/attentionmodel.h"

#include <memory>
#include <string>

namespace attnviz {

// Opens a model from a spec: a lesson .json file, a Hugging Face model folder, a llama2.c .bin
// checkpoint, a GGUF file (.gguf, or any file starting with "GGUF", as Ollama's blobs),
// an attention file (.safetensors with AttnViz metadata, docs/attention-file.md) or "builtin:NAME".
// Throws ModelLoadError.
std::unique_ptr<AttentionModel> openModel(const std::string& spec);

} // namespace attnviz
