#include "stats/derive.h"

#include "stats/headsummary.h"
#include "stats/rollout.h"

#include <algorithm>

namespace attnviz {

bool rolloutDefined(const AttentionStack& stack, const std::vector<bool>& heads)
{
    const AttentionTensor& a = stack.attention;
    const bool self = stack.keysFromSource == stack.queriesFromSource && a.queries == a.keys;
    const bool anyHead = std::find(heads.begin(), heads.end(), true) != heads.end();
    if (!self || a.layers <= 0 || a.queries <= 0 || static_cast<int>(heads.size()) != a.heads || !anyHead)
        return false;
    // Rollout multiplies every layer: each averaged head must be there in every layer.
    for (int l = 0; l < a.layers; ++l)
        for (int h = 0; h < a.heads; ++h)
            if (heads[static_cast<std::size_t>(h)] && !a.holds(l, h)) return false;
    return true;
}

void deriveStatistics(AttentionResult& result, const RunRequest& request)
{
    for (AttentionStack& stack : result.stacks) {
        throwIfCancelled(request.cancel);
        stack.summaries = summariseHeads(stack);
    }
    result.rollout.reset();
    if (!request.rollout)
        return;
    const int index = request.rollout->stack;
    if (index < 0 || index >= static_cast<int>(result.stacks.size()))
        return;
    const AttentionStack& stack = result.stacks[static_cast<std::size_t>(index)];
    const auto& heads = request.rollout->heads;
    if (!rolloutDefined(stack, heads))
        return; // the heatmap says why it shows no rollout
    throwIfCancelled(request.cancel);
    const AttentionTensor& a = stack.attention;
    result.rollout = RolloutMaps{index, heads, attentionRolloutByLayer(a, a.layers - 1, heads)};
}

std::shared_ptr<AttentionResult> runWithStatistics(const AttentionModel& model, const RunRequest& request)
{
    std::shared_ptr<AttentionResult> result = model.run(request);
    deriveStatistics(*result, request);
    return result;
}

} // namespace attnviz
