#pragma once
// Turns what the user typed and chose into a RunRequest: text fields, mask (seeding a custom mask
// from the last result), √d_k override, ablated heads and the head the pipeline view captures.

#include "engine/attentionmodel.h"

namespace attnviz {

class InputPanel;
class SelectionState;

struct RunRequestBuilder
{
    // `last` is the result on screen (may be null); it seeds a custom mask of the wrong shape and
    // keeps the pipeline head inside the selected stack.
    // `inputChanged`: the text differs from the one `last` came from, so a custom mask cannot fit
    // yet; the run uses the model's mask and the window asks again once the new shape is known.
    static RunRequest build(const InputPanel& input, SelectionState& selection, const AttentionResult* last,
                            bool inputChanged = false);
};

} // namespace attnviz
