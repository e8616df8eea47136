#include "cliargs.h"

#include <charconv>

namespace attnviz::cli {

std::optional<std::string> ParsedArgs::get(const std::string& name) const
{
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

namespace {
std::optional<long long> toInteger(const std::string& text)
{
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}
} // namespace

std::optional<int> ParsedArgs::getInt(const std::string& name, int min, int max) const
{
    const auto text = get(name);
    if (!text) return std::nullopt;
    const auto v = toInteger(*text);
    if (!v || *v < min || *v > max) {
        throw UsageError("--" + name + " expects a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got \"" + *text + "\"");
    }
    return static_cast<int>(*v);
}

ParsedArgs parseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& options)
{
    ParsedArgs parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() < 3 || a.rfind("--", 0) != 0) {
            if (a.size() > 1 && a[0] == '-') throw UsageError("unknown option \"" + a + "\"");
            parsed.positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name.resize(eq);
        }
        const OptionSpec* spec = nullptr;
        for (const auto& o : options) {
            if (o.name == name) spec = &o;
        }
        if (spec == nullptr) throw UsageError("unknown option \"--" + name + "\"");
        if (parsed.has(name)) throw UsageError("option \"--" + name + "\" given twice");
        if (!spec->takesValue) {
            if (inlineValue) throw UsageError("option \"--" + name + "\" takes no value");
            parsed.values[name] = "";
        } else if (inlineValue) {
            parsed.values[name] = *inlineValue;
        } else {
            if (i + 1 >= args.size()) throw UsageError("option \"--" + name + "\" needs a value");
            parsed.values[name] = args[++i];
        }
    }
    return parsed;
}

std::vector<int> parseIdList(const std::string& text)
{
    std::vector<int> ids;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const auto v = toInteger(part);
        if (!v || *v < 0 || *v > 0x7fffffff) {
            throw UsageError("--ids expects comma-separated non-negative token ids, got \"" + text + "\"");
        }
        ids.push_back(static_cast<int>(*v));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return ids;
}

} // namespace attnviz::cli
