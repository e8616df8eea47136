// Escapes and character classes of the regex syntax (Oniguruma's, as tokenizer.json patterns use
// it), shared by everything the parser reads.
#include "tokenizers/regexpatternreader.h"

#include "tokenizers/regexprogram.h"
#include "tokenizers/tokenizer.h"
#include "tokenizers/unicode.h"

#include <cctype>

namespace attnviz::regex {

namespace {

using unicode::GeneralCategory;

constexpr std::uint32_t categoryBit(GeneralCategory c) { return 1u << static_cast<unsigned>(c); }

constexpr std::uint32_t categoryRange(GeneralCategory first, GeneralCategory last)
{
    std::uint32_t mask = 0;
    for (unsigned c = static_cast<unsigned>(first); c <= static_cast<unsigned>(last); ++c)
        mask |= 1u << c;
    return mask;
}

// \p{..} names: the one- and two-letter general categories and the long names of the major ones.
std::uint32_t categoryMask(std::string name)
{
    static const char* const shortNames[] = {"Cn", "Cc", "Cf", "Cs", "Co", "Lu", "Ll", "Lt", "Lm", "Lo",
                                             "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe",
                                             "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp"};
    for (int i = 0; i < unicode::generalCategoryCount; ++i)
        if (name == shortNames[i])
            return 1u << i;
    std::string lower;
    for (char c : name)
        if (c != '_' && c != ' ' && c != '-')
            lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == "l" || lower == "letter")
        return categoryRange(GeneralCategory::Lu, GeneralCategory::Lo);
    if (lower == "l&" || lower == "lc" || lower == "casedletter")
        return categoryRange(GeneralCategory::Lu, GeneralCategory::Lt);
    if (lower == "m" || lower == "mark" || lower == "combiningmark")
        return categoryRange(GeneralCategory::Mn, GeneralCategory::Me);
    if (lower == "n" || lower == "number")
        return categoryRange(GeneralCategory::Nd, GeneralCategory::No);
    if (lower == "p" || lower == "punctuation" || lower == "punct")
        return categoryRange(GeneralCategory::Pc, GeneralCategory::Po);
    if (lower == "s" || lower == "symbol")
        return categoryRange(GeneralCategory::Sm, GeneralCategory::So);
    if (lower == "z" || lower == "separator")
        return categoryRange(GeneralCategory::Zs, GeneralCategory::Zp);
    if (lower == "c" || lower == "other")
        return categoryRange(GeneralCategory::Cn, GeneralCategory::Co);
    if (lower == "any")
        return categoryRange(GeneralCategory::Cn, GeneralCategory::Zp);
    if (lower == "decimalnumber" || lower == "digit")
        return categoryBit(GeneralCategory::Nd);
    if (lower == "uppercaseletter")
        return categoryBit(GeneralCategory::Lu);
    if (lower == "lowercaseletter")
        return categoryBit(GeneralCategory::Ll);
    return 0;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

void PatternReader::fail(const std::string& what) const
{
    throw TokenizerError("regex " + what + " (at byte " + std::to_string(m_pos) + ")");
}

void PatternReader::unsupported(const std::string& construct) const
{
    fail("uses " + construct + ", which is not supported");
}

char32_t PatternReader::nextCodePoint()
{
    const unicode::Decoded d = unicode::decodeUtf8(m_pattern, m_pos);
    m_pos += static_cast<std::size_t>(d.length);
    return d.cp;
}

void PatternReader::enter()
{
    if (++m_depth > maxNesting)
        fail("nests groups or classes deeper than " + std::to_string(maxNesting));
}

unsigned PatternReader::hexDigits(std::size_t maxDigits, bool braced)
{
    unsigned v = 0;
    std::size_t n = 0;
    while (n < maxDigits && std::isxdigit(static_cast<unsigned char>(peek()))) {
        const char h = peek();
        v = v * 16 + static_cast<unsigned>(isDigit(h) ? h - '0' : std::tolower(h) - 'a' + 10);
        ++m_pos;
        ++n;
    }
    if (n == 0 || (braced && !accept('}')))
        fail("has a malformed hexadecimal escape");
    if (v > 0x10FFFF)
        fail("has a code point above U+10FFFF");
    return v;
}

// After \p or \P: {name}, {^name}, as general categories into `set`.
void PatternReader::property(bool negated, CharSet& set)
{
    if (!accept('{'))
        fail("has \\p without {name}");
    if (accept('^'))
        negated = !negated;
    const std::size_t begin = m_pos;
    while (!atEnd() && peek() != '}')
        ++m_pos;
    const std::string name(m_pattern.substr(begin, m_pos - begin));
    if (!accept('}'))
        fail("has an unterminated \\p{");
    const std::uint32_t mask = categoryMask(name);
    if (mask == 0)
        unsupported("the Unicode property \\p{" + name + "} (general categories are)");
    set.addCategories(mask, negated);
}

// An escape that stands for one code point, or -1 when the letter is not one.
long long PatternReader::charEscape(char e, bool inClass)
{
    switch (e) {
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'a': return 0x07;
    case 'e': return 0x1B;
    case 'b': return inClass ? 0x08 : -1;
    case 'x': return accept('{') ? hexDigits(8, true) : hexDigits(2, false);
    case 'u': return hexDigits(4, false);
    case '0': {
        unsigned v = 0;
        for (int n = 0; n < 2 && peek() >= '0' && peek() <= '7'; ++n)
            v = v * 8 + static_cast<unsigned>(nextCodePoint() - '0');
        return v;
    }
    default: return -1;
    }
}

// The class escapes \d \D \s \S \w \W \h \H \p \P into `set`; false when `e` is none of them.
bool PatternReader::classEscape(char e, CharSet& set)
{
    const bool negated = std::isupper(static_cast<unsigned char>(e)) != 0;
    switch (std::tolower(static_cast<unsigned char>(e))) {
    case 'd': set.addNamed(CharSet::Named::Digit, negated); return true;
    case 's': set.addNamed(CharSet::Named::Whitespace, negated); return true;
    case 'w': set.addNamed(CharSet::Named::Word, negated); return true;
    case 'h': set.addNamed(CharSet::Named::HexDigit, negated); return true;
    case 'p': property(negated, set); return true;
    default: return false;
    }
}

void PatternReader::refuseEscape(char e) const
{
    if (isDigit(e))
        unsupported(std::string("a backreference \\") + e);
    switch (e) {
    case 'k': unsupported("a named backreference \\k");
    case 'g': unsupported("a subroutine call \\g");
    case 'K': unsupported("\\K (keep)");
    case 'G': unsupported("\\G (the search start)");
    case 'X': unsupported("\\X (a grapheme cluster)");
    case 'R': unsupported("\\R (a line break)");
    case 'y': case 'Y': unsupported(std::string("\\") + e + " (a grapheme boundary)");
    default: unsupported(std::string("the unknown escape \\") + e);
    }
}

// One code point of a class (a literal or a character escape), or -1 for a class escape that
// went into `set` instead.
long long PatternReader::classAtom(CharSet& set)
{
    if (!accept('\\'))
        return nextCodePoint();
    if (atEnd())
        fail("ends with a lone backslash");
    const char e = peek();
    ++m_pos;
    if (classEscape(e, set))
        return -1;
    if (const long long cp = charEscape(e, true); cp >= 0)
        return cp;
    if (std::isalnum(static_cast<unsigned char>(e)))
        refuseEscape(e);
    --m_pos;
    return nextCodePoint();
}

// After '[': items up to the matching ']'. A '[' inside opens a nested class whose members
// join this one (BLOOM's [^(\s|[.,!?…])]).
CharSet PatternReader::characterClass(bool caseInsensitive)
{
    enter();
    CharSet set;
    set.setCaseInsensitive(caseInsensitive);
    const bool negated = accept('^');
    bool first = true;
    for (;;) {
        if (atEnd())
            fail("has an unterminated character class");
        if (peek() == ']' && !first) {
            ++m_pos;
            break;
        }
        first = false;
        if (peek() == '[') {
            if (peek(1) == ':')
                unsupported("a POSIX bracket [:name:]");
            ++m_pos;
            set.addSet(characterClass(caseInsensitive));
            continue;
        }
        if (peek() == '&' && peek(1) == '&')
            unsupported("a class intersection &&");
        const long long lo = classAtom(set);
        if (lo < 0)
            continue;
        if (peek() == '-' && peek(1) != ']' && peek(1) != '\0' && peek(1) != '[') {
            ++m_pos;
            CharSet probe;
            const long long hi = classAtom(probe);
            if (hi < 0)
                fail("has a range ending in a class escape");
            if (hi < lo)
                fail("has a class range whose end comes before its start");
            set.addRange(static_cast<char32_t>(lo), static_cast<char32_t>(hi));
        } else {
            set.addChar(static_cast<char32_t>(lo));
        }
    }
    if (negated)
        set.negate();
    leave();
    return set;
}


} // namespace attnviz::regex
