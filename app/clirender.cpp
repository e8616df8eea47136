#include "clirender.h"
#include "registry/modelregistry.h"
#include "stats/derive.h"

#include "views/attentionview.h"
#include "cliargs.h"
#include "engine/attentionmodel.h"
#include "export/batchexporter.h"
#include "export/exportoptions.h"
#include "export/selectioncopy.h"
#include "export/viewexporter.h"
#include "views/viewfactory.h"
#include "session/session.h"
#include "state/runrequestbuilder.h"
#include "state/selectionstate.h"
#include "state/sessionstate.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdlib>
#include <iostream>
#include <regex>

namespace attnviz::cli {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QSizeF parseSize(const std::string& text)
{
    static const std::regex pattern(R"((\d{1,5})x(\d{1,5}))");
    std::smatch m;
    if (!std::regex_match(text, m, pattern))
        throw UsageError("--size expects WIDTHxHEIGHT such as 1200x800, got \"" + text + "\"");
    const int w = std::stoi(m[1].str());
    const int h = std::stoi(m[2].str());
    if (w < 64 || h < 64 || w > 16384 || h > 16384) {
        throw UsageError("--size must be between 64x64 and 16384x16384, got \"" + text + "\"");
    }
    return {double(w), double(h)};
}

MaskOverride parseMask(const ParsedArgs& parsed)
{
    const auto mask = parsed.get("mask");
    if (!mask)
        return MaskOverride::ModelDefault;
    if (*mask == "none")
        return MaskOverride::None;
    if (*mask == "causal")
        return MaskOverride::Causal;
    throw UsageError("--mask expects none or causal, got \"" + *mask + "\"");
}

// The options as a session, so both take one path from here on.
Session sessionOf(const ParsedArgs& parsed, const QString& viewName, std::optional<int> layer, std::optional<int> head,
                  std::optional<int> query)
{
    Session s;
    s.model = parsed.has("lesson") ? *parsed.get("lesson") : parsed.get("model").value_or("builtin:decoder");
    s.text = parsed.get("text").value_or("");
    s.secondText = parsed.get("second").value_or("");
    s.view = viewName.toStdString();
    s.stack = parsed.getInt("stack", 0, 16).value_or(0);
    s.layer = layer.value_or(0);
    s.head = head.value_or(0);
    s.query = query.value_or(-1);
    s.mask = parseMask(parsed);
    s.rollout = parsed.has("rollout"); // of every head, as the switched-on heads of a fresh selection
    s.measure = parsed.get("measure").value_or("raw");
    if (!measureNamed(s.measure))
        throw UsageError("--measure expects raw, value-weighted, alti or flow, got \"" + s.measure + "\"");
    return s;
}

void checkIndex(const char* what, std::optional<int> value, int count)
{
    if (value && *value >= count) {
        throw UsageError(std::string("--") + what + " " + std::to_string(*value) + " is out of range: the model has " +
                         std::to_string(count) + " " + what + (count == 1 ? "" : "s") + " (0.." +
                         std::to_string(count - 1) + ")");
    }
}

// Keeps stderr to the one message of an error: drops Qt's chatter about the offscreen platform
// (e.g. "QStandardPaths: XDG_RUNTIME_DIR not set") while passing real warnings on.
void quietMessages(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const bool chatter =
        type == QtDebugMsg || type == QtInfoMsg || message.startsWith(QLatin1String("QStandardPaths:")) ||
        QLatin1String(context.category != nullptr ? context.category : "").startsWith(QLatin1String("qt.qpa"));
    if (!chatter)
        std::cerr << message.toStdString() << "\n";
    if (type == QtFatalMsg)
        std::abort(); // as the default handler does
}

// Qt keeps references to argc/argv for the application's lifetime.
int g_argc = 1;
char g_name[] = "attnviz-cli";
char* g_argv[] = {g_name, nullptr};

} // namespace

