#pragma once
// Attention rollout (Abnar & Zuidema, "Quantifying Attention Flow in Transformers", 2020): how
// much each position draws on each input token through a stack of layers. Each layer's attention
// is averaged over heads and mixed with the residual connection, then the layers are multiplied:
//   Â_l = (1 − r)·mean_h A_l,h + r·I,  rows normalised to sum 1
//   R_0 = Â_0,  R_l = Â_l · R_(l−1)
// With the paper's r = 0.5. Rows stay distributions; a fully masked row of A becomes the identity row.

#include "engine/attentionresult.h"

#include <vector>

namespace attnviz {

// Rollout through layers 0..lastLayer of a self-attention tensor (queries == keys). `heads`
// selects the heads to average (true = included); empty means all. Throws std::invalid_argument
// for a non-square tensor, a layer out of range or no selected head.
Matrix attentionRollout(const AttentionTensor& attention, int lastLayer, const std::vector<bool>& heads = {},
                        float residual = 0.5f);
// One layer's step: (1 − residual)·mean of the selected heads + residual·I, rows scaled to sum 1.
Matrix rolloutLayer(const AttentionTensor& attention, int layer, const std::vector<bool>& heads, float residual);
// R_0 … R_lastLayer at once (each step needs the one before, so all layers cost what the last does).
std::vector<Matrix> attentionRolloutByLayer(const AttentionTensor& attention, int lastLayer,
                                            const std::vector<bool>& heads = {}, float residual = 0.5f);

} // namespace attnviz
