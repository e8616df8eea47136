#include "models/residualreadings.h"

namespace attnviz {

void appendValueGram(ConstRowsRef v, const Matrix& wo, int heads, int kvHeads, int headDim,
                     std::vector<float>& gram)
{
    const Index S = v.rows();
    const int group = heads / kvHeads;
    std::vector<Matrix> writes(static_cast<std::size_t>(heads)); // (S, d) per head
#pragma omp parallel for schedule(static)
    for (int h = 0; h < heads; ++h) {
        writes[static_cast<std::size_t>(h)] =
            v.middleCols(static_cast<Index>(h / group) * headDim, headDim) * wo.middleRows(static_cast<Index>(h) * headDim, headDim);
    }
    const std::size_t base = gram.size();
    const std::size_t perKey = static_cast<std::size_t>(heads) * heads;
    gram.resize(base + static_cast<std::size_t>(S) * perKey);
#pragma omp parallel for schedule(static)
    for (Index j = 0; j < S; ++j) {
        float* g = gram.data() + base + static_cast<std::size_t>(j) * perKey;
        for (int h = 0; h < heads; ++h) {
            for (int k = 0; k <= h; ++k) {
                // in double: the layer's norm is a difference of such sums when heads cancel
                const double dot = writes[static_cast<std::size_t>(h)].row(j).cast<double>().dot(
                    writes[static_cast<std::size_t>(k)].row(j).cast<double>());
                g[h * heads + k] = g[k * heads + h] = static_cast<float>(dot);
            }
        }
    }
}

Matrix headWrites(const Eigen::Ref<const RowVector>& concatRow, const Matrix& wo, int heads, int headDim)
{
    Matrix out(heads, wo.cols());
    for (int h = 0; h < heads; ++h) {
        const Index first = static_cast<Index>(h) * headDim;
        out.row(h) = concatRow.segment(first, headDim) * wo.middleRows(first, headDim);
    }
    return out;
}

} // namespace attnviz