int runRenderCommand(const std::vector<std::string>& rawArgs)
{
    std::vector<std::string> args = rawArgs;
    for (auto& a : args) {
        if (a == "-o")
            a = "--output"; // the one short option people expect
    }
    const ParsedArgs parsed = parseArgs(
        args, {{"model", true},     {"lesson", true}, {"text", true},      {"second", true},       {"view", true},
               {"layer", true},     {"head", true},   {"query", true},     {"mask", true},         {"theme", true},
               {"size", true},      {"scale", true},  {"font-size", true}, {"transparent", false}, {"no-legend", false},
               {"no-title", false}, {"force", false}, {"output", true},    {"all-heads", true},    {"format", true},
               {"stack", true},     {"rollout", false}, {"session", true},  {"measure", true}});
    if (!parsed.positional.empty())
        throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    if (parsed.has("session")) {
        for (const char* given : {"model", "lesson", "text", "second", "view", "layer", "head", "query", "mask",
                                  "stack", "rollout", "measure"}) {
            if (parsed.has(given))
                throw UsageError(std::string("--") + given + " cannot be combined with --session, which sets it");
        }
    }
    // A session (core/session) or the options: either way one document says what to draw.
    const std::optional<Session> session =
        parsed.has("session") ? std::optional<Session>(readSessionFile(*parsed.get("session"))) : std::nullopt;

    // Everything that needs no model and no Qt is checked first, so mistakes fail fast.
    const QString viewName = session ? qs(session->view) : qs(parsed.get("view").value_or("heatmap"));
    if (!ViewFactory::isKnown(viewName)) {
        throw UsageError("unknown view \"" + viewName.toStdString() + "\" (use " +
                         ViewFactory::names().join(QStringLiteral(", ")).toStdString() + ")");
    }
    if (parsed.has("output") == parsed.has("all-heads"))
        throw UsageError("give either -o FILE or --all-heads DIR");
    if (parsed.has("model") && parsed.has("lesson"))
        throw UsageError("give either --model or --lesson, not both");
    ExportOptions options;
    options.scale = 1.0; // --size is in pixels unless --scale says otherwise
    options.overwrite = parsed.has("force");
    options.transparent = parsed.has("transparent");
    options.legend = !parsed.has("no-legend");
    if (const auto theme = parsed.get("theme")) {
        const auto t = ExportOptions::themeFromName(qs(*theme));
        if (!t)
            throw UsageError("--theme expects light or dark, got \"" + *theme + "\"");
        options.theme = *t;
    }
    if (const auto size = parsed.get("size"))
        options.size = parseSize(*size);
    if (const auto scale = parsed.getInt("scale", 1, 4))
        options.scale = *scale;
    if (const auto font = parsed.getInt("font-size", 6, 48))
        options.fontSize = *font;
    QString output;
    if (parsed.has("output")) {
        output = qs(*parsed.get("output"));
        const auto format = ExportOptions::formatForPath(output);
        if (!format)
            throw UsageError("-o must end in .png, .svg or .pdf, got \"" + output.toStdString() + "\"");
        options.format = *format;
        if (QFileInfo(output).isDir())
            throw UsageError(output.toStdString() + " is a folder; give a file name");
        if (QFileInfo::exists(output) && !options.overwrite) {
            throw UsageError(output.toStdString() + " already exists; add --force to overwrite it");
        }
    } else {
        const auto format = ExportOptions::formatFromName(qs(parsed.get("format").value_or("png")));
        if (!format)
            throw UsageError("--format expects png, svg or pdf, got \"" + *parsed.get("format") + "\"");
        options.format = *format;
    }
    // The export code checks the framed picture again; with --size the answer is known before any model runs.
    if (const QString error = options.pixelLimitError(options.size); !options.size.isEmpty() && !error.isEmpty())
        throw UsageError(error.toStdString());
    const auto layer = parsed.getInt("layer", 0, 100000);
    const auto head = parsed.getInt("head", 0, 100000);
    const auto query = parsed.getInt("query", 0, 1000000);
    const Session wanted = session ? *session : sessionOf(parsed, viewName, layer, head, query);
    const int stack = wanted.stack;

    const std::shared_ptr<AttentionModel> model =
        openModel(session ? sessionModelSpec(wanted, *parsed.get("session")) : wanted.model);
    const ModelInfo info = model->info();
    // The selection the window would have: the request is built from it as the window builds its own.
    SelectionState selection;
    selection.setShape(1, info.layers, info.heads, 0, 0);
    for (const QString& problem : SessionState::applyChoices(wanted, selection))
        std::cerr << "attnviz-cli render: note: " << problem.toStdString() << "\n";
    RunRequest request = RunRequestBuilder::build(selection, nullptr);
    request.pipelineHead = std::make_pair(wanted.layer, wanted.head); // as asked; checked against the result below
    if (request.flow)
        request.flow->layer = wanted.layer; // the selection has no shape yet to hold it
    request.logitLens = viewName == QLatin1String("lens");
    request.attribution = viewName == QLatin1String("attribution");
    if (session) {
        fillTypedText(request, info, wanted.text, wanted.secondText); // the window's fields, as typed
    } else {
        request.text = wanted.text;
        request.secondText = wanted.secondText;
    }
    if (request.text.empty() && info.takesText)
        throw UsageError(session ? "the session has no text to run" : "give the input with --text TEXT");
    const auto result = runWithStatistics(*model, request);
    if (result->stacks.empty())
        throw UsageError("the model produced no attention to draw");
    if (stack >= static_cast<int>(result->stacks.size())) {
        throw UsageError((session ? "the session's stack " : "--stack ") + std::to_string(stack) +
                         " is out of range (the model has " +
                         std::to_string(result->stacks.size()) + " attention stacks, numbered from 0)");
    }
    const AttentionTensor& a = result->stacks[static_cast<std::size_t>(stack)].attention;
    checkIndex("layer", layer, a.layers);
    checkIndex("head", head, a.heads);
    if (query && *query >= a.queries) {
        throw UsageError("--query " + std::to_string(*query) + " is out of range: the input has " +
                         std::to_string(a.queries) + " tokens (0.." + std::to_string(a.queries - 1) + ")");
    }

    // Only now a GUI library: offscreen unless the caller chose a platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietMessages);
    QApplication app(g_argc, g_argv);

    SelectionCopy::shapeFromResult(*result, selection);
    selection.setStack(stack);
    SelectionCopy::shapeFromResult(*result, selection); // that stack's layers, heads and tokens
    SessionState::applyPosition(wanted, selection);
    options.sentence = ExportOptions::defaultSentence(*result);

    if (!output.isEmpty()) {
        const auto view = ViewFactory::create(viewName, &selection);
        view->setResult(result);
        if (!parsed.has("no-title"))
            options.title = ExportOptions::defaultTitle(*result, selection, viewName);
        const QString error = ViewExporter::exportToFile(*view, options, output);
        if (!error.isEmpty())
            throw std::runtime_error(error.toStdString());
        std::cout << QDir::toNativeSeparators(output).toStdString() << "\n";
        return 0;
    }

    BatchExporter batch(viewName, result, selection);
    batch.setAutomaticTitles(!parsed.has("no-title"));
    if (ViewFactory::scope(viewName) == ViewFactory::Scope::Head && viewName == QLatin1String("pipeline")) {
        // A result carries Q/K/V of one head only: run the model again for each head.
        batch.setResultProvider([&](int l, int h) {
            RunRequest r = request;
            r.pipelineHead = std::make_pair(l, h);
            return runWithStatistics(*model, r);
        });
    }
    const QString dir = qs(*parsed.get("all-heads"));
    const BatchOutcome outcome = batch.exportFiles(dir, options, layer.value_or(-1));
    if (!outcome.error.isEmpty())
        throw std::runtime_error(outcome.error.toStdString());
    std::cout << "wrote " << outcome.written.size() << " files to " << QDir::toNativeSeparators(dir).toStdString()
              << "\n";
    return 0;
}

} // namespace attnviz::cli
