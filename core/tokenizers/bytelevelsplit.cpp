#include "tokenizers/bytelevelsplit.h"

#include "tokenizers/unicode.h"

#include <cctype>

namespace attnviz {

namespace {

enum class Kind { Space, Newline, Whitespace, Letter, Number, Other };

struct Char
{
    std::size_t pos;
    Kind kind;
};

Kind kindOf(char32_t cp)
{
    if (cp == U' ')
        return Kind::Space;
    if (cp == U'\r' || cp == U'\n')
        return Kind::Newline;
    if (unicode::isWhitespace(cp))
        return Kind::Whitespace;
    switch (unicode::charClass(cp)) {
    case unicode::CharClass::Letter: return Kind::Letter;
    case unicode::CharClass::Number: return Kind::Number;
    default: return Kind::Other;
    }
}

bool isSpaceKind(Kind k) { return k == Kind::Space || k == Kind::Newline || k == Kind::Whitespace; }

class Splitter
{
public:
    explicit Splitter(std::string_view text) : m_text(text)
    {
        for (std::size_t pos = 0; pos < text.size();) {
            const unicode::Decoded d = unicode::decodeUtf8(text, pos);
            m_chars.push_back({pos, kindOf(d.cp)});
            pos += static_cast<std::size_t>(d.length);
        }
    }

    std::size_t size() const { return m_chars.size(); }
    Kind kind(std::size_t i) const { return i < m_chars.size() ? m_chars[i].kind : Kind::Other; }
    std::size_t pos(std::size_t i) const { return i < m_chars.size() ? m_chars[i].pos : m_text.size(); }

    // Lowercased ASCII letter at character i, or 0.
    char ascii(std::size_t i, bool foldCase) const
    {
        if (i >= m_chars.size())
            return 0;
        const char c = m_text[m_chars[i].pos];
        return foldCase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
    }

    // Characters in a contraction ('s 't 're 've 'm 'll 'd) starting at i, or 0.
    std::size_t contraction(std::size_t i, bool foldCase) const
    {
        if (ascii(i, false) != '\'')
            return 0;
        const char a = ascii(i + 1, foldCase);
        const char b = ascii(i + 2, foldCase);
        if (a == 's' || a == 't' || a == 'm' || a == 'd')
            return 2;
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
            return 3;
        return 0;
    }

    // End of the run of `k` (Other means "not whitespace, letter or number") from i, at most `max` long.
    std::size_t runEnd(std::size_t i, Kind k, std::size_t max = std::size_t(-1)) const
    {
        std::size_t j = i;
        while (j < m_chars.size() && m_chars[j].kind == k && j - i < max)
            ++j;
        return j;
    }

    std::size_t spaceRunEnd(std::size_t i) const
    {
        while (i < m_chars.size() && isSpaceKind(m_chars[i].kind))
            ++i;
        return i;
    }

    // \s+(?!\S)|\s+ from i (a whitespace character): the run, minus its last character when a
    // non-space follows (that character then prefixes the next word), unless that leaves nothing.
    std::size_t whitespace(std::size_t i) const
    {
        const std::size_t e = spaceRunEnd(i);
        return (e < m_chars.size() && e - i > 1) ? e - 1 : e;
    }

private:
    std::string_view m_text;
    std::vector<Char> m_chars;
};

template <typename Next>
std::vector<ByteRange> splitWith(std::string_view text, Next next)
{
    const Splitter s(text);
    std::vector<ByteRange> out;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t j = next(s, i);
        out.push_back({s.pos(i), s.pos(j)});
        i = j;
    }
    return out;
}

} // namespace

namespace {

// Pieces where `isolated(i)` holds stand alone (runs of them together when `runs`); the text
// between them forms the other pieces.
template <typename Isolated>
std::vector<ByteRange> isolate(std::string_view text, bool runs, Isolated isolated)
{
    std::vector<ByteRange> out;
    std::size_t start = 0;
    bool previous = false;
    for (std::size_t pos = 0; pos < text.size();) {
        const unicode::Decoded d = unicode::decodeUtf8(text, pos);
        const bool here = isolated(d.cp);
        if (pos > start && (here || previous) && !(runs && here && previous)) {
            out.push_back({start, pos});
            start = pos;
        }
        previous = here;
        pos += static_cast<std::size_t>(d.length);
    }
    if (start < text.size())
        out.push_back({start, text.size()});
    return out;
}

} // namespace

std::vector<ByteRange> splitDigits(std::string_view text, bool individual)
{
    return isolate(text, !individual, [](char32_t cp) { return unicode::isNumber(cp); });
}

std::vector<ByteRange> splitPunctuation(std::string_view text)
{
    return isolate(text, false, [](char32_t cp) {
        return (cp < 0x80 && std::ispunct(static_cast<int>(cp))) || unicode::isPunctuation(cp);
    });
}

std::vector<ByteRange> splitGpt2(std::string_view text)
{
    return splitWith(text, [](const Splitter& s, std::size_t i) -> std::size_t {
        if (const std::size_t c = s.contraction(i, false))
            return i + c;
        // " ?X+" for letters, numbers and other: one optional plain space, then a run.
        const std::size_t k = (s.kind(i) == Kind::Space && i + 1 < s.size()) ? i + 1 : i;
        const Kind kind = s.kind(k);
        if (kind == Kind::Letter || kind == Kind::Number || kind == Kind::Other)
            return s.runEnd(k, kind);
        return s.whitespace(i);
    });
}

std::vector<ByteRange> splitLlama3(std::string_view text)
{
    return splitCl100k(text, 3);
}

std::vector<ByteRange> splitQwen2(std::string_view text)
{
    return splitCl100k(text, 1);
}

std::vector<ByteRange> splitCl100k(std::string_view text, std::size_t maxDigits)
{
    return splitWith(text, [maxDigits](const Splitter& s, std::size_t i) -> std::size_t {
        if (const std::size_t c = s.contraction(i, true))
            return i + c;
        const Kind here = s.kind(i);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (here == Kind::Letter)
            return s.runEnd(i, Kind::Letter);
        if (here != Kind::Newline && here != Kind::Number && s.kind(i + 1) == Kind::Letter && i + 1 < s.size())
            return s.runEnd(i + 1, Kind::Letter);
        // \p{N}{1,3}
        if (here == Kind::Number)
            return s.runEnd(i, Kind::Number, maxDigits);
        // " ?[^\s\p{L}\p{N}]+[\r\n]*"
        const std::size_t k = (here == Kind::Space && i + 1 < s.size()) ? i + 1 : i;
        if (s.kind(k) == Kind::Other && k < s.size())
            return s.runEnd(s.runEnd(k, Kind::Other), Kind::Newline);
        // \s*[\r\n]+: whitespace up to and including the run's last newline.
        const std::size_t e = s.spaceRunEnd(i);
        for (std::size_t j = e; j > i; --j)
            if (s.kind(j - 1) == Kind::Newline)
                return j;
        return s.whitespace(i);
    });
}

} // namespace attnviz
