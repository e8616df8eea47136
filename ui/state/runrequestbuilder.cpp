#include "state/runrequestbuilder.h"

#include "shell/inputpanel.h"
#include "state/selectionstate.h"
#include "stats/derive.h"

#include <algorithm>

namespace attnviz {

namespace {

// Whether a run can derive a reading over `heads` of `stack` in `shown` (self-attention holding
// every chosen head); when it cannot, the heatmap says why and no run is asked for.
bool derivable(const AttentionResult* shown, int stack, const std::vector<bool>& heads)
{
    return shown != nullptr && stack >= 0 && stack < static_cast<int>(shown->stacks.size()) &&
           rolloutDefined(shown->stacks[static_cast<std::size_t>(stack)], heads);
}

} // namespace

std::optional<RunRequest::Rollout> RunRequestBuilder::rolloutFor(const SelectionState& selection)
{
    if (!selection.rollout())
        return std::nullopt;
    return RunRequest::Rollout{selection.stack(), selection.enabledHeadFlags()};
}

bool RunRequestBuilder::rolloutOutOfDate(const SelectionState& selection, const AttentionResult* shown)
{
    const auto wanted = rolloutFor(selection);
    if (!wanted || !derivable(shown, wanted->stack, wanted->heads))
        return false;
    return !shown->rollout || !shown->rollout->covers(wanted->stack, wanted->heads);
}

std::optional<RunRequest::Flow> RunRequestBuilder::flowFor(const SelectionState& selection)
{
    if (selection.measure() != Measure::Flow)
        return std::nullopt;
    return RunRequest::Flow{selection.stack(), selection.enabledHeadFlags(), selection.layer()};
}

bool RunRequestBuilder::flowOutOfDate(const SelectionState& selection, const AttentionResult* shown)
{
    const auto wanted = flowFor(selection);
    if (!wanted || !derivable(shown, wanted->stack, wanted->heads))
        return false;
    return !shown->flow || !shown->flow->covers(wanted->stack, wanted->heads, wanted->layer);
}

RunRequest RunRequestBuilder::build(const InputPanel& input, const SelectionState& selection, const AttentionResult* last)
{
    RunRequest request = build(selection, last);
    input.fillRequest(request);
    return request;
}

RunRequest RunRequestBuilder::build(const SelectionState& selection, const AttentionResult* last)
{
    RunRequest request;
    request.mask = selection.maskMode();
    const bool maskOfThisStack = selection.customMaskStack() < 0 || selection.customMaskStack() == selection.stack();
    if (request.mask == MaskOverride::Custom && maskOfThisStack) {
        // Another stack's mask is left behind: the run then starts from the model's own mask.
        request.customMask = selection.customMask();
        request.customMaskRowIds = selection.customMaskRowIds();
        request.customMaskColIds = selection.customMaskColIds();
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
    request.rollout = rolloutFor(selection);
    request.measure = selection.measure();
    request.flow = flowFor(selection);
    return request;
}

} // namespace attnviz
