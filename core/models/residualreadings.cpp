#include "models/residualreadings.h"

#include <cmath>

namespace attnviz {

std::vector<Matrix> headValueWrites(ConstRowsRef v, const Matrix& wo, int heads, int kvHeads, int headDim)
{
    const int group = heads / kvHeads;
    std::vector<Matrix> writes(static_cast<std::size_t>(heads)); // (S, d) per head
#pragma omp parallel for schedule(static)
    for (int h = 0; h < heads; ++h) {
        writes[static_cast<std::size_t>(h)] =
            v.middleCols(static_cast<Index>(h / group) * headDim, headDim) * wo.middleRows(static_cast<Index>(h) * headDim, headDim);
    }
    return writes;
}

void appendValueGram(const std::vector<Matrix>& writes, std::vector<float>& gram)
{
    const int heads = static_cast<int>(writes.size());
    const Index S = heads > 0 ? writes.front().rows() : 0;
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

namespace {

// z through the frozen norm of one query: (z − mean z) / σ ⊙ gain (layer norm) or z / rms ⊙ gain;
// `withBias` adds the norm's bias (the output itself, not a part of it).
void applyFrozen(Eigen::Ref<RowVector> z, const FrozenNorm& norm, double scale, bool withBias)
{
    if (norm.layerNorm)
        z.array() -= z.mean();
    z = (z.array() * static_cast<float>(scale) * norm.gain.array()).matrix();
    if (withBias && norm.bias.size() > 0)
        z += norm.bias;
}

} // namespace

Matrix altiContributions(const std::vector<const float*>& maps, const std::vector<Matrix>& writes,
                         const Matrix& residual, const Matrix& sum, const FrozenNorm* norm)
{
    const Index T = residual.rows(), S = writes.empty() ? 0 : writes.front().rows(), d = residual.cols();
    Matrix out = Matrix::Zero(T, S);
#pragma omp parallel for schedule(dynamic, 4)
    for (Index i = 0; i < T; ++i) {
        RowVector y = sum.row(i);
        double scale = 1.0; // 1/σ or 1/rms of this query's sum, frozen for every part
        if (norm != nullptr) {
            const double mean = norm->layerNorm ? y.cast<double>().mean() : 0.0;
            const double var = (y.cast<double>().array() - mean).square().sum() / static_cast<double>(d);
            scale = 1.0 / std::sqrt(var + norm->eps);
            applyFrozen(y, *norm, scale, true);
        }
        const double l1 = y.cwiseAbs().cast<double>().sum();
        RowVector part(d);
        double total = 0.0;
        for (Index j = 0; j < S; ++j) {
            part.setZero();
            bool any = j == i;
            for (std::size_t h = 0; h < maps.size(); ++h) {
                const float a = maps[h][i * S + j];
                if (a != 0.0f) {
                    part += a * writes[h].row(j);
                    any = true;
                }
            }
            if (!any)
                continue; // a masked key adds nothing: its distance is ‖y_i‖₁
            if (j == i)
                part += residual.row(i);
            if (norm != nullptr)
                applyFrozen(part, *norm, scale, false);
            const double c = std::max(0.0, l1 - (y - part).cwiseAbs().cast<double>().sum());
            out(i, j) = static_cast<float>(c);
            total += c;
        }
        if (total > 0.0)
            out.row(i) /= static_cast<float>(total);
    }
    return out;
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
