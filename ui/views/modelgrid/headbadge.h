#pragma once
// The badge under a model-grid thumbnail: the most telling of a head's summary scores (computed
// in the core, stats/headsummary.h), as short text.

#include "engine/attentionresult.h"

#include <QString>

namespace attnviz {

// "prev 0.82" or "first 0.91" when a positional pattern holds most of the mass, otherwise
// "entropy 1.37"; empty when nothing is defined.
QString headBadge(const HeadSummary& summary);

} // namespace attnviz
