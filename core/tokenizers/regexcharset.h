#pragma once
// One position of a regex: the set of code points a class ([...], \p{..}, \d, ., a literal)
// accepts. Items are unioned, then the whole set may be negated; a nested class is an item.

#include <bitset>
#include <cstdint>
#include <vector>

namespace attnviz::regex {

class CharSet
{
public:
    // Named sets of the escapes \s \d \w \h and of \b's notion of a word character.
    enum class Named : unsigned char { Whitespace, Digit, Word, HexDigit };

    void addRange(char32_t first, char32_t last);
    void addChar(char32_t cp) { addRange(cp, cp); }
    // Categories as a mask over unicode::GeneralCategory (bit i = category i).
    void addCategories(std::uint32_t mask, bool negated);
    void addNamed(Named named, bool negated);
    void addSet(CharSet nested);
    void negate() { m_negated = !m_negated; }
    // (?i): a code point also matches when its lowercase form is the lowercase form of a member
    // (simple case mapping; ranges of more than 4,096 code points are not folded, which bounds the
    // work a hostile pattern can ask for when it compiles).
    void setCaseInsensitive(bool on) { m_caseInsensitive = on; }

    // Call once after the last add: caches the answer for ASCII.
    void finish();
    bool contains(char32_t cp) const
    {
        if (cp < 128 && m_finished)
            return m_ascii[cp];
        return containsSlow(cp);
    }

private:
    struct Item
    {
        enum class Kind : unsigned char { Range, Categories, Named } kind;
        bool negated = false;
        char32_t first = 0, last = 0; // Range
        std::uint32_t mask = 0;       // Categories
        Named named = Named::Whitespace;
    };
    bool containsSlow(char32_t cp) const;
    bool containsExact(char32_t cp) const;

    std::vector<Item> m_items;
    std::vector<CharSet> m_nested;
    std::vector<char32_t> m_lowerMembers; // sorted lowercase forms of the ranges' members, for (?i)
    bool m_negated = false;
    bool m_caseInsensitive = false;
    bool m_finished = false;
    std::bitset<128> m_ascii;
};

// Whether cp is a word character (\w): letters, marks, decimal and letter numbers, connector
// punctuation and the joiners, the Unicode "word" of Oniguruma.
bool isWordChar(char32_t cp);

} // namespace attnviz::regex
