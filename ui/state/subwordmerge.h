#pragma once
// Merging sub-word tokens into words for display. Attention to a word is the sum of the attention
// to its pieces (keys), and a word's own attention is the mean over its pieces (queries), so every
// merged row still sums to 1. Pure functions, unit tested directly.

#include "engine/attentionresult.h"

#include <QStringList>

#include <vector>

namespace attnviz {

struct SubwordMerge
{
    // Group index per token (0, 0, 1, 2, 2, ...): a token continues the previous word when it
    // starts with "##" (WordPiece) or directly follows it in the text without a leading space.
    // Specials, punctuation-only tokens and lesson tokens (no text span) stand alone.
    static std::vector<int> wordGroups(const std::vector<Token>& tokens);
    static int groupCount(const std::vector<int>& groups) { return groups.empty() ? 0 : groups.back() + 1; }

    // weights (T, S) -> (groups(rows), groups(cols)): sum over keys, mean over queries.
    static Matrix merge(const Matrix& weights, const std::vector<int>& rowGroups, const std::vector<int>& colGroups);
    // A merged cell is allowed when any of its token cells is.
    static MaskMatrix mergeMask(const MaskMatrix& mask, const std::vector<int>& rowGroups,
                                const std::vector<int>& colGroups);
    // The words' display strings (pieces concatenated, "##" dropped).
    static std::vector<std::string> wordDisplays(const std::vector<Token>& tokens, const std::vector<int>& groups);
    // The identity grouping (one group per token).
    static std::vector<int> identity(int count);
};

} // namespace attnviz
