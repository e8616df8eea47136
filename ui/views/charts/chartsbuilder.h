#pragma once
// Builds the Qt Charts of the charts view from a result and the selection: the selected query's
// attention over the keys (one bar set per enabled head, in the head colours) and per-head
// statistics of the current layer. The same builders feed the screen and paint()/export.

#include "engine/attentionresult.h"

#include <QPalette>

#include <vector>

class QChart;

namespace attnviz {

class SelectionState;

struct ChartsBuilder
{
    // Beyond this many keys the bars would be too thin to read and their labels would be elided:
    // the strongest keys are kept in input order and the rest are summed into one "other" bar.
    static constexpr int kMaxKeyBars = 32;

    // The query whose distribution is shown: the selected one, else the last token (the one a
    // decoder predicts from).
    static int effectiveQuery(const AttentionResult& result, const SelectionState& selection);
    // The keys that get a bar of their own (ascending), chosen by their largest weight over the
    // enabled heads; all keys when there are at most kMaxKeyBars.
    static std::vector<int> shownKeys(const AttentionResult& result, const SelectionState& selection, int query);
    // Colours follow `palette` (dark palettes get dark charts); labels are plain text, never HTML.
    // Text sizes are multiplied by `textScale` (AttentionView::textScale(): Qt Charts takes no font
    // from its widget, so presentation mode and an export's font size reach the charts this way).
    static QChart* distributionChart(const AttentionResult& result, const SelectionState& selection,
                                     const QPalette& palette = QPalette(), qreal textScale = 1.0);
    static QChart* headStatsChart(const AttentionResult& result, const SelectionState& selection,
                                  const QPalette& palette = QPalette(), qreal textScale = 1.0);
    // A 0..max axis with round ticks: max is a multiple of interval (0.1, or 0.2 above 0.5).
    struct Axis
    {
        double max = 1.0;
        double interval = 0.2;
    };
    static Axis niceAxis(double peak);
};

} // namespace attnviz
