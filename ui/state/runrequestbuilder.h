#pragma once
// Turns what the user typed and chose into a RunRequest: text fields, mask (a custom one with the
// tokens it was made for), √d_k override, ablated heads, the head the pipeline view captures and
// the rollout to compute.

#include "engine/attentionmodel.h"

namespace attnviz {

class InputPanel;
class SelectionState;

struct RunRequestBuilder
{
    // A pure function of the input and the selection: nothing is written back. `last` is the
    // result on screen (may be null); it keeps the pipeline head inside the selected stack. A
    // custom mask goes with the token ids it was made for, so the model carries the edits over
    // to new text (engine/attentionmodel.h customMaskFor) in the same run.
    static RunRequest build(const InputPanel& input, const SelectionState& selection, const AttentionResult* last);
    // The same without the text fields, which the caller fills (the CLI from a session).
    static RunRequest build(const SelectionState& selection, const AttentionResult* last);
    // The rollout the selection asks the run to compute (heads switched on), if it shows one.
    static std::optional<RunRequest::Rollout> rolloutFor(const SelectionState& selection);
    // The selection shows a rollout that `shown` was not computed for: run again.
    static bool rolloutOutOfDate(const SelectionState& selection, const AttentionResult* shown);
    // Likewise for the attention flow (the Flow measure) to the layer shown, over the heads switched on.
    static std::optional<RunRequest::Flow> flowFor(const SelectionState& selection);
    static bool flowOutOfDate(const SelectionState& selection, const AttentionResult* shown);
};

} // namespace attnviz
