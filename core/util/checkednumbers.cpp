#include "util/checkednumbers.h"

#include "util/json.h"

#include <cstring>

namespace attnviz::checked {

std::string integerProblem(double value, std::int64_t lo, std::int64_t hi)
{
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    // Compare as doubles first: only a value known to lie inside [lo, hi] is ever cast.
    if (!std::isfinite(value) || std::floor(value) != value)
        return "must be an integer in " + range;
    if (value < static_cast<double>(lo) || value > static_cast<double>(hi))
        return "is out of range (must be an integer in " + range + ")";
    // hi near INT64_MAX rounds up as a double; recheck after an exact conversion.
    if (value >= 9223372036854775808.0)
        return "is out of range (must be an integer in " + range + ")";
    const auto exact = static_cast<std::int64_t>(value);
    if (exact < lo || exact > hi)
        return "is out of range (must be an integer in " + range + ")";
    return {};
}

std::string integerProblem(const json::Value& value, std::int64_t lo, std::int64_t hi, std::int64_t& exact)
{
    if (!value.isNumber()) return "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (const std::optional<std::int64_t> i = value.exactInt64()) {
        if (*i < lo || *i > hi)
            return "is out of range (must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "])";
        exact = *i;
        return {};
    }
    // Not an exact int64: a fraction, a real beyond 2^53 or an integer above INT64_MAX; the
    // double check words each of those as before (and accepts a whole real within range).
    std::string problem = integerProblem(value.asNumber(), lo, hi);
    if (problem.empty()) exact = static_cast<std::int64_t>(value.asNumber());
    return problem;
}

std::ptrdiff_t firstNonFinite(std::span<const float> values)
{
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, &values[i], sizeof bits);
        if ((bits & 0x7f800000u) == 0x7f800000u)
            return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
}

const char* nonFiniteName(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits & 0x007fffffu) != 0 ? "a NaN" : "an infinite"; // with its article, for messages
}

} // namespace attnviz::checked
