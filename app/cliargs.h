#pragma once
// Command-line parsing for attnviz-cli: "COMMAND [--opt value] [--flag] [positional...]", on
// QCommandLineParser like the app's. Unknown, repeated and value-less options are errors (exit
// code 2), never silently ignored.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace attnviz::cli {

class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct OptionSpec
{
    std::string name; // without the leading dashes
    bool takesValue = true;
};

struct ParsedArgs
{
    std::map<std::string, std::string> values; // option -> value ("" for flags)
    std::vector<std::string> positional;

    bool has(const std::string& name) const { return values.count(name) != 0; }
    std::optional<std::string> get(const std::string& name) const;
    // Integer option in [min, max]; UsageError naming the option otherwise.
    std::optional<int> getInt(const std::string& name, int min, int max) const;
};

ParsedArgs parseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& options);

// "1,2,3" -> {1,2,3}; UsageError on anything else.
std::vector<int> parseIdList(const std::string& text);

} // namespace attnviz::cli
