#pragma once
// A small regex engine for the Split pre-tokenizers of tokenizer.json: Oniguruma's syntax as far as
// real patterns use it (classes with nesting and \p{..} categories, groups, (?i:...), alternation,
// greedy, lazy and possessive quantifiers, anchors, lookahead) with its leftmost-first semantics.
// Matching is a Pike VM (a simulation of all threads in priority order), so time grows with text
// length × pattern size, not exponentially; lookaheads and atomic groups are run once per position
// and remembered. A step budget per text bounds even the quadratic cases, and patterns are capped in
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

// The searches of one regex over one text (UTF-8, byte offsets at character boundaries). Memo
// tables and the step budget belong to the text, so repeated finds share them.
class Matcher
{
public:
    Matcher(const Regex& regex, std::string_view text);
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    // The leftmost-first match starting at or after `from`, or none. Throws TokenizerError when the
    // text's step budget runs out (a hostile pattern on a long text).
    std::optional<Span> find(std::size_t from);
    std::uint64_t steps() const;
    // Steps allowed for a text of `bytes` bytes.
    static std::uint64_t budgetFor(std::size_t bytes);

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

// Every match left to right, as Oniguruma's find_iter gives them to Hugging Face tokenizers: after
// an empty match the search moves on one character, and an empty match right where the previous
// match ended is skipped.
std::vector<Span> findAll(const Regex& regex, std::string_view text);

} // namespace attnviz::regex
