#include "stats/rollout.h"

#include <stdexcept>
#include <string>

namespace attnviz {

Matrix rolloutLayer(const AttentionTensor& a, int layer, const std::vector<bool>& heads, float residual)
{
    const Index t = a.queries;
    Matrix mean = Matrix::Zero(t, t);
    int count = 0;
    for (int h = 0; h < a.heads; ++h) {
        if (!heads.empty() && !heads[static_cast<std::size_t>(h)])
            continue;
        mean += Eigen::Map<const Matrix>(a.head(layer, h), t, t);
        ++count;
    }
    Matrix mixed = (1.0f - residual) * mean / static_cast<float>(count);
    mixed.diagonal().array() += residual;
    for (Index i = 0; i < t; ++i) {
        const float sum = mixed.row(i).sum();
        if (sum > 0.0f)
            mixed.row(i) /= sum;
    }
    return mixed;
}

std::vector<Matrix> attentionRolloutByLayer(const AttentionTensor& attention, int lastLayer,
                                            const std::vector<bool>& heads, float residual)
{
    if (attention.queries != attention.keys)
        throw std::invalid_argument("attention rollout needs self-attention (as many queries as keys)");
    if (lastLayer < 0 || lastLayer >= attention.layers)
        throw std::invalid_argument("attention rollout: layer " + std::to_string(lastLayer) + " does not exist");
    if (!heads.empty() && static_cast<int>(heads.size()) != attention.heads)
        throw std::invalid_argument("attention rollout: one flag per head expected");
    bool any = heads.empty() && attention.heads > 0;
    for (bool h : heads)
        any = any || h;
    if (!any)
        throw std::invalid_argument("attention rollout needs at least one head");
    std::vector<Matrix> byLayer;
    byLayer.push_back(rolloutLayer(attention, 0, heads, residual));
    for (int l = 1; l <= lastLayer; ++l)
        byLayer.push_back(rolloutLayer(attention, l, heads, residual) * byLayer.back());
    return byLayer;
}

Matrix attentionRollout(const AttentionTensor& attention, int lastLayer, const std::vector<bool>& heads, float residual)
{
    return attentionRolloutByLayer(attention, lastLayer, heads, residual).back();
}

} // namespace attnviz
