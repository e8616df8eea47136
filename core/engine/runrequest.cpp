#include "engine/attentionmodel.h"

#include <string>

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

} // namespace attnviz
