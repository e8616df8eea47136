#include "views/modelgrid/modelgridstats.h"

#include <cmath>

namespace attnviz {

ModelGridStats ModelGridStats::compute(const float* weights, int queries, int keys, bool selfAttention)
{
    ModelGridStats stats;
    if (weights == nullptr || queries <= 0 || keys <= 0) return stats;
    auto at = [&](int i, int j) { return double(weights[static_cast<std::size_t>(i) * keys + j]); };

    double entropy = 0.0;
    int attending = 0;
    for (int i = 0; i < queries; ++i) {
        double sum = 0.0, h = 0.0;
        const float* row = weights + static_cast<std::size_t>(i) * keys;
        for (int j = 0; j < keys; ++j) {
            const float a = row[j];
            sum += a;
            // Single precision is plenty for a badge and keeps 144 heads × T² fast.
            if (a > 0.0f) h -= double(a * std::log(a));
        }
        if (sum <= 0.0) continue;
        entropy += h;
        ++attending;
    }
    if (attending > 0) stats.entropy = entropy / attending;

    if (queries >= 2) {
        double first = 0.0, previous = 0.0;
        for (int i = 1; i < queries; ++i) {
            first += at(i, 0);
            if (i - 1 < keys) previous += at(i, i - 1);
        }
        stats.firstToken = first / (queries - 1);
        if (selfAttention) stats.previousToken = previous / (queries - 1);
    }
    return stats;
}

QString ModelGridStats::badge() const
{
    // A positional pattern is named when it holds most of the mass; otherwise the entropy says
    // how spread out the head is.
    if (!std::isnan(previousToken) && previousToken >= 0.5 && !(firstToken > previousToken))
        return QStringLiteral("prev %1").arg(previousToken, 0, 'f', 2);
    if (!std::isnan(firstToken) && firstToken >= 0.5) return QStringLiteral("first %1").arg(firstToken, 0, 'f', 2);
    if (!std::isnan(entropy)) return QStringLiteral("entropy %1").arg(entropy, 0, 'f', 2); // "H" read as a head
    return {};
}

} // namespace attnviz
