// core/util/json.cpp's reader as it was before issue 15 (every number a double), kept only so
// attnviz-jsonbench can time before against now in the same run.
#include "legacyjson.h"

#include "util/messagetext.h"

#include <charconv>

namespace attnviz::bench::legacy {

using json::Array;
using json::Object;
using json::ParseError;
using json::Value;

namespace {

class Parser
{
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    Value document()
    {
        skipSpace();
        Value v = value(0);
        skipSpace();
        if (m_pos != m_text.size()) fail("unexpected text after the JSON value");
        return v;
    }

private:
    static constexpr int MaxDepth = 512;

    [[noreturn]] void fail(const std::string& reason) const
    {
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        throw ParseError(reason, line, column);
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++m_pos;
        }
    }

    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

    void expectWord(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word) fail("invalid literal");
        m_pos += word.size();
    }

    Value value(int depth)
    {
        if (depth > MaxDepth) fail("nesting deeper than 512 levels");
        switch (peek()) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return Value(string());
        case 't': expectWord("true"); return Value(true);
        case 'f': expectWord("false"); return Value(false);
        case 'n': expectWord("null"); return Value(nullptr);
        case '\0':
            if (m_pos >= m_text.size()) fail("unexpected end of input");
            [[fallthrough]];
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
            fail("unexpected character " + quotedForMessage(std::string_view(&m_text[m_pos], 1)));
        }
    }

    Value object(int depth)
    {
        ++m_pos; // '{'
        Object members;
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return Value(std::move(members));
        }
        for (;;) {
            skipSpace();
            if (peek() != '"') fail("expected a string key");
            std::string key = string();
            skipSpace();
            if (peek() != ':') fail("expected ':' after object key");
            ++m_pos;
            skipSpace();
            members.emplace_back(std::move(key), value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                return Value(std::move(members));
            }
            fail("expected ',' or '}' in object");
        }
    }

    Value array(int depth)
    {
        ++m_pos; // '['
        Array items;
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return Value(std::move(items));
        }
        for (;;) {
            skipSpace();
            items.push_back(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == ']') {
                ++m_pos;
                return Value(std::move(items));
            }
            fail("expected ',' or ']' in array");
        }
    }

    Value number()
    {
        const std::size_t start = m_pos;
        if (peek() == '-') ++m_pos;
        if (peek() == '0') {
            ++m_pos;
        } else if (peek() >= '1' && peek() <= '9') {
            while (peek() >= '0' && peek() <= '9') ++m_pos;
        } else {
            fail("invalid number");
        }
        if (peek() == '.') {
            ++m_pos;
            if (!(peek() >= '0' && peek() <= '9')) fail("invalid number: digits expected after '.'");
            while (peek() >= '0' && peek() <= '9') ++m_pos;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_pos;
            if (peek() == '+' || peek() == '-') ++m_pos;
            if (!(peek() >= '0' && peek() <= '9')) fail("invalid number: digits expected in exponent");
            while (peek() >= '0' && peek() <= '9') ++m_pos;
        }
        double d = 0.0;
        const auto [ptr, ec] = std::from_chars(m_text.data() + start, m_text.data() + m_pos, d);
        if (ec == std::errc::result_out_of_range) {
            m_pos = start;
            fail("number out of range");
        }
        if (ec != std::errc() || ptr != m_text.data() + m_pos) fail("invalid number");
        return Value(d);
    }

    unsigned hex4()
    {
        if (m_pos + 4 > m_text.size()) fail("truncated \\u escape");
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_text[m_pos++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
            else fail("invalid hex digit in \\u escape");
        }
        return v;
    }

    static void appendUtf8(std::string& out, unsigned cp)
    {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }

    std::string string()
    {
        ++m_pos; // opening quote
        std::string out;
        for (;;) {
            if (m_pos >= m_text.size()) fail("unterminated string");
            const char c = m_text[m_pos++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size()) fail("unterminated escape");
            const char e = m_text[m_pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned cp = hex4();
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    // A high surrogate must be followed by a low one.
                    if (m_text.substr(m_pos, 2) != "\\u") fail("unpaired surrogate in \\u escape");
                    m_pos += 2;
                    const unsigned low = hex4();
                    if (low < 0xDC00 || low > 0xDFFF) fail("invalid low surrogate in \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    fail("unpaired surrogate in \\u escape");
                }
                appendUtf8(out, cp);
                break;
            }
            default: fail("invalid escape " + quotedForMessage(std::string(1, '\\') + e));
            }
        }
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

} // namespace

Value parse(std::string_view text)
{
    return Parser(text).document();
}

} // namespace attnviz::bench::legacy
