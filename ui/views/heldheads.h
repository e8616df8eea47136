#pragma once
// What a view says for heads a stack does not hold (an attention file that kept selected heads).

#include "engine/attentionresult.h"

#include <QString>

namespace attnviz {

// "This attention file does not hold layer 3 head 5; in layer 3 it holds heads 0, 2 and 7."
// head < 0: none of the chosen heads of the layer is held.
QString notHeldMessage(const AttentionTensor& a, int layer, int head);

} // namespace attnviz
