#include "views/arcs/arcsselection.h"

#include <algorithm>

namespace attnviz {

float arcsCutOff(std::vector<float> weights, std::size_t k, float floor)
{
    if (weights.size() <= k || k == 0) return floor;
    std::nth_element(weights.begin(), weights.begin() + std::ptrdiff_t(k - 1), weights.end(), std::greater<>());
    return std::max(floor, weights[k - 1]);
}

ArcsSelection ArcsSelection::choose(const AttentionTensor& a, int layer, const QList<int>& heads, std::size_t topK,
                                    const std::function<bool(int, int)>& shown)
{
    ArcsSelection chosen;
    std::vector<float> row;
    for (int n = 0; n < heads.size(); ++n) {
        for (int i = 0; i < a.queries; ++i) {
            // Every query keeps its own strongest keys: no cap over the whole picture drops a row.
            const float* map = a.head(layer, heads[n]);
            if (map == nullptr) break; // a head the capture does not hold draws nothing
            const float* weights = map + std::size_t(i) * std::size_t(a.keys);
            row.clear();
            for (int j = 0; j < a.keys; ++j)
                if (weights[j] >= invisible && shown(i, j))
                    row.push_back(weights[j]);
            const std::size_t kept = topK == 0 ? row.size() : std::min(row.size(), topK);
            const float floor = arcsCutOff(row, topK, invisible);
            std::size_t ties =
                kept - static_cast<std::size_t>(std::count_if(row.begin(), row.end(), [floor](float w) { return w > floor; }));
            for (int j = 0; j < a.keys; ++j) {
                const float w = weights[j];
                if (w < floor || (w == floor && ties == 0) || !shown(i, j))
                    continue;
                if (w == floor)
                    --ties;
                chosen.arcs.push_back({n, i, j, w});
            }
        }
    }
    return chosen;
}

} // namespace attnviz
