#include "stats/headimportance.h"

#include "tokenizers/tokenizer.h"

#include <cmath>
#include <limits>

namespace attnviz {

namespace {

float scoredRun(const AttentionModel& model, const RunRequest& request)
{
    const auto result = model.run(request);
    if (!result->scoredLogProbability)
        throw InputError("head importance needs a model that predicts the next token (a decoder)");
    return *result->scoredLogProbability;
}

} // namespace

HeadImportance headImportance(const AttentionModel& model, RunRequest base,
                              const std::function<void(int done, int total)>& progress)
{
    const ModelInfo info = model.info();
    if (!info.causal || info.recorded)
        throw InputError("head importance needs a decoder whose heads can be switched off");
    // Maps and readings are not needed, only the last position's log-probability.
    base.rollout.reset();
    base.pipelineHead.reset();
    base.logitLens = base.attribution = false;
    base.measure = Measure::Raw;
    base.topK = 1;
    HeadImportance out;
    out.layers = info.layers;
    out.heads = info.heads;
    if (!base.attributionTarget) {
        const auto first = model.run(base);
        if (first->nextToken.empty())
            throw InputError("head importance needs a model that predicts the next token (a decoder)");
        base.attributionTarget = first->nextToken.front().id;
        out.targetDisplay = first->nextToken.front().display;
    }
    out.target = *base.attributionTarget;
    base.scoredToken = out.target;
    out.baseLogProbability = scoredRun(model, base);
    if (out.targetDisplay.empty() && model.tokenizer() != nullptr)
        out.targetDisplay = model.tokenizer()->tokenForId(out.target).display;

    const int total = info.layers * info.heads;
    out.change.assign(static_cast<std::size_t>(total), std::numeric_limits<float>::quiet_NaN());
    for (int l = 0; l < info.layers; ++l) {
        for (int h = 0; h < info.heads; ++h) {
            throwIfCancelled(base.cancel);
            if (base.ablatedHeads.count({l, h}) == 0) {
                RunRequest r = base;
                r.ablatedHeads.insert({l, h});
                out.change[static_cast<std::size_t>(l) * info.heads + h] = scoredRun(model, r) - out.baseLogProbability;
            }
            if (progress)
                progress(l * info.heads + h + 1, total);
        }
    }
    return out;
}

} // namespace attnviz
