#pragma once
// Builds a GenericTransformer from a Hugging Face folder's config.json and tensors as a
// FamilyDescription says. Every size is checked against the tensors' headers before anything is
// read or allocated; every refusal names the file and the key or tensor.

#include "models/family.h"
#include "models/generictransformer.h"

#include <memory>

namespace attnviz {

class HfConfig;
class WeightArchive;

// Throws ModelLoadError.
std::unique_ptr<GenericTransformer> loadDescribedFamily(const HfConfig& config, const WeightArchive& weights,
                                                        const FamilyDescription& family);

} // namespace attnviz
