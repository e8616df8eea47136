#pragma once
// Reading a regex pattern: the position, failures that name the byte offset, and the parts that
// are the same inside and outside classes, escapes and classes themselves (regexpatternreader.cpp).
// The grammar of groups, alternation and quantifiers builds on this (regexparser.cpp).

#include "tokenizers/regexcharset.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace attnviz::regex {

class PatternReader
{
public:
    explicit PatternReader(std::string_view pattern) : m_pattern(pattern) {}

protected:
    [[noreturn]] void fail(const std::string& what) const;
    [[noreturn]] void unsupported(const std::string& construct) const;
    // Backreferences, \k, \g, \K, \G, \X, ... and unknown letters: refused with their name.
    [[noreturn]] void refuseEscape(char e) const;

    bool atEnd() const { return m_pos >= m_pattern.size(); }
    char peek(std::size_t ahead = 0) const { return m_pos + ahead < m_pattern.size() ? m_pattern[m_pos + ahead] : '\0'; }
    bool accept(char c)
    {
        if (atEnd() || peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    char32_t nextCodePoint();
    // Groups and classes inside each other, at most maxNesting deep.
    void enter();
    void leave() { --m_depth; }

    // After '\' and e: the code point of a character escape (\t, \x{..}, \u...., \0..), or -1.
    long long charEscape(char e, bool inClass);
    // After '\' and e: \d \s \w \h \p{..} (negated in upper case) added to `set`; false for other letters.
    bool classEscape(char e, CharSet& set);
    // After '[': the class up to its ']'.
    CharSet characterClass(bool caseInsensitive);

    std::string_view m_pattern;
    std::size_t m_pos = 0;

private:
    unsigned hexDigits(std::size_t maxDigits, bool braced);
    void property(bool negated, CharSet& set);
    long long classAtom(CharSet& set);

    int m_depth = 0;
};

} // namespace attnviz::regex
