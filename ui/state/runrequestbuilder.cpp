#include "state/runrequestbuilder.h"

#include "shell/inputpanel.h"
#include "state/selectionstate.h"

#include <QSignalBlocker>

#include <algorithm>

namespace attnviz {

RunRequest RunRequestBuilder::build(const InputPanel& input, SelectionState& selection, const AttentionResult* last,
                                    bool inputChanged)
{
    RunRequest request;
    input.fillRequest(request);
    request.mask = selection.maskMode();
    if (request.mask == MaskOverride::Custom && inputChanged) {
        request.mask = MaskOverride::ModelDefault;
        const QSignalBlocker blocker(&selection);
        selection.setCustomMask(MaskMatrix()); // reseeded from the new result
    } else if (request.mask == MaskOverride::Custom) {
        const bool fits = selection.customMask().rows() == selection.queryCount() &&
                          selection.customMask().cols() == selection.keyCount() && selection.queryCount() > 0;
        if (!fits && last != nullptr && !last->stacks.empty()) {
            // Start the custom mask from what the model used, so the first click changes one cell.
            const AttentionTensor& a = last->stacks[static_cast<std::size_t>(selection.stack())].attention;
            const bool captured = last->pipeline && last->pipeline->stack == selection.stack() &&
                                  last->pipeline->capture.mask.rows() == a.queries &&
                                  last->pipeline->capture.mask.cols() == a.keys;
            MaskMatrix seed = captured ? last->pipeline->capture.mask : MaskMatrix(MaskMatrix::Ones(a.queries, a.keys));
            const QSignalBlocker blocker(&selection);
            selection.setCustomMask(seed);
        }
        request.customMask = selection.customMask();
    }
    if (selection.scalingOverridden())
        request.scale = selection.scaling();
    request.ablatedHeads = selection.ablatedHeads();
    int layer = selection.layer();
    int head = selection.head();
    if (last != nullptr && selection.stack() < static_cast<int>(last->stacks.size())) {
        // Stacks may differ in size (encoder vs decoder): ask only for a head that exists.
        const AttentionTensor& a = last->stacks[static_cast<std::size_t>(selection.stack())].attention;
        layer = std::clamp(layer, 0, std::max(0, a.layers - 1));
        head = std::clamp(head, 0, std::max(0, a.heads - 1));
    }
    request.pipelineHead = std::make_pair(layer, head);
    request.pipelineStack = selection.stack();
    return request;
}

} // namespace attnviz
