#include "stats/tokenalignment.h"

#include <algorithm>
#include <cstdint>

namespace attnviz {

std::optional<TokenAlignment> alignTokens(const std::vector<int>& a, const std::vector<int>& b)
{
    const std::size_t n = a.size(), m = b.size();
    if (n > static_cast<std::size_t>(maxAlignedTokens) || m > static_cast<std::size_t>(maxAlignedTokens))
        return std::nullopt;
    // lengths[i][j]: the LCS of a[i..] and b[j..], one row of 16-bit counts per i (≤ 8192 fits).
    std::vector<std::uint16_t> lengths((n + 1) * (m + 1), 0);
    const auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            lengths[at(i, j)] = a[i] == b[j] ? static_cast<std::uint16_t>(lengths[at(i + 1, j + 1)] + 1)
                                             : std::max(lengths[at(i + 1, j)], lengths[at(i, j + 1)]);
        }
    }
    TokenAlignment out;
    std::size_t i = 0, j = 0, gapA = 0, gapB = 0; // where the current differing stretch started
    const auto closeGap = [&](std::size_t endA, std::size_t endB) {
        if (endA - gapA == endB - gapB) { // equally long: a substitution, token for token
            for (std::size_t k = 0; gapA + k < endA; ++k) {
                out.pairs.emplace_back(static_cast<int>(gapA + k), static_cast<int>(gapB + k));
                out.same.push_back(false);
            }
        }
    };
    while (i < n && j < m) {
        if (a[i] == b[j]) {
            closeGap(i, j);
            out.pairs.emplace_back(static_cast<int>(i), static_cast<int>(j));
            out.same.push_back(true);
            gapA = ++i;
            gapB = ++j;
        } else if (lengths[at(i + 1, j)] >= lengths[at(i, j + 1)]) {
            ++i;
        } else {
            ++j;
        }
    }
    closeGap(n, m);
    return out;
}

std::optional<Matrix> mapDifference(const AttentionStack& a, const AttentionStack& b, int layer, int head,
                                    const TokenAlignment& alignment)
{
    const AttentionTensor& x = a.attention;
    const AttentionTensor& y = b.attention;
    if (x.layers != y.layers || x.heads != y.heads || layer < 0 || layer >= x.layers || head >= x.heads)
        return std::nullopt;
    // One head, or the mean of every head of the layer.
    const auto cell = [layer, head](const AttentionTensor& t, int q, int k) -> std::optional<float> {
        if (head >= 0)
            return t.holds(layer, head) ? std::optional<float>(t.at(layer, head, q, k)) : std::nullopt;
        double sum = 0.0;
        for (int h = 0; h < t.heads; ++h) {
            if (!t.holds(layer, h)) return std::nullopt;
            sum += t.at(layer, h, q, k);
        }
        return static_cast<float>(sum / t.heads);
    };
    const auto n = static_cast<Index>(alignment.pairs.size());
    Matrix out(n, n);
    for (Index r = 0; r < n; ++r) {
        for (Index c = 0; c < n; ++c) {
            const auto& [qa, qb] = alignment.pairs[static_cast<std::size_t>(r)];
            const auto& [ka, kb] = alignment.pairs[static_cast<std::size_t>(c)];
            if (qa >= x.queries || ka >= x.keys || qb >= y.queries || kb >= y.keys)
                return std::nullopt;
            const auto va = cell(x, qa, ka);
            const auto vb = cell(y, qb, kb);
            if (!va || !vb)
                return std::nullopt;
            out(r, c) = *va - *vb;
        }
    }
    return out;
}

} // namespace attnviz
