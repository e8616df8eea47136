#pragma once
// The badge under a model-grid thumbnail: the most telling of a head's summary scores (computed
// in the core, stats/headsummary.h), or its direct logit attribution, as short text.

#include "engine/attentionresult.h"

#include <QColor>
#include <QString>

namespace attnviz {

// "prev 0.82" or "first 0.91" when a positional pattern holds most of the mass, otherwise
// "entropy 1.37"; empty when nothing is defined.
QString headBadge(const HeadSummary& summary);

// The badge when the grid shows direct logit attribution: the head's signed write into the logit
// ("+1.23", "−0.40"), and the colour that says which way (red raises, blue lowers, as the
// attribution view's diverging map).
QString attributionBadge(float logitPart);
QColor attributionBadgeColor(float logitPart, const QColor& neutral);

} // namespace attnviz
