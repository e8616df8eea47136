#pragma once
// What the measures read from one layer of the residual stream (engine/readouts.h), shared by
// every family the generic forward runs: each head's write f_h(x) = x_h · W_O[rows of h].

#include "models/kernels.h"

#include <vector>

namespace attnviz {

// What each head writes for each key's value, f_h(v_j) = v_j[KV head of h] · wo[rows of h], as
// (S, d) per head; wo is the dense (heads·headDim, d) output projection. Parallel over heads.
std::vector<Matrix> headValueWrites(ConstRowsRef v, const Matrix& wo, int heads, int kvHeads, int headDim);

// Appends, for every key j, the (heads, heads) Gram matrix <f_h(v_j), f_g(v_j)> of the heads'
// writes (Kobayashi et al. 2020): its diagonal holds ‖f_h‖², the whole of it ‖Σ_h a_h f_h‖² for
// any weights a. Parallel over keys.
void appendValueGram(const std::vector<Matrix>& writes, std::vector<float>& gram);

// The norm after a post-norm layer's residual, taken apart linearly with its scale frozen per query.
struct FrozenNorm
{
    const RowVector& gain;
    const RowVector& bias; // empty for RMSNorm
    float eps = 0;
    bool layerNorm = true;
};

// ALTI (Ferrando et al. 2022) of one self-attention block: how much each input token j makes up
// query i's output y_i = Σ_j T_i(x_j) + b, with T_i(x_j) = Σ_h a^h_ij f_h(x_j) + [i = j] x_i
// (the residual), c_ij = max(0, ‖y_i‖₁ − ‖y_i − T_i(x_j)‖₁), each row divided by its sum.
// maps: each head's (T, T) weights; residual: x (T, d); sum: x + the block's output with its bias
// (before `norm`, which post-norm families apply to the sum and to each T_i(x_j)).
Matrix altiContributions(const std::vector<const float*>& maps, const std::vector<Matrix>& writes,
                         const Matrix& residual, const Matrix& sum, const FrozenNorm* norm);

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
