#include "util/json.h"

#include "util/messagetext.h"
#include "util/regularfile.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

namespace attnviz::json {

ParseError::ParseError(const std::string& reason, std::size_t line, std::size_t column)
    : std::runtime_error("line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + reason),
      m_line(line), m_column(column)
{
}

Value::Type Value::type() const
{
    return static_cast<Type>(m_data.index());
}

const char* Value::typeName(Type t)
{
    switch (t) {
    case Type::Null: return "null";
    case Type::Bool: return "boolean";
    case Type::Number: return "number";
    case Type::String: return "string";
    case Type::Array: return "array";
    case Type::Object: return "object";
    }
    return "?";
}

namespace {
[[noreturn]] void typeMismatch(Value::Type want, Value::Type got)
{
    throw std::logic_error(std::string("JSON value is a ") + Value::typeName(got) + ", not a " + Value::typeName(want));
}
} // namespace

bool Value::asBool() const
{
    if (!isBool()) typeMismatch(Type::Bool, type());
    return std::get<bool>(m_data);
}
double Value::asNumber() const
{
    if (!isNumber()) typeMismatch(Type::Number, type());
    return std::get<Number>(m_data).real;
}
const std::string& Value::asString() const
{
    if (!isString()) typeMismatch(Type::String, type());
    return std::get<std::string>(m_data);
}
const Array& Value::asArray() const
{
    if (!isArray()) typeMismatch(Type::Array, type());
    return *std::get<std::shared_ptr<Array>>(m_data);
}
const Object& Value::asObject() const
{
    if (!isObject()) typeMismatch(Type::Object, type());
    return *std::get<std::shared_ptr<Object>>(m_data);
}

namespace {

constexpr double ExactDoubleLimit = 9007199254740992.0; // 2^53: every integer up to here is exact

bool wholeWithinExactRange(double d)
{
    return std::isfinite(d) && std::floor(d) == d && std::abs(d) <= ExactDoubleLimit;
}

} // namespace

Value::Value(std::int64_t i) : m_data(Number{static_cast<double>(i), static_cast<std::uint64_t>(i), Number::Exact::Signed})
{
}

Value::Value(std::uint64_t u)
    : m_data(Number{static_cast<double>(u), u,
                    u > std::uint64_t(std::numeric_limits<std::int64_t>::max()) ? Number::Exact::Unsigned
                                                                                : Number::Exact::Signed})
{
}

std::optional<std::int64_t> Value::exactInt64() const
{
    const Number* n = std::get_if<Number>(&m_data);
    if (n == nullptr || n->exact == Number::Exact::Unsigned) return std::nullopt;
    if (n->exact == Number::Exact::Signed) return static_cast<std::int64_t>(n->bits);
    if (!wholeWithinExactRange(n->real)) return std::nullopt;
    return static_cast<std::int64_t>(n->real);
}

std::optional<std::uint64_t> Value::exactUint64() const
{
    const Number* n = std::get_if<Number>(&m_data);
    if (n == nullptr) return std::nullopt;
    if (n->exact == Number::Exact::Unsigned) return n->bits;
    if (n->exact == Number::Exact::Signed) {
        if (static_cast<std::int64_t>(n->bits) < 0) return std::nullopt;
        return n->bits;
    }
    if (!wholeWithinExactRange(n->real) || n->real < 0.0) return std::nullopt;
    return static_cast<std::uint64_t>(n->real);
}

const Value* Value::find(std::string_view key) const
{
    if (!isObject()) return nullptr;
    for (const auto& [k, v] : asObject()) {
        if (k == key) return &v;
    }
    return nullptr;
}

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
        const bool integerSyntax = !(peek() == '.' || peek() == 'e' || peek() == 'E');
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
        if (integerSyntax) {
            if (auto exact = integer(start)) return std::move(*exact);
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

    // An integer literal that fits int64 (negative) or uint64 is kept exactly; empty when it does
    // not fit, and the caller reads it as a double as before. "-0" stays the double -0.0.
    std::optional<Value> integer(std::size_t start) const
    {
        const char* first = m_text.data() + start;
        const char* last = m_text.data() + m_pos;
        if (*first == '-') {
            std::int64_t i = 0;
            if (std::from_chars(first, last, i).ec != std::errc()) return std::nullopt;
            return i == 0 ? Value(-0.0) : Value(i);
        }
        std::uint64_t u = 0;
        if (std::from_chars(first, last, u).ec != std::errc()) return std::nullopt;
        return Value(u);
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

std::string readTextFile(const std::string& path)
{
    return attnviz::readTextFile(path, fileLimits::smallJson);
}

Value parseFile(const std::string& path)
{
    return parse(readTextFile(path));
}

std::string quote(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char* digits = "0123456789abcdef";
                out += "\\u00";
                out += digits[(c >> 4) & 0xF];
                out += digits[c & 0xF];
            } else {
                out += c; // UTF-8 passes through unchanged
            }
        }
    }
    out += '"';
    return out;
}

Writer::Writer(bool pretty) : m_pretty(pretty) {}

Writer::Writer(std::ostream& sink, bool pretty) : m_pretty(pretty), m_sink(&sink) {}

void Writer::flush()
{
    if (m_sink == nullptr) return;
    m_sink->write(m_out.data(), static_cast<std::streamsize>(m_out.size()));
    m_out.clear();
}

void Writer::newline()
{
    if (!m_pretty) return;
    if (m_oneLineFrom != std::string::npos) {
        if (!m_out.empty() && m_out.back() == ',') m_out += ' ';
        return;
    }
    m_out += '\n';
    m_out.append(m_firstInScope.size() * 2, ' ');
}

void Writer::beforeValue()
{
    // Only here, never between a ',' and newline(), which looks back at the last character.
    constexpr std::size_t chunk = 64 * 1024;
    if (m_sink != nullptr && m_out.size() >= chunk) flush();
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_firstInScope.empty()) {
        if (!m_firstInScope.back()) m_out += ',';
        m_firstInScope.back() = false;
        newline();
    }
}

