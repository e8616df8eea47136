#pragma once
// Simple per-head statistics that name common head patterns, shown as badges in the model grid
// and as bars in the charts. Pure functions over one head's (queries, keys) weights.

#include <QString>

#include <limits>

namespace attnviz {

struct ModelGridStats
{
    static constexpr double notAvailable = std::numeric_limits<double>::quiet_NaN();

    double previousToken = notAvailable; // mean over queries i >= 1 of A[i, i-1] (self-attention only)
    double firstToken = notAvailable;    // mean over queries i >= 1 of A[i, 0]
    double entropy = notAvailable;       // mean over attending queries of -sum_j A ln A, in nats

    // weights: (queries, keys) row-major. Rows that attend nowhere (all zero, fully masked) are
    // left out of the entropy mean; query 0 is left out of the positional scores because under
    // a causal mask it can only look at itself.
    static ModelGridStats compute(const float* weights, int queries, int keys, bool selfAttention);

    // The badge text of the most telling pattern, e.g. "prev 0.82", "first 0.91" or "H 1.37".
    QString badge() const;
};

} // namespace attnviz
