// Recursive-descent parser for the regex syntax of tokenizer.json Split patterns (Oniguruma's, as
// Hugging Face tokenizers compile them): what real files use is accepted, anything else is refused
// with the construct named, never guessed at.
#include "tokenizers/regexsyntax.h"

#include "tokenizers/tokenizer.h"
#include "tokenizers/unicode.h"

#include <algorithm>
#include <cctype>
#include <string>

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

class Parser
{
public:
    Parser(std::string_view pattern, Program& program) : m_pattern(pattern), m_program(program) {}

    std::unique_ptr<Node> parse()
    {
        if (m_pattern.size() > maxPatternBytes)
            fail("is longer than " + std::to_string(maxPatternBytes) + " bytes");
        auto root = alternation();
        if (m_pos < m_pattern.size())
            fail("has an unmatched ')'");
        return root;
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw TokenizerError("regex " + what + " (at byte " + std::to_string(m_pos) + ")");
    }
    [[noreturn]] void unsupported(const std::string& construct) const
    {
        fail("uses " + construct + ", which is not supported");
    }

    bool atEnd() const { return m_pos >= m_pattern.size(); }
    char peek(std::size_t ahead = 0) const
    {
        return m_pos + ahead < m_pattern.size() ? m_pattern[m_pos + ahead] : '\0';
    }
    bool accept(char c)
    {
        if (peek() != c || atEnd())
            return false;
        ++m_pos;
        return true;
    }
    char32_t nextCodePoint()
    {
        const unicode::Decoded d = unicode::decodeUtf8(m_pattern, m_pos);
        m_pos += static_cast<std::size_t>(d.length);
        return d.cp;
    }

    static std::unique_ptr<Node> node(Node::Kind kind, std::int32_t value = 0)
    {
        auto n = std::make_unique<Node>();
        n->kind = kind;
        n->value = value;
        return n;
    }
    std::unique_ptr<Node> setNode(CharSet set)
    {
        set.finish();
        m_program.sets.push_back(std::move(set));
        return node(Node::Kind::Set, static_cast<std::int32_t>(m_program.sets.size() - 1));
    }
    std::unique_ptr<Node> literal(char32_t cp)
    {
        if (!m_caseInsensitive)
            return node(Node::Kind::Literal, static_cast<std::int32_t>(cp));
        CharSet set;
        set.addChar(cp);
        set.setCaseInsensitive(true);
        return setNode(std::move(set));
    }

    void enter()
    {
        if (++m_depth > maxNesting)
            fail("nests groups or classes deeper than " + std::to_string(maxNesting));
    }

    std::unique_ptr<Node> alternation()
    {
        auto alt = node(Node::Kind::Alternate);
        alt->children.push_back(concatenation());
        while (accept('|'))
            alt->children.push_back(concatenation());
        return alt->children.size() == 1 ? std::move(alt->children[0]) : std::move(alt);
    }

