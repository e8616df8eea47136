#include "stats/valueweighted.h"

#include "attention/attention.h"

#include <cmath>

namespace attnviz {

namespace {

// Divides each row of a (rows, cols) map by its sum, storing the sums; an all-zero row stays zero.
void toRowShares(float* map, Index rows, Index cols, float* totals)
{
    for (Index i = 0; i < rows; ++i) {
        float* row = map + i * cols;
        double sum = 0.0;
        for (Index j = 0; j < cols; ++j)
            sum += row[j];
        totals[i] = static_cast<float>(sum);
        if (sum > 0.0) {
            for (Index j = 0; j < cols; ++j)
                row[j] = static_cast<float>(row[j] / sum);
        }
    }
}

} // namespace

bool applyValueWeighting(AttentionStack& stack, const std::set<std::pair<int, int>>& ablated,
                         const std::atomic<bool>* cancel)
{
    AttentionTensor& a = stack.attention;
    const int H = a.heads;
    const Index Q = a.queries, S = a.keys;
    const std::size_t perKey = static_cast<std::size_t>(H) * H;
    const std::size_t perLayer = static_cast<std::size_t>(S) * perKey;
    if (stack.valueGram.size() != static_cast<std::size_t>(a.layers) * perLayer || stack.measure != Measure::Raw)
        return false;
    const float* gram = stack.valueGram.data();

    // The whole layer first: it needs the raw weights of every head.
    std::vector<bool> layerHeld(static_cast<std::size_t>(a.layers));
    for (int l = 0; l < a.layers; ++l) {
        bool all = true;
        for (int h = 0; h < H; ++h)
            all = all && a.holds(l, h);
        layerHeld[static_cast<std::size_t>(l)] = all;
    }
    stack.layerMeasure.resizeHolding(a.layers, 1, static_cast<int>(Q), static_cast<int>(S), layerHeld);
    stack.layerMeasureRowTotals.assign(static_cast<std::size_t>(a.layers) * Q, 0.0f);
    for (int l = 0; l < a.layers; ++l) {
        throwIfCancelled(cancel);
        if (!layerHeld[static_cast<std::size_t>(l)])
            continue;
        std::vector<const float*> maps;
        std::vector<int> kept;
        for (int h = 0; h < H; ++h) {
            if (ablated.count({l, h}) == 0) {
                maps.push_back(a.head(l, h));
                kept.push_back(h);
            }
        }
        float* out = stack.layerMeasure.head(l, 0);
        const float* g = gram + static_cast<std::size_t>(l) * perLayer;
#pragma omp parallel for schedule(static)
        for (Index i = 0; i < Q; ++i) {
            for (Index j = 0; j < S; ++j) {
                const float* gj = g + static_cast<std::size_t>(j) * perKey;
                double sq = 0.0; // ‖Σ_h a_h f_h‖² = Σ_h Σ_g a_h a_g <f_h, f_g>
                for (std::size_t x = 0; x < kept.size(); ++x) {
                    const double ax = maps[x][i * S + j];
                    if (ax == 0.0)
                        continue;
                    for (std::size_t y = 0; y < kept.size(); ++y)
                        sq += ax * maps[y][i * S + j] * gj[kept[x] * H + kept[y]];
                }
                out[i * S + j] = static_cast<float>(std::sqrt(std::max(sq, 0.0)));
            }
        }
        toRowShares(out, Q, S, stack.layerMeasureRowTotals.data() + static_cast<std::size_t>(l) * Q);
    }

    // Then each held head, in place: a_ij · ‖f_h(x_j)‖.
    stack.measureRowTotals.assign(static_cast<std::size_t>(a.heldHeads()) * Q, 0.0f);
    for (int l = 0; l < a.layers; ++l) {
        throwIfCancelled(cancel);
        for (int h = 0; h < H; ++h) {
            float* map = a.head(l, h);
            if (map == nullptr)
                continue;
            const float* g = gram + static_cast<std::size_t>(l) * perLayer;
#pragma omp parallel for schedule(static)
            for (Index i = 0; i < Q; ++i) {
                for (Index j = 0; j < S; ++j)
                    map[i * S + j] *= std::sqrt(std::max(g[static_cast<std::size_t>(j) * perKey + h * H + h], 0.0f));
            }
            toRowShares(map, Q, S, stack.measureRowTotals.data() + static_cast<std::size_t>(a.slotOf(l, h)) * Q);
        }
    }
    stack.measure = Measure::ValueWeighted;
    stack.valueGram = {};
    return true;
}

} // namespace attnviz
