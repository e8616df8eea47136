#pragma once
// Every head's summary (HeadSummary: previous-token, first-token and entropy scores, defined in
// stats/headstats.h), for the model grid's badges and the charts.

#include "engine/attentionresult.h"

#include <vector>

namespace attnviz {

// (layers × heads) summaries of one stack, layer-major. The previous-token score is defined for
// self-attention only, the positional scores from two queries on; undefined scores are NaN.
std::vector<HeadSummary> summariseHeads(const AttentionStack& stack);

} // namespace attnviz
