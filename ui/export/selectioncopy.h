#pragma once
// Copies what the user chose into a second SelectionState, so batch exports can step through
// layers and heads on their own copy while the window's views keep showing the user's choice.

namespace attnviz {

class SelectionState;
struct AttentionResult;

class SelectionCopy
{
public:
    // Everything: shape, stack, layer, head, query, heads on/off, display options, mask, ablation.
    static void copy(const SelectionState& from, SelectionState& to);
    // Sets the shape of `selection` from `result` (its current stack), as the main window does.
    static void shapeFromResult(const AttentionResult& result, SelectionState& selection);
};

} // namespace attnviz
