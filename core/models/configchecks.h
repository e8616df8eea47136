#pragma once
// What config.json alone decides, before any weight file is opened: whether the folder is of a
// family AttnViz reads at all, whether its weights are in a form it computes exactly, and what
// the user should know about parts of the checkpoint it leaves out.

#include <string>
#include <vector>

namespace attnviz {

class HfConfig;

// Throws ModelLoadError for an unknown model_type (naming the ones that are read) and for
// quantised checkpoints (quantization_config), which would otherwise load wrong or not at all.
void checkConfigBeforeWeights(const HfConfig& config);

// Notices for what is ignored, e.g. a classification or question-answering head.
std::vector<std::string> configNotices(const HfConfig& config);

} // namespace attnviz
