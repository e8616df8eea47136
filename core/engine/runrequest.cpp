#include "engine/attentionmodel.h"

#include <string>
#include <utility>

namespace attnviz {

MaskMatrix customMaskFor(const RunRequest& request, const std::vector<int>& rowIds, const std::vector<int>& colIds,
                         const MaskMatrix& modelMask)
{
    const auto rows = static_cast<Index>(rowIds.size());
    const auto cols = static_cast<Index>(colIds.size());
    if (request.customMask.size() == 0)
        return modelMask; // the first custom run starts from the model's own mask
    if (!request.customMaskRowIds.empty() || !request.customMaskColIds.empty()) {
        return carryOverMask(request.customMask, request.customMaskRowIds, request.customMaskColIds, rowIds, colIds,
                             modelMask);
    }
    if (request.customMask.rows() != rows || request.customMask.cols() != cols) {
        throw InputError("custom mask does not fit: it is " + std::to_string(request.customMask.rows()) + " x " +
                         std::to_string(request.customMask.cols()) + ", the input needs " + std::to_string(rows) +
                         " x " + std::to_string(cols));
    }
    return request.customMask;
}

void fillTypedText(RunRequest& request, const ModelInfo& info, std::string main, std::string second)
{
    const bool swap = info.encoderDecoder && !second.empty();
    request.text = std::move(swap ? second : main);
    request.secondText = std::move(swap ? main : second);
}

const char* maskOverrideName(MaskOverride mask)
{
    switch (mask) {
    case MaskOverride::ModelDefault: return "the model's own";
    case MaskOverride::None: return "none";
    case MaskOverride::Causal: return "causal";
    case MaskOverride::Padding: return "padding";
    case MaskOverride::Custom: return "custom";
    }
    return "";
}

MaskMatrix plannedMask(const RunRequest& request, const MaskSpec& modelSpec, const std::vector<std::uint8_t>& keyValid,
                       const std::vector<int>& rowIds, const std::vector<int>& colIds, MaskMatrix& custom)
{
    const auto rows = static_cast<Index>(rowIds.size());
    const auto cols = static_cast<Index>(colIds.size());
    MaskSpec spec;
    switch (request.mask) {
    case MaskOverride::ModelDefault:
        spec = modelSpec;
        break;
    case MaskOverride::None:
        spec = MaskSpec::none();
        break;
    case MaskOverride::Causal:
        spec = MaskSpec::causal();
        break;
    case MaskOverride::Padding:
        spec = MaskSpec::padding(keyValid);
        break;
    case MaskOverride::Custom:
        custom = customMaskFor(request, rowIds, colIds, buildMask(modelSpec, rows, cols));
        spec = MaskSpec::matrix(custom);
        break;
    }
    try {
        return buildMask(spec, rows, cols);
    } catch (const std::invalid_argument& e) {
        throw InputError("custom mask does not fit the " + std::to_string(rows) + " x " + std::to_string(cols) +
                         " tokens: " + e.what());
    }
}

} // namespace attnviz
