#pragma once
// config.json's rope_theta and rope_scaling (or rope_parameters) applied to RoPE frequencies.

#include <string>
#include <vector>

namespace attnviz {

class HfConfig;

// rope_theta from rope_parameters (newer transformers) when it holds one, else from `key`.
float ropeTheta(const HfConfig& config, const std::string& key, float fallback);

// Reads rope_scaling, or rope_parameters in newer configs. "linear" divides every frequency by the factor; "llama3" (Llama 3.1+) keeps high frequencies,
// divides low ones by the factor and blends in between. Other types (yarn, dynamic, longrope) are
// refused. Throws ModelLoadError.
void applyRopeScaling(const HfConfig& config, std::vector<float>& inverse);

} // namespace attnviz
