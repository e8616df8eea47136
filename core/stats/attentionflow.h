#pragma once
// Attention flow (Abnar & Zuidema, "Quantifying Attention Flow in Transformers", 2020): the
// layers as a graph, node (l, i) being token i after layer l (l = −1: the input embeddings), an
// edge from (l − 1, j) to (l, i) of capacity Â_l(i, j), the layer's mean over the chosen heads
// mixed half-and-half with the residual exactly as in the rollout (stats/rollout.h). The flow of
// token i after a layer from input token j is the maximum flow between those two nodes.

#include "engine/attentionresult.h"

#include <atomic>
#include <vector>

namespace attnviz {

// Work bound: tokens² flows over (layers + 1) · tokens² edges stays under this many edge visits.
constexpr double maxFlowWork = 6e7;
// Whether the flow through layers 0..lastLayer of T tokens stays within maxFlowWork.
bool attentionFlowAffordable(int tokens, int lastLayer);

// (T, T) maximum flows from each input token (column) to each token after lastLayer (row), for a
// self-attention tensor holding every chosen head of those layers. Throws std::invalid_argument
// like attentionRollout, Cancelled when `cancel` is raised.
Matrix attentionFlow(const AttentionTensor& attention, int lastLayer, const std::vector<bool>& heads,
                     const std::atomic<bool>* cancel = nullptr);

} // namespace attnviz
