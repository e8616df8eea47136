#pragma once
// What a view says for heads a stack does not hold (an attention file that kept selected heads).

#include "engine/attentionresult.h"

#include <QString>

namespace attnviz {

// "This attention file does not hold layer 3 head 5; in that layer it holds head 0, 2, 7." For a
// computed result (recorded = false), that the map is being computed: a long input keeps only
// the maps around the layer shown. head < 0: none of the chosen heads of the layer is held.
QString notHeldMessage(const AttentionTensor& a, int layer, int head, bool recorded);

} // namespace attnviz
