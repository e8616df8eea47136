#pragma once
// Head importance by ablation: how much the log-probability of the next token changes when one
// head is zeroed (its output before W_O), for every head of a decoder, one run per head.

#include "engine/attentionmodel.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace attnviz {

struct HeadImportance
{
    int layers = 0;
    int heads = 0;
    int target = -1;         // the token scored: the request's attributionTarget, else the top prediction
    std::string targetDisplay;
    float baseLogProbability = 0.0f; // with only the request's own ablations
    // (layers × heads) log P(target | head zeroed) − baseLogProbability; NaN for heads the request
    // already ablates. Negative: the head helps predict the target.
    std::vector<float> change;
    float at(int layer, int head) const { return change[static_cast<std::size_t>(layer) * heads + head]; }
};

// Runs `base` once, then once more per head with that head ablated too. progress(done, total) is
// called after each run on the calling thread; base.cancel stops it (Cancelled). Throws InputError
// for models that predict no next token.
HeadImportance headImportance(const AttentionModel& model, RunRequest base,
                              const std::function<void(int done, int total)>& progress = {});

} // namespace attnviz
