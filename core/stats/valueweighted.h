#pragma once
// Value-weighted attention (Kobayashi et al. 2020, "Attention is Not Only a Weight"): a head's
// weight on key j scaled by the norm of what it writes for that key, ‖a_ij · f_h(x_j)‖ with
// f_h(x) = (x·W_V + b_V)·W_O restricted to head h; for a whole layer, the norm of the heads' sum
// ‖Σ_h a^h_ij f_h(x_j)‖.

#include "engine/attentionresult.h"

#include <atomic>
#include <set>
#include <utility>

namespace attnviz {

// Replaces the stack's raw maps by value-weighted ones, each row as shares of its total (kept in
// measureRowTotals), fills layerMeasure (the layer's heads not in `ablated`; a layer is held when
// all its heads are) and frees the Gram the model filled (AttentionStack::valueGram). Returns false,
// leaving the stack as it was, when the stack has no Gram of the right size.
bool applyValueWeighting(AttentionStack& stack, const std::set<std::pair<int, int>>& ablated,
                         const std::atomic<bool>* cancel = nullptr);

} // namespace attnviz
