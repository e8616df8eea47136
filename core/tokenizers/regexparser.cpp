// Recursive-descent parser for the regex syntax of tokenizer.json Split patterns (Oniguruma's, as
// Hugging Face tokenizers compile them): groups, alternation, quantifiers and atoms here, escapes
// and classes in regexpatternreader.cpp. What real files use is accepted, anything else is refused
// with the construct named, never guessed at.
#include "tokenizers/regexsyntax.h"

#include "tokenizers/regexpatternreader.h"

#include <cctype>
#include <string>

namespace attnviz::regex {

namespace {

class Parser : private PatternReader
{
public:
    Parser(std::string_view pattern, Program& program) : PatternReader(pattern), m_program(program) {}

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
            return setNode(characterClass(m_caseInsensitive));
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
                leave();
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
                    leave();
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
        leave();
        return result;
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
            refuseEscape(e);
        --m_pos;
        return literal(nextCodePoint()); // an escaped symbol stands for itself
    }

    Program& m_program;
    bool m_caseInsensitive = false;
};

} // namespace

std::unique_ptr<Node> parsePattern(std::string_view pattern, Program& program)
{
    return Parser(pattern, program).parse();
}

} // namespace attnviz::regex
