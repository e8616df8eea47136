#include "stats/derive.h"

#include "stats/headsummary.h"
#include "stats/rollout.h"
#include "stats/valueweighted.h"

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

namespace {

bool mentions(const std::vector<std::string>& notices, const std::string& start)
{
    return std::any_of(notices.begin(), notices.end(), [&](const std::string& n) { return n.rfind(start, 0) == 0; });
}

// The measure the request asked for, on every stack that can have it; a notice for the rest.
void applyMeasure(AttentionResult& result, const RunRequest& request)
{
    if (request.measure == Measure::Raw)
        return;
    for (AttentionStack& stack : result.stacks) {
        throwIfCancelled(request.cancel);
        if (stack.measure == request.measure || applyValueWeighting(stack, request.ablatedHeads, request.cancel))
            continue;
        result.notices.push_back(std::string(measureName(request.measure)) + " attention is not available for the " +
                                 stack.name + " stack of this model (it does not expose what each head writes); "
                                 "its raw attention weights are shown");
    }
}

// Readings a model could not give say so, unless it already said why.
void noteMissingReadouts(AttentionResult& result, const RunRequest& request)
{
    if (request.logitLens && !result.logitLens && !mentions(result.notices, "the logit lens"))
        result.notices.push_back("the logit lens is not available for this model");
    if (request.attribution && !result.attribution && !mentions(result.notices, "direct logit attribution"))
        result.notices.push_back("direct logit attribution is not available for this model");
}

} // namespace

void deriveStatistics(AttentionResult& result, const RunRequest& request)
{
    applyMeasure(result, request);
    noteMissingReadouts(result, request);
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
