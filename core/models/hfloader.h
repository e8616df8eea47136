#pragma once
// Opens checkpoints from disk as AttentionModels: a Hugging Face folder (config.json, safetensors
// or pytorch_model.bin weights, tokenizer files) or a llama2.c .bin file (tokenizer next to it).

#include "engine/attentionmodel.h"

#include <memory>
#include <string>

namespace attnviz {

// config.json's model_type selects the family (gpt2, bert, llama, mistral, qwen2). Throws ModelLoadError.
std::unique_ptr<AttentionModel> openHuggingFaceFolder(const std::string& folder);

} // namespace attnviz
