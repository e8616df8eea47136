#pragma once
// config.json's rope_scaling applied to RoPE inverse frequencies.

#include <string>
#include <vector>

namespace attnviz {

class HfConfig;

// "linear" divides every frequency by the factor; "llama3" (Llama 3.1+) keeps high frequencies,
// divides low ones by the factor and blends in between. Other types are reported in `notes` and
// left unscaled. Throws ModelLoadError for a malformed rope_scaling.
void applyRopeScaling(const HfConfig& config, std::vector<float>& inverse, std::vector<std::string>& notes);

} // namespace attnviz
