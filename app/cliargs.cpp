#include "cliargs.h"

#include <QCommandLineParser>
#include <QStringList>

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
    QCommandLineParser parser;
    // "-x" is an unknown option, never a bundle of one-letter options.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    for (const OptionSpec& o : options) {
        const QString name = QString::fromStdString(o.name);
        parser.addOption(o.takesValue ? QCommandLineOption(name, QString(), QStringLiteral("value"))
                                      : QCommandLineOption(name));
    }
    QStringList arguments{QStringLiteral("attnviz-cli")}; // parse() skips the program name
    for (const std::string& a : args)
        arguments << QString::fromStdString(a);
    if (!parser.parse(arguments)) {
        // Qt's own text for the rest; the two common mistakes keep the wording scripts know.
        if (!parser.unknownOptionNames().isEmpty())
            throw UsageError("unknown option \"--" + parser.unknownOptionNames().first().toStdString() + "\"");
        const std::string error = parser.errorText().toStdString();
        if (error.rfind("Missing value after '", 0) == 0)
            throw UsageError("option \"" + error.substr(21, error.size() - 23) + "\" needs a value");
        if (error.rfind("Unexpected value after '", 0) == 0)
            throw UsageError("option \"" + error.substr(24, error.size() - 26) + "\" takes no value");
        throw UsageError(error);
    }
    ParsedArgs parsed;
    for (const OptionSpec& o : options) {
        const QString name = QString::fromStdString(o.name);
        if (!parser.isSet(name))
            continue;
        const QStringList values = o.takesValue ? parser.values(name) : QStringList();
        if (values.size() > 1 || (!o.takesValue && arguments.count(QStringLiteral("--") + name) > 1))
            throw UsageError("option \"--" + o.name + "\" given twice");
        parsed.values[o.name] = o.takesValue ? values.first().toStdString() : std::string();
    }
    for (const QString& p : parser.positionalArguments())
        parsed.positional.push_back(p.toStdString());
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
