#pragma once
// The one checked conversion for numbers read from files (config.json, tokenizer.json, binary
// headers) and the checked arithmetic for sizes derived from them. A double outside int's range
// cast to int, or an int product that overflows, is undefined behaviour; here it is an error
// naming the key. `Error` is the caller's exception type (ModelLoadError, TokenizerError, ...).

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

namespace attnviz::json {
class Value;
}

namespace attnviz::checked {

// Why `value` is not an integer in [lo, hi], or empty when it is.
std::string integerProblem(double value, std::int64_t lo, std::int64_t hi);
// The same for a JSON number, compared exactly when it is an integer literal (2^53 + 1 stays
// itself instead of rounding to 2^53); sets `exact` when there is no problem.
std::string integerProblem(const json::Value& value, std::int64_t lo, std::int64_t hi, std::int64_t& exact);

template <class Error>
std::int64_t toInt64(double value, const std::string& what, std::int64_t lo, std::int64_t hi)
{
    if (const std::string problem = integerProblem(value, lo, hi); !problem.empty())
        throw Error(what + " " + problem);
    return static_cast<std::int64_t>(value);
}

template <class Error>
int toInt(double value, const std::string& what, int lo = std::numeric_limits<int>::min(),
          int hi = std::numeric_limits<int>::max())
{
    return static_cast<int>(toInt64<Error>(value, what, lo, hi));
}

template <class Error>
std::int64_t toInt64(const json::Value& value, const std::string& what, std::int64_t lo, std::int64_t hi)
{
    std::int64_t exact = 0;
    if (const std::string problem = integerProblem(value, lo, hi, exact); !problem.empty())
        throw Error(what + " " + problem);
    return exact;
}

template <class Error>
int toInt(const json::Value& value, const std::string& what, int lo = std::numeric_limits<int>::min(),
          int hi = std::numeric_limits<int>::max())
{
    return static_cast<int>(toInt64<Error>(value, what, lo, hi));
}

// A finite double that fits a float (a double → float conversion out of range is also UB).
template <class Error>
float toFloat(double value, const std::string& what)
{
    if (!std::isfinite(value) || std::abs(value) > std::numeric_limits<float>::max())
        throw Error(what + " must be a finite number within the float range");
    return static_cast<float>(value);
}

// a × b and a + b for sizes; `what` names the quantity in the error.
template <class Error>
int mul(int a, int b, const std::string& what)
{
    int r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw Error(what + " overflows (" + std::to_string(a) + " × " + std::to_string(b) + ")");
    return r;
}

template <class Error>
int add(int a, int b, const std::string& what)
{
    int r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throw Error(what + " overflows (" + std::to_string(a) + " + " + std::to_string(b) + ")");
    return r;
}

template <class Error>
std::size_t mulSize(std::size_t a, std::size_t b, const std::string& what)
{
    std::size_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw Error(what + " overflows the address space");
    return r;
}

// Index of the first NaN or ±Inf in `values`, or -1. Tests the exponent bits, so it also holds
// under -ffast-math, where std::isfinite may be folded to true.
std::ptrdiff_t firstNonFinite(std::span<const float> values);
// "NaN" or "infinite" for a non-finite value (for messages).
const char* nonFiniteName(float value);

} // namespace attnviz::checked
