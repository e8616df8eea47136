#pragma once
// chrF (Popović 2015) as sacrebleu's default CHRF(): character n-grams n = 1..6, beta = 2,
// whitespace removed, case-sensitive, no word n-grams. The same definition as
// tools/train/chrf.py, which scores the built-in translator's card; the tests recompute it.

#include <array>
#include <string_view>
#include <vector>

namespace attnviz {

inline constexpr int ChrfOrder = 6;

// Per order n = 1..6: n-grams of the hypothesis, of the reference, and matched (clipped) ones.
struct ChrfCounts
{
    std::array<long long, ChrfOrder> hypothesis{};
    std::array<long long, ChrfOrder> reference{};
    std::array<long long, ChrfOrder> matched{};
};

// Counts of one sentence pair (UTF-8; characters are code points).
ChrfCounts chrfCounts(std::string_view hypothesis, std::string_view reference);

// 100 x F-beta of the precision and recall averaged over the orders (an order without n-grams
// on a side counts as 0 there), from counts summed over a corpus.
double chrfScore(const ChrfCounts& counts, double beta = 2.0);

// Corpus chrF: counts summed over the pairs first (not a mean of sentence scores).
double corpusChrf(const std::vector<std::string_view>& hypotheses, const std::vector<std::string_view>& references);

} // namespace attnviz
