#pragma once
// What the measures read from one layer of the residual stream (engine/readouts.h), shared by
// every family the generic forward runs: each head's write f_h(x) = x_h · W_O[rows of h].

#include "models/kernels.h"

#include <vector>

namespace attnviz {

// Appends, for every key j of v (S, kvHeads·headDim), the (heads, heads) Gram matrix of the heads'
// writes of its value, <f_h(v_j), f_g(v_j)> with f_h(v_j) = v_j[KV head of h] · wo[rows of h]
// (Kobayashi et al. 2020): its diagonal holds ‖f_h‖², the whole of it ‖Σ_h a_h f_h‖² for any weights.
// wo is the dense (heads·headDim, d) output projection. Parallel over heads, then keys.
void appendValueGram(ConstRowsRef v, const Matrix& wo, int heads, int kvHeads, int headDim,
                     std::vector<float>& gram);

// Each head's write into one row of the residual stream: its slice of the concatenated head
// outputs (heads·headDim) times its rows of wo, as (heads, d).
Matrix headWrites(const Eigen::Ref<const RowVector>& concatRow, const Matrix& wo, int heads, int headDim);

// Row layout of the parts one attributed row is split into: the embedding, then per layer every
// head, W_O's bias and the MLP.
struct AttributionLayout
{
    int layers = 0;
    int heads = 0;
    Index rows() const { return 1 + static_cast<Index>(layers) * (heads + 2); }
    Index head(int layer, int h) const { return 1 + static_cast<Index>(layer) * (heads + 2) + h; }
    Index attentionBias(int layer) const { return head(layer, heads); }
    Index mlp(int layer) const { return head(layer, heads + 1); }
};

} // namespace attnviz