    std::unique_ptr<Node> concatenation()
    {
        auto seq = node(Node::Kind::Concat);
        while (!atEnd() && peek() != '|' && peek() != ')') {
            std::unique_ptr<Node> a = atom();
            if (!a)
                continue; // a comment
            seq->children.push_back(quantified(std::move(a)));
        }
        return seq->children.size() == 1 ? std::move(seq->children[0]) : std::move(seq);
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    // {m}, {m,}, {m,n} or {,n} at m_pos; false (nothing consumed) when it is a literal '{'.
    bool interval(int& min, int& max)
    {
        std::size_t p = m_pos + 1;
        const auto number = [&](int& out) {
            const std::size_t begin = p;
            long long v = 0;
            while (p < m_pattern.size() && isDigit(m_pattern[p]) && p - begin < 9)
                v = v * 10 + (m_pattern[p++] - '0');
            out = static_cast<int>(v);
            return p > begin;
        };
        const bool hasMin = number(min);
        if (!hasMin)
            min = 0;
        if (p < m_pattern.size() && m_pattern[p] == ',') {
            ++p;
            if (!number(max))
                max = -1;
            if (!hasMin && max < 0)
                return false;
        } else {
            if (!hasMin)
                return false;
            max = min;
        }
        if (p >= m_pattern.size() || m_pattern[p] != '}')
            return false;
        m_pos = p + 1;
        if (min > maxRepeat || max > maxRepeat)
            fail("repeats more than " + std::to_string(maxRepeat) + " times");
        if (max >= 0 && max < min)
            fail("has a repeat {m,n} with n < m");
        return true;
    }

    std::unique_ptr<Node> quantified(std::unique_ptr<Node> target)
    {
        for (;;) {
            int min = 0, max = -1;
            const char q = peek();
            bool braces = false;
            if (q == '*' || q == '+' || q == '?') {
                ++m_pos;
                min = q == '+' ? 1 : 0;
                max = q == '?' ? 1 : -1;
            } else if (q == '{' && interval(min, max)) {
                braces = true;
            } else {
                return target;
            }
            auto repeat = node(Node::Kind::Repeat);
            repeat->min = min;
            repeat->max = max;
            if (accept('?')) {
                repeat->greedy = false;
                repeat->children.push_back(std::move(target));
                target = std::move(repeat);
            } else if (!braces && accept('+')) {
                // Possessive: the repeat keeps what it took. ({m,n}+ is a repeat of a repeat in
                // Oniguruma's Ruby syntax, so it is left to the next round of this loop.)
                repeat->children.push_back(std::move(target));
                auto atomic = node(Node::Kind::Atomic);
                atomic->children.push_back(std::move(repeat));
                target = std::move(atomic);
            } else {
                repeat->children.push_back(std::move(target));
                target = std::move(repeat);
            }
        }
    }

    std::unique_ptr<Node> atom()
    {
        const char c = peek();
        switch (c) {
        case '(': return group();
        case '[': {
            ++m_pos;
            return setNode(characterClass());
        }
        case '.': {
            ++m_pos;
            CharSet set;
            set.addChar('\n');
            set.negate();
            return setNode(std::move(set));
        }
        case '^': ++m_pos; return node(Node::Kind::Assert, static_cast<std::int32_t>(Assertion::LineStart));
        case '$': ++m_pos; return node(Node::Kind::Assert, static_cast<std::int32_t>(Assertion::LineEnd));
        case '*': case '+': case '?': fail("has a quantifier with nothing to repeat");
        case '\\': return escape();
        default: break;
        }
        if (c == '{') {
            int min = 0, max = 0;
            const std::size_t at = m_pos;
            if (interval(min, max))
                fail("has a quantifier with nothing to repeat");
            m_pos = at;
        }
        return literal(nextCodePoint());
    }

    // Inline options: only i (case-insensitive) and its negation.
    bool options(bool& caseInsensitive)
    {
        bool on = true;
        while (!atEnd() && peek() != ':' && peek() != ')') {
            const char o = peek();
            if (o == '-')
                on = false;
            else if (o == 'i')
                caseInsensitive = on;
            else
                unsupported(std::string("the inline option (?") + o + ")");
            ++m_pos;
        }
        return !atEnd();
    }

    std::unique_ptr<Node> group()
    {
        ++m_pos; // '('
        enter();
        std::unique_ptr<Node> result;
        const bool outerCase = m_caseInsensitive;
        if (accept('?')) {
            const char k = peek();
            if (k == '#') { // comment
                while (!atEnd() && peek() != ')')
                    ++m_pos;
                if (!accept(')'))
                    fail("has an unterminated comment (?#");
                --m_depth;
                return nullptr;
            }
            if (k == ':') {
                ++m_pos;
                result = alternation();
            } else if (k == '=' || k == '!') {
                ++m_pos;
                result = node(Node::Kind::Look);
                result->negated = k == '!';
                result->children.push_back(alternation());
            } else if (k == '>') {
                ++m_pos;
                result = node(Node::Kind::Atomic);
                result->children.push_back(alternation());
            } else if (k == '<' && (peek(1) == '=' || peek(1) == '!')) {
                unsupported(std::string("lookbehind (?<") + peek(1));
            } else if (k == '<' || k == '\'' || (k == 'P' && peek(1) == '<')) { // named group: a plain group here
                const char close = k == '\'' ? '\'' : '>';
                while (!atEnd() && peek() != close)
                    ++m_pos;
                if (!accept(close))
                    fail("has an unterminated group name");
                result = alternation();
            } else if (k == 'P' || k == '~' || k == '(' || k == '{') {
                unsupported(std::string(k == '~' ? "the absent operator (?~" : k == '(' ? "a conditional (?(" :
                                        k == '{' ? "a callout (?{" : "(?P"));
            } else {
                bool caseInsensitive = m_caseInsensitive;
                if (!options(caseInsensitive))
                    fail("has an unterminated group");
                if (accept(')')) {
                    // Oniguruma's isolated option: a group to the enclosing ')', alternatives
                    // included (ab(?i)c|d is ab(?i:c|d)); that ')' is left to the enclosing group.
                    m_caseInsensitive = caseInsensitive;
                    result = alternation();
                    m_caseInsensitive = outerCase;
                    --m_depth;
                    return result;
                }
                ++m_pos; // ':'
                m_caseInsensitive = caseInsensitive;
                result = alternation();
            }
        } else {
            result = alternation();
        }
        m_caseInsensitive = outerCase;
        if (!accept(')'))
            fail("has an unmatched '('");
        --m_depth;
        return result;
    }

    unsigned hexDigits(std::size_t maxDigits, bool braced)
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

    // \p{..}, \P{..}, \p{^..}: true (and the set filled) when the escape at m_pos is one.
    void property(bool negated, CharSet& set)
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
    long long charEscape(char e, bool inClass)
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
    bool classEscape(char e, CharSet& set)
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

    [[noreturn]] void unsupportedEscape(char e)
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

    std::unique_ptr<Node> escape()
    {
        ++m_pos; // '\'
        if (atEnd())
            fail("ends with a lone backslash");
        const char e = peek();
        ++m_pos;
        switch (e) {
        case 'A': return node(Node::Kind::Assert, static_cast<std::int32_t>(Assertion::TextStart));
        case 'z': return node(Node::Kind::Assert, static_cast<std::int32_t>(Assertion::TextEnd));
        case 'Z': return node(Node::Kind::Assert, static_cast<std::int32_t>(Assertion::TextEndBeforeNewline));
        case 'b': return node(Node::Kind::Assert, static_cast<std::int32_t>(Assertion::WordBoundary));
        case 'B': return node(Node::Kind::Assert, static_cast<std::int32_t>(Assertion::NotWordBoundary));
        default: break;
        }
        CharSet set;
        if (classEscape(e, set)) {
            set.setCaseInsensitive(m_caseInsensitive);
            return setNode(std::move(set));
        }
        if (const long long cp = charEscape(e, false); cp >= 0)
            return literal(static_cast<char32_t>(cp));
        if (std::isalnum(static_cast<unsigned char>(e)))
            unsupportedEscape(e);
        --m_pos;
        return literal(nextCodePoint()); // an escaped symbol stands for itself
    }

    // One code point of a class (a literal or a character escape), or -1 for a class escape that
    // went into `set` instead.
    long long classAtom(CharSet& set)
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
            unsupportedEscape(e);
        --m_pos;
        return nextCodePoint();
    }

    // After '[': items up to the matching ']'. A '[' inside opens a nested class whose members
    // join this one (BLOOM's [^(\s|[.,!?…])]).
    CharSet characterClass()
    {
        enter();
        CharSet set;
        set.setCaseInsensitive(m_caseInsensitive);
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
                set.addSet(characterClass());
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
        --m_depth;
        return set;
    }

    std::string_view m_pattern;
    Program& m_program;
    std::size_t m_pos = 0;
    int m_depth = 0;
    bool m_caseInsensitive = false;
};

} // namespace

std::unique_ptr<Node> parsePattern(std::string_view pattern, Program& program)
{
    return Parser(pattern, program).parse();
}

} // namespace attnviz::regex