Writer& Writer::beginObject()
{
    beforeValue();
    m_out += '{';
    m_firstInScope.push_back(true);
    return *this;
}

Writer& Writer::endObject()
{
    const bool empty = m_firstInScope.back();
    m_firstInScope.pop_back();
    if (!empty) newline();
    m_out += '}';
    return *this;
}

Writer& Writer::beginArray(bool oneLine)
{
    beforeValue();
    if (oneLine && m_oneLineFrom == std::string::npos) m_oneLineFrom = m_firstInScope.size();
    m_out += '[';
    m_firstInScope.push_back(true);
    return *this;
}

Writer& Writer::endArray()
{
    const bool empty = m_firstInScope.back();
    m_firstInScope.pop_back();
    if (!empty) newline();
    m_out += ']';
    if (m_oneLineFrom == m_firstInScope.size()) m_oneLineFrom = std::string::npos;
    return *this;
}

Writer& Writer::key(std::string_view k)
{
    beforeValue();
    m_out += quote(k);
    m_out += m_pretty ? ": " : ":";
    m_afterKey = true;
    return *this;
}

Writer& Writer::value(std::string_view s)
{
    beforeValue();
    m_out += quote(s);
    return *this;
}

namespace {
template <typename F> void appendNumber(std::string& out, F f)
{
    if (!std::isfinite(f)) {
        out += "null";
        return;
    }
    char buf[64];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, f);
    out.append(buf, ptr);
}
} // namespace

Writer& Writer::value(float f)
{
    beforeValue();
    appendNumber(m_out, f);
    return *this;
}

Writer& Writer::value(double d)
{
    beforeValue();
    appendNumber(m_out, d);
    return *this;
}

Writer& Writer::value(int i)
{
    beforeValue();
    m_out += std::to_string(i);
    return *this;
}

Writer& Writer::value(std::int64_t i)
{
    beforeValue();
    m_out += std::to_string(i);
    return *this;
}

Writer& Writer::value(std::uint64_t u)
{
    beforeValue();
    m_out += std::to_string(u);
    return *this;
}

Writer& Writer::value(bool b)
{
    beforeValue();
    m_out += b ? "true" : "false";
    return *this;
}

Writer& Writer::null()
{
    beforeValue();
    m_out += "null";
    return *this;
}

Writer& Writer::value(const Value& v)
{
    switch (v.type()) {
    case Value::Type::Null: return null();
    case Value::Type::Bool: return value(v.asBool());
    case Value::Type::Number: {
        const Value::Number& n = std::get<Value::Number>(v.m_data);
        if (n.exact == Value::Number::Exact::Signed) return value(static_cast<std::int64_t>(n.bits));
        if (n.exact == Value::Number::Exact::Unsigned) return value(n.bits);
        return value(n.real);
    }
    case Value::Type::String: return value(std::string_view(v.asString()));
    case Value::Type::Array:
        beginArray();
        for (const Value& item : v.asArray()) value(item);
        return endArray();
    case Value::Type::Object:
        beginObject();
        for (const auto& [k, item] : v.asObject()) {
            key(k);
            value(item);
        }
        return endObject();
    }
    return *this;
}

} // namespace attnviz::json
