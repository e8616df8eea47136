#pragma once
// View rendering measurements for attnviz-bench (offscreen QImage, fixed size).

#include "benchcore.h"

namespace attnviz::bench {

// Full render of the heatmap for a synthetic result with T tokens (paint() into a QImage), and
// a repaint of the widget once its picture is cached.
Timing timeHeatmapPaint(int tokens, int runs);
Timing timeHeatmapRepaint(int tokens, int runs);
// Model grid: layers x heads thumbnails at T tokens.
Timing timeModelGridPaint(int layers, int heads, int tokens, int runs);
// Arcs (head view) with every head enabled.
Timing timeArcsPaint(int heads, int tokens, int runs);
// One scroll step through a long input's arcs (a 1200-px strip); cold = with nothing cached, the
// peer that shows what caching the choice of lines and the label widths saves.
Timing timeArcsScroll(int tokens, int runs, bool cold);

} // namespace attnviz::bench
