#pragma once
// Builds the Qt Charts of the charts view from a result and the selection: the selected query's
// attention over the keys (one bar set per enabled head, in the head colours) and per-head
// statistics of the current layer. The same builders feed the screen and paint()/export.

#include "engine/attentionresult.h"

class QChart;

namespace attnviz {

class SelectionState;

struct ChartsBuilder
{
    // The query whose distribution is shown: the selected one, else the last token (the one a
    // decoder predicts from).
    static int effectiveQuery(const AttentionResult& result, const SelectionState& selection);
    static QChart* distributionChart(const AttentionResult& result, const SelectionState& selection);
    static QChart* headStatsChart(const AttentionResult& result, const SelectionState& selection);
};

} // namespace attnviz
