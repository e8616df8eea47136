#include "views/pipeline/followedquery.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attnviz {

namespace {

// Indices of `values` from `candidates`, the `count` largest first (ties to the lower index).
std::vector<int> largestOf(std::vector<int> candidates, const std::vector<float>& values, int count)
{
    count = std::min<int>(count, int(candidates.size()));
    std::partial_sort(candidates.begin(), candidates.begin() + count, candidates.end(), [&values](int a, int b) {
        return values[std::size_t(a)] != values[std::size_t(b)] ? values[std::size_t(a)] > values[std::size_t(b)] : a < b;
    });
    candidates.resize(std::size_t(count));
    return candidates;
}

std::vector<float> rowOf(const Matrix& m, Index row)
{
    std::vector<float> out(std::size_t(m.cols()));
    for (Index c = 0; c < m.cols(); ++c) out[std::size_t(c)] = m(row, c);
    return out;
}

} // namespace

Matrix FollowedQuery::term(int key) const
{
    return capture->capture.v.row(key) * weights[std::size_t(key)];
}

std::vector<int> keysToShow(const std::vector<float>& weights, int maxKeys)
{
    const int n = int(weights.size());
    std::vector<int> all(static_cast<std::size_t>(n));
    std::iota(all.begin(), all.end(), 0);
    maxKeys = std::max(maxKeys, 3);
    if (n <= maxKeys + 1) return all; // hiding one key would cost a row saying so
    std::vector<int> middle(all.begin() + 1, all.end() - 1);
    std::vector<int> shown = largestOf(std::move(middle), weights, maxKeys - 2);
    shown.push_back(0);
    shown.push_back(n - 1);
    std::sort(shown.begin(), shown.end());
    return shown;
}

std::vector<int> entriesToShow(const std::vector<const float*>& rows, int length, int first, int largest)
{
    std::vector<int> shown(std::size_t(std::min(length, first)));
    std::iota(shown.begin(), shown.end(), 0);
    if (length <= first + largest) {
        shown.resize(std::size_t(length));
        std::iota(shown.begin(), shown.end(), 0);
        return shown;
    }
    std::vector<float> magnitude(std::size_t(length), 0.0f);
    for (const float* row : rows) {
        for (int d = 0; d < length; ++d) magnitude[std::size_t(d)] = std::max(magnitude[std::size_t(d)], std::abs(row[d]));
    }
    std::vector<int> rest(std::size_t(length - first));
    std::iota(rest.begin(), rest.end(), first);
    for (int d : largestOf(std::move(rest), magnitude, largest)) shown.push_back(d);
    std::sort(shown.begin(), shown.end());
    return shown;
}

FollowedQuery followQuery(const PipelineCapture& capture, int query, int maxKeys)
{
    FollowedQuery f;
    const HeadCapture& h = capture.capture;
    f.capture = &capture;
    const int queries = int(h.weights.rows());
    f.lastByDefault = query < 0 || query >= queries;
    f.query = f.lastByDefault ? queries - 1 : query;
    if (f.query < 0) return f;
    const Index i = f.query;
    f.x = capture.x.row(i);
    f.q = h.q.row(i);
    f.output = h.output.row(i);
    f.scores = rowOf(h.scores, i);
    f.scaled = rowOf(h.scaled, i);
    f.weights = rowOf(h.weights, i);
    f.allowed.resize(f.weights.size());
    f.shares.assign(f.weights.size(), 0.0f);
    double total = 0.0;
    for (std::size_t j = 0; j < f.weights.size(); ++j) {
        f.allowed[j] = h.mask.size() == 0 || h.mask(i, Index(j)) != 0;
        f.shares[j] = std::abs(f.weights[j]) * h.v.row(Index(j)).norm();
        total += double(f.shares[j]);
    }
    for (float& s : f.shares) s = total > 0.0 ? float(double(s) / total) : 0.0f;
    if (capture.blockOutput.rows() > i && capture.output.rows() > i) {
        f.residual = capture.residual.row(i);
        f.attention = capture.output.row(i);
        f.afterAttention = capture.afterAttention.row(i);
        f.mlp = capture.mlpOutput.row(i);
        f.blockOutput = capture.blockOutput.row(i);
        f.restLabel = QString::fromStdString(capture.restLabel);
        f.normAfterAdd = capture.normAfterAdd;
    }
    f.shownKeys = keysToShow(f.weights, maxKeys);
    f.hiddenKeys = f.keyCount() - int(f.shownKeys.size());
    return f;
}

} // namespace attnviz
