#pragma once
// Hugging Face's Split pre-tokenizer: the matches of a pattern (a regex, or a literal string) and
// the text between them become pieces according to a behavior, optionally with matches and gaps
// swapped (invert). Runs on any regex (regex.h); bytelevelsplit.h has hand-written fast paths for
// the three most common patterns.

#include "tokenizers/bytelevelsplit.h"
#include "tokenizers/regex.h"

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace attnviz {

// What happens to a match (tokenizers' SplitDelimiterBehavior).
enum class SplitBehavior {
    Removed,            // dropped
    Isolated,           // a piece of its own
    MergedWithPrevious, // joined to the piece before it
    MergedWithNext,     // joined to the piece after it
    Contiguous,         // consecutive matches form one piece
};

// "Isolated", "isolated", ...; nullopt for an unknown name.
std::optional<SplitBehavior> splitBehaviorNamed(std::string_view name);

class RegexSplit
{
public:
    // Throws TokenizerError for a pattern the engine refuses.
    static RegexSplit fromRegex(std::string_view pattern, SplitBehavior behavior, bool invert);
    static RegexSplit fromString(std::string_view literal, SplitBehavior behavior, bool invert);

    // Non-empty pieces in text order; with Removed they do not cover the whole text. The searches
    // draw on `budget` (shared by the stages of one encode), or on one of their own for `text`.
    std::vector<ByteRange> split(std::string_view text) const;
    std::vector<ByteRange> split(std::string_view text, regex::StepBudget& budget) const;
    const regex::Regex& pattern() const { return *m_regex; }

private:
    RegexSplit(std::shared_ptr<const regex::Regex> regex, SplitBehavior behavior, bool invert)
        : m_regex(std::move(regex)), m_behavior(behavior), m_invert(invert)
    {
    }
    std::shared_ptr<const regex::Regex> m_regex;
    SplitBehavior m_behavior;
    bool m_invert;
};

} // namespace attnviz
