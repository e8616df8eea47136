#pragma once
// Which tokens of two inputs correspond, so their attention can be compared cell by cell ("… it
// was too tired" / "… it was too wide"): the longest common subsequence of their ids, plus, between
// two matched tokens, the tokens at the same place in equally long differing stretches.

#include "base/tensor.h"
#include "engine/attentionresult.h"

#include <optional>
#include <utility>
#include <vector>

namespace attnviz {

struct TokenAlignment
{
    // (index in A, index in B), increasing in both; `same` tells matched ids from substitutions.
    std::vector<std::pair<int, int>> pairs;
    std::vector<bool> same;
};

// Inputs longer than this many tokens each are not aligned (the table is quadratic).
constexpr int maxAlignedTokens = 8192;

// nullopt when either input is longer than maxAlignedTokens.
std::optional<TokenAlignment> alignTokens(const std::vector<int>& a, const std::vector<int>& b);

// A − B of one head's map (or of the layer's when head < 0: the mean of every head) over the
// aligned query and key pairs of two runs of one stack, (pairs, pairs). nullopt when a map is not
// held or the stacks' layers or heads differ.
std::optional<Matrix> mapDifference(const AttentionStack& a, const AttentionStack& b, int layer, int head,
                                    const TokenAlignment& alignment);

} // namespace attnviz
