#include "state/subwordmerge.h"

#include <algorithm>
#include <cctype>

namespace attnviz {

namespace {

bool startsWithSpace(const std::string& s)
{
    return !s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0;
}

bool isPunctuationOnly(const std::string& s)
{
    bool any = false;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isspace(u) != 0)
            continue;
        if (u >= 0x80 || std::isalnum(u) != 0)
            return false;
        any = true;
    }
    return any;
}

bool continuesWord(const Token& prev, const Token& t)
{
    if (t.special || prev.special)
        return false;
    if (t.word >= 0 && prev.word >= 0) // the file that recorded the tokens said which word each is
        return t.word == prev.word;
    if (t.piece.rfind("##", 0) == 0)
        return true;
    if (t.begin < 0 || prev.begin < 0)
        return false;
    if (isPunctuationOnly(t.display) || isPunctuationOnly(prev.display))
        return false;
    return t.begin == prev.end && !startsWithSpace(t.display) && t.segment == prev.segment;
}

} // namespace

std::vector<int> SubwordMerge::wordGroups(const std::vector<Token>& tokens)
{
    std::vector<int> groups(tokens.size());
    int group = -1;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i == 0 || !continuesWord(tokens[i - 1], tokens[i]))
            ++group;
        groups[i] = group;
    }
    return groups;
}

Matrix SubwordMerge::merge(const Matrix& weights, const std::vector<int>& rowGroups, const std::vector<int>& colGroups)
{
    const int rows = groupCount(rowGroups);
    const int cols = groupCount(colGroups);
    Matrix out = Matrix::Zero(rows, cols);
    std::vector<int> rowSizes(static_cast<std::size_t>(rows), 0);
    for (Index i = 0; i < weights.rows() && i < static_cast<Index>(rowGroups.size()); ++i) {
        const int r = rowGroups[static_cast<std::size_t>(i)];
        ++rowSizes[static_cast<std::size_t>(r)];
        for (Index j = 0; j < weights.cols() && j < static_cast<Index>(colGroups.size()); ++j) {
            out(r, colGroups[static_cast<std::size_t>(j)]) += weights(i, j);
        }
    }
    for (int r = 0; r < rows; ++r) {
        if (rowSizes[static_cast<std::size_t>(r)] > 1)
            out.row(r) /= static_cast<float>(rowSizes[static_cast<std::size_t>(r)]);
    }
    return out;
}

MaskMatrix SubwordMerge::mergeMask(const MaskMatrix& mask, const std::vector<int>& rowGroups,
                                   const std::vector<int>& colGroups)
{
    MaskMatrix out = MaskMatrix::Zero(groupCount(rowGroups), groupCount(colGroups));
    for (Index i = 0; i < mask.rows() && i < static_cast<Index>(rowGroups.size()); ++i) {
        for (Index j = 0; j < mask.cols() && j < static_cast<Index>(colGroups.size()); ++j) {
            if (mask(i, j) != 0)
                out(rowGroups[static_cast<std::size_t>(i)], colGroups[static_cast<std::size_t>(j)]) = 1;
        }
    }
    return out;
}

std::vector<std::string> SubwordMerge::wordDisplays(const std::vector<Token>& tokens, const std::vector<int>& groups)
{
    std::vector<std::string> words(static_cast<std::size_t>(groupCount(groups)));
    for (std::size_t i = 0; i < tokens.size() && i < groups.size(); ++i) {
        const Token& t = tokens[i];
        const bool hashes = t.piece.rfind("##", 0) == 0 && t.display.rfind("##", 0) == 0;
        words[static_cast<std::size_t>(groups[i])] += hashes ? t.display.substr(2) : t.display;
    }
    return words;
}

std::vector<int> SubwordMerge::identity(int count)
{
    std::vector<int> groups(static_cast<std::size_t>(std::max(0, count)));
    for (int i = 0; i < count; ++i)
        groups[static_cast<std::size_t>(i)] = i;
    return groups;
}

} // namespace attnviz
