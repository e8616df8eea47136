#include "stats/derive.h"

#include "stats/attentionflow.h"
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
    if (request.measure == Measure::Raw || request.measure == Measure::Flow)
        return; // the flow is the result's, not a stack's (below)
    for (AttentionStack& stack : result.stacks) {
        throwIfCancelled(request.cancel);
        if (stack.measure == request.measure ||
            (request.measure == Measure::ValueWeighted && applyValueWeighting(stack, request.ablatedHeads, request.cancel)))
            continue;
        if (mentions(result.notices, request.measure == Measure::Alti ? "ALTI" : "value-weighted"))
            continue; // the model said why it has none
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

// The attention flow the request asked for, when the stack holds its maps and it stays affordable.
void deriveFlow(AttentionResult& result, const RunRequest& request)
{
    result.flow.reset();
    if (!request.flow)
        return;
    const RunRequest::Flow& want = *request.flow;
    if (want.stack < 0 || want.stack >= static_cast<int>(result.stacks.size()))
        return;
    const AttentionStack& stack = result.stacks[static_cast<std::size_t>(want.stack)];
    const AttentionTensor& a = stack.attention;
    if (!rolloutDefined(stack, want.heads) || want.layer < 0 || want.layer >= a.layers)
        return; // the heatmap says why, as for the rollout
    if (!attentionFlowAffordable(a.queries, want.layer)) {
        int fits = 1;
        while (attentionFlowAffordable(fits + 1, want.layer)) ++fits;
        result.notices.push_back("attention flow through layer " + std::to_string(want.layer) + " is computed for up to " +
                                 std::to_string(fits) + " tokens (a maximum flow for every pair of tokens); this input has " +
                                 std::to_string(a.queries));
        return;
    }
    result.flow = FlowMap{want.stack, want.heads, want.layer, attentionFlow(a, want.layer, want.heads, request.cancel)};
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
    deriveFlow(result, request);
    result.rollout.reset();
    if (!request.rollout)
        return;
    const int index = request.rollout->stack;
    if (index < 0 || index >= static_cast<int>(result.stacks.size()))
        return;
    const AttentionStack& stack = result.stacks[static_cast<std::size_t>(index)];
    const auto& heads = request.rollout->heads;
    const AttentionTensor& contributions = stack.layerMeasure;
    if (stack.measure == Measure::Alti && contributions.layers > 0 && contributions.heldHeads() == contributions.layers) {
        // ALTI already holds the residual: its layers multiply as they are (no half-and-half mixing).
        throwIfCancelled(request.cancel);
        result.rollout = RolloutMaps{index, heads, attentionRolloutByLayer(contributions, contributions.layers - 1, {}, 0.0f)};
        return;
    }
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
