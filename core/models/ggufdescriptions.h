#pragma once
// GGUF's view of the described families: for a general.architecture, the Hugging Face family
// description that computes it, renamed to GGUF's tensor names ("blk.{L}.attn_q") and metadata
// keys ("llama.embedding_length"), with what llama.cpp's converter changed (Gemma's norms already
// hold their 1, Llama's Q and K rows are interleaved, GPT-2's weights are (out, in)).

#include "models/family.h"

#include <string>

namespace attnviz {

struct GgufArchitecture
{
    std::string name;       // general.architecture
    std::string modelType;  // the Hugging Face model_type whose description serves it
    std::string activation; // llama.cpp's MLP activation for it, as config.json would name it
    FamilyDescription family;
};

// nullptr for an architecture AttnViz does not read.
const GgufArchitecture* findGgufArchitecture(const std::string& name);
std::string ggufArchitectureNames();

} // namespace attnviz
