#pragma once
// A small regex engine for the Split pre-tokenizers of tokenizer.json: Oniguruma's syntax as far as
// real patterns use it (classes with nesting and \p{..} categories, groups, (?i:...), alternation,
// greedy, lazy and possessive quantifiers, anchors, lookahead) with its leftmost-first semantics.
// Matching is a Pike VM (a simulation of all threads in priority order), so time grows with text
// length × pattern size, not exponentially; lookaheads and atomic groups are run once per position
// and remembered. A step budget per text (shared by every Split stage and piece of one encode)
// bounds even the quadratic cases, and patterns are capped in
// size and nesting (regexprogram.h). Everything refused throws TokenizerError saying what and why.

#include "tokenizers/regexprogram.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz::regex {

struct Span
{
    std::size_t begin;
    std::size_t end;
    bool operator==(const Span&) const = default;
};

class Regex
{
public:
    // Throws TokenizerError for unsupported syntax (backreferences, lookbehind, ...; the message
    // names it) and for patterns over the limits.
    explicit Regex(std::string_view pattern);

    const std::string& pattern() const { return m_pattern; }
    const Program& program() const { return m_program; }

private:
    std::string m_pattern;
    Program m_program;
};

// The steps the searches over one text may take: 20 million plus 2,000 a byte (real patterns take
// a few dozen a byte; quadratic ones still finish on short texts). One budget serves every stage
// and piece of an encode, so cutting a text into many pieces does not multiply it.
class StepBudget
{
public:
    explicit StepBudget(std::size_t textBytes);
    // Throws TokenizerError once the budget is spent.
    void spend()
    {
        if (++m_used > m_limit)
            exhausted();
    }
    std::uint64_t used() const { return m_used; }
    std::uint64_t limit() const { return m_limit; }

private:
    [[noreturn]] void exhausted() const;
    std::uint64_t m_limit;
    std::uint64_t m_used = 0;
    std::size_t m_bytes;
};

// The searches of one regex over one text (UTF-8, byte offsets at character boundaries). Memo
// tables belong to the text, so repeated finds share them.
class Matcher
{
public:
    // With its own budget for `text`, or drawing on `budget`.
    Matcher(const Regex& regex, std::string_view text);
    Matcher(const Regex& regex, std::string_view text, StepBudget& budget);
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    // The leftmost-first match starting at or after `from`, or none. Throws TokenizerError when the
    // step budget runs out (a hostile pattern on a long text).
    std::optional<Span> find(std::size_t from);
    std::uint64_t steps() const; // taken by this matcher

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

// Every match left to right, as Oniguruma's find_iter gives them to Hugging Face tokenizers: after
// an empty match the search moves on one character, and an empty match right where the previous
// match ended is skipped.
std::vector<Span> findAll(const Regex& regex, std::string_view text);
std::vector<Span> findAll(const Regex& regex, std::string_view text, StepBudget& budget);

} // namespace attnviz::regex
