#pragma once
// What the views show beside the raw maps, computed once per run where the run happens (the
// compute job, attnviz-cli), never on the UI thread: every head's summary and, when the request
// asks, the attention rollout.

#include "engine/attentionmodel.h"

#include <memory>

namespace attnviz {

// Whether `stack` has a rollout over `heads`: self-attention, one flag per head, at least one set.
bool rolloutDefined(const AttentionStack& stack, const std::vector<bool>& heads);

// Fills each stack's summaries and, for request.rollout on a self-attention stack, result.rollout
// (a notice says why when the stack cannot have one). Honours request.cancel.
void deriveStatistics(AttentionResult& result, const RunRequest& request);

// model.run(request) followed by deriveStatistics: what every caller that shows a result runs.
std::shared_ptr<AttentionResult> runWithStatistics(const AttentionModel& model, const RunRequest& request);

} // namespace attnviz
