#pragma once
// A small JSON reader and writer for the core (lessons, config.json, tokenizer.json, safetensors
// headers, CLI output). The core must stay Qt-free, so QJsonDocument is not an option.

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace attnviz::json {

// Thrown by parse(); what() reads "line L, column C: <reason>".
class ParseError : public std::runtime_error
{
public:
    ParseError(const std::string& reason, std::size_t line, std::size_t column);
    std::size_t line() const { return m_line; }
    std::size_t column() const { return m_column; }

private:
    std::size_t m_line;
    std::size_t m_column;
};

class Value;
using Array = std::vector<Value>;
using Object = std::vector<std::pair<std::string, Value>>; // keeps document order

class Value
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : m_data(b) {}
    Value(double d) : m_data(Number{d, 0, Number::Exact::No}) {}
    Value(int i) : Value(static_cast<std::int64_t>(i)) {}
    Value(std::int64_t i);
    Value(std::uint64_t u);
    Value(const char* s) : m_data(std::string(s)) {}
    Value(std::string s) : m_data(std::move(s)) {}
    Value(Array a) : m_data(std::make_shared<Array>(std::move(a))) {}
    Value(Object o) : m_data(std::make_shared<Object>(std::move(o))) {}

    Type type() const;
    bool isNull() const { return type() == Type::Null; }
    bool isBool() const { return type() == Type::Bool; }
    bool isNumber() const { return type() == Type::Number; }
    bool isString() const { return type() == Type::String; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }

    // Accessors throw std::logic_error when the type does not match; check first.
    bool asBool() const;
    double asNumber() const; // any number, integers rounded to the nearest double
    const std::string& asString() const;
    const Array& asArray() const;
    const Object& asObject() const;

    // Exact integers. A number written without fraction or exponent keeps its exact value when it
    // fits int64 or uint64 (ids and byte offsets beyond 2^53 survive); any other number counts as
    // an integer only when its double is whole and at most 2^53 in magnitude. Empty otherwise,
    // including for non-numbers.
    std::optional<std::int64_t> exactInt64() const;
    std::optional<std::uint64_t> exactUint64() const;
    bool isInteger() const { return exactInt64() || exactUint64(); }

    // Object member lookup: nullptr when this is not an object or the key is absent.
    const Value* find(std::string_view key) const;

    static const char* typeName(Type t);

private:
    friend class Writer; // writes integers exactly
    struct Number
    {
        double real;
        std::uint64_t bits; // the exact integer (two's complement when Signed)
        enum class Exact : unsigned char { No, Signed, Unsigned } exact;
    };
    std::variant<std::monostate, bool, Number, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>> m_data;
};

// Parses a complete document (RFC 8259). Nesting deeper than 512 levels is rejected rather than
// overflowing the stack. Integer literals that fit 64 bits are kept exactly (exactInt64()).
// Throws ParseError.
Value parse(std::string_view text);

// Reads and parses a file. Throws std::runtime_error (missing/unreadable) or ParseError.
Value parseFile(const std::string& path);

// Reads a whole config/lesson-sized text file (a regular file of at most fileLimits::smallJson,
// util/regularfile.h). Throws FileError (a std::runtime_error) naming the path on failure.
std::string readTextFile(const std::string& path);

// Streaming writer for compact output of large arrays (attention tensors) without building a
// Value tree. Floats print in their shortest round-trip form ("0.25", not "0.25000000372").
class Writer
{
public:
    explicit Writer(bool pretty = false);
    // Streams to `sink` in chunks, so a large document is never held whole in memory; call
    // flush() at the end. str() then holds only what has not been flushed yet.
    explicit Writer(std::ostream& sink, bool pretty = false);

    Writer& beginObject();
    Writer& endObject();
    // oneLine: no line breaks inside this array even when pretty (a matrix row, a token list).
    Writer& beginArray(bool oneLine = false);
    Writer& endArray();
    Writer& key(std::string_view k);
    Writer& value(std::string_view s);
    Writer& value(const char* s) { return value(std::string_view(s)); }
    Writer& value(float f);  // NaN/Inf are written as null (JSON has no such numbers)
    Writer& value(double d); // same
    Writer& value(int i);
    Writer& value(std::int64_t i);
    Writer& value(std::uint64_t u);
    Writer& value(bool b);
    Writer& null();
    Writer& value(const Value& v); // a whole parsed/constructed tree

    const std::string& str() const { return m_out; }
    void flush(); // writes the buffered text to the sink (no-op without one)

private:
    void beforeValue();
    void newline();
    bool m_pretty;
    std::ostream* m_sink = nullptr;
    std::string m_out;
    std::vector<bool> m_firstInScope; // one entry per open array/object
    bool m_afterKey = false;
    std::size_t m_oneLineFrom = std::string::npos; // scope depth of the outermost one-line array
};

// Escapes and quotes a string for JSON output.
std::string quote(std::string_view s);

} // namespace attnviz::json
