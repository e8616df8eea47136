#include "export/selectioncopy.h"

#include "engine/attentionresult.h"
#include "state/selectionstate.h"

#include <algorithm>

namespace attnviz {

void SelectionCopy::copy(const SelectionState& from, SelectionState& to)
{
    to.setShape(from.stackCount(), from.layerCount(), from.headCount(), from.queryCount(), from.keyCount());
    to.setStack(from.stack());
    to.setLayer(from.layer());
    to.setHead(from.head());
    to.setQueryToken(from.queryToken());
    for (int h = 0; h < from.headCount(); ++h)
        to.setHeadEnabled(h, from.isHeadEnabled(h));
    to.setMeanOfHeads(from.meanOfHeads());
    to.setRollout(from.rollout());
    to.setMergeSubwords(from.mergeSubwords());
    to.setSentenceBlock(from.sentenceBlock());
    to.setColorMap(from.colorMap());
    to.setMaskMode(from.maskMode());
    to.setCustomMask(from.customMask());
    if (from.scalingOverridden()) {
        to.setScaling(from.scaling());
    } else {
        to.setModelScaling(from.scaling());
    }
    for (const auto& [layer, head] : from.ablatedHeads())
        to.setHeadAblated(layer, head, true);
}

void SelectionCopy::shapeFromResult(const AttentionResult& result, SelectionState& selection)
{
    if (result.stacks.empty()) {
        selection.setShape(0, 0, 0, 0, 0);
        return;
    }
    const int stack = std::clamp(selection.stack(), 0, static_cast<int>(result.stacks.size()) - 1);
    const AttentionTensor& a = result.stacks[static_cast<std::size_t>(stack)].attention;
    selection.setShape(static_cast<int>(result.stacks.size()), a.layers, a.heads, a.queries, a.keys);
    if (result.pipeline)
        selection.setModelScaling(result.pipeline->capture.scaledByRootDk);
}

} // namespace attnviz
