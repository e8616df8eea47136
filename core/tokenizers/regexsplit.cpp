#include "tokenizers/regexsplit.h"

#include "tokenizers/unicode.h"

#include <cstdio>

namespace attnviz {

namespace {

struct Flagged
{
    std::size_t begin;
    std::size_t end;
    bool match;
};

// Every match and every gap between them, in order (tokenizers' Pattern::find_matches).
std::vector<Flagged> flaggedPieces(const regex::Regex& regex, std::string_view text, bool invert,
                                   regex::StepBudget& budget)
{
    std::vector<Flagged> out;
    std::size_t previous = 0;
    for (const regex::Span& m : regex::findAll(regex, text, budget)) {
        if (m.begin > previous)
            out.push_back({previous, m.begin, false});
        out.push_back({m.begin, m.end, true});
        previous = m.end;
    }
    if (previous < text.size())
        out.push_back({previous, text.size(), false});
    if (invert)
        for (Flagged& f : out)
            f.match = !f.match;
    return out;
}

// The behavior's folds, as tokenizers' NormalizedString::split applies them.
std::vector<Flagged> applyBehavior(std::vector<Flagged> pieces, SplitBehavior behavior)
{
    std::vector<Flagged> out;
    bool previousMatch = false;
    switch (behavior) {
    case SplitBehavior::Isolated: return pieces;
    case SplitBehavior::Removed:
        for (const Flagged& f : pieces)
            if (!f.match)
                out.push_back(f);
        return out;
    case SplitBehavior::MergedWithNext: // walking backwards, a match joins the piece after it
        for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
            if (it->match && !previousMatch && !out.empty())
                out.back().begin = it->begin;
            else
                out.push_back(*it);
            previousMatch = it->match;
        }
        return {out.rbegin(), out.rend()};
    case SplitBehavior::MergedWithPrevious:
    case SplitBehavior::Contiguous:
        for (const Flagged& f : pieces) {
            const bool merge = behavior == SplitBehavior::Contiguous ? f.match == previousMatch : f.match && !previousMatch;
            if (merge && !out.empty())
                out.back().end = f.end;
            else
                out.push_back(f);
            previousMatch = f.match;
        }
        return out;
    }
    return pieces;
}

} // namespace

std::optional<SplitBehavior> splitBehaviorNamed(std::string_view name)
{
    const std::pair<std::string_view, SplitBehavior> names[] = {
        {"Removed", SplitBehavior::Removed},
        {"Isolated", SplitBehavior::Isolated},
        {"MergedWithPrevious", SplitBehavior::MergedWithPrevious},
        {"MergedWithNext", SplitBehavior::MergedWithNext},
        {"Contiguous", SplitBehavior::Contiguous},
    };
    for (const auto& [spelled, behavior] : names) {
        if (name == spelled)
            return behavior;
        // serde's lowercase spelling ("isolated", "merged_with_previous") is accepted too.
        std::string snake;
        for (char c : spelled) {
            if (c >= 'A' && c <= 'Z' && !snake.empty())
                snake.push_back('_');
            snake.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
        }
        if (name == snake)
            return behavior;
    }
    return std::nullopt;
}

RegexSplit RegexSplit::fromRegex(std::string_view pattern, SplitBehavior behavior, bool invert)
{
    return RegexSplit(std::make_shared<const regex::Regex>(pattern), behavior, invert);
}

RegexSplit RegexSplit::fromString(std::string_view literal, SplitBehavior behavior, bool invert)
{
    // Tokenizers escapes the string into a regex; so does this, one \x{..} per code point.
    std::string escaped;
    for (std::size_t pos = 0; pos < literal.size();) {
        const unicode::Decoded d = unicode::decodeUtf8(literal, pos);
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(d.cp));
        escaped += buf;
        pos += static_cast<std::size_t>(d.length);
    }
    return fromRegex(escaped, behavior, invert);
}

std::vector<ByteRange> RegexSplit::split(std::string_view text) const
{
    regex::StepBudget budget(text.size());
    return split(text, budget);
}

std::vector<ByteRange> RegexSplit::split(std::string_view text, regex::StepBudget& budget) const
{
    std::vector<ByteRange> out;
    for (const Flagged& f : applyBehavior(flaggedPieces(*m_regex, text, m_invert, budget), m_behavior))
        if (f.end > f.begin)
            out.push_back({f.begin, f.end});
    return out;
}

} // namespace attnviz
