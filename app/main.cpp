// attnviz: the desktop app. Parses the command line and wires the main window; with --screenshot
// it saves the window once the first result is shown and exits (docs, CI smoke tests).
#include "state/computeservice.h"
#include "lessons/lessoneditor.h"
#include "shell/mainwindow.h"
#include "shell/presentationmode.h"
#include "shell/sessioncontroller.h"
#include "state/selectionstate.h"
#include "shell/sessionsettings.h"
#include "state/sessionstate.h"
#include "util/memorypolicy.h"
#include "views/viewfactory.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

int fail(const QString& message)
{
    std::fprintf(stderr, "attnviz: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char* argv[])
{
    attnviz::keepFreedMemoryForReuse(); // before the first allocation that matters
    // --help and --version must work without a display (ssh, scripts, CI): answer them from a
    // QCoreApplication, which needs no window system.
    const bool infoOnly = std::any_of(argv + 1, argv + argc, [](const char* arg) {
        const QLatin1String a(arg);
        return a == QLatin1String("-h") || a == QLatin1String("--help") || a == QLatin1String("--help-all") ||
               a == QLatin1String("-v") || a == QLatin1String("--version");
    });
    std::unique_ptr<QCoreApplication> application =
        infoOnly ? std::make_unique<QCoreApplication>(argc, argv) : std::make_unique<QApplication>(argc, argv);
    QCoreApplication& app = *application;
    QApplication::setApplicationName(QStringLiteral("AttnViz"));
    QApplication::setOrganizationName(QStringLiteral("AttnViz"));
    QApplication::setApplicationVersion(QStringLiteral(ATTNVIZ_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("See multi-head attention: type a sentence, watch every head."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption model(
        QStringLiteral("model"),
        QStringLiteral("Model to open: builtin:NAME, lesson:NAME, a lesson .json, a model folder, a .bin file "
                       "or a GGUF .gguf file (llama.cpp, Ollama, LM Studio)."),
        QStringLiteral("M"));
    const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("Input sentence."), QStringLiteral("T"));
    const QCommandLineOption view(QStringLiteral("view"),
                                  QStringLiteral("View to show: heatmap, arcs, model, pipeline, chart, lens or attribution."),
                                  QStringLiteral("V"));
    const QCommandLineOption layer(QStringLiteral("layer"),
                                   QStringLiteral("Layer to show (0-based, as in attnviz-cli)."), QStringLiteral("L"));
    const QCommandLineOption stack(QStringLiteral("stack"),
                                   QStringLiteral("Stack of a translator to show: encoder, decoder or cross."),
                                   QStringLiteral("S"));
    const QCommandLineOption head(QStringLiteral("head"), QStringLiteral("Head to focus (0-based)."),
                                  QStringLiteral("H"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window as FILE.png once the first result is shown, then exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption colorMap(
        QStringLiteral("colormap"),
        QStringLiteral("Colour map: viridis, magma, cividis or diverging (scores before softmax)."),
        QStringLiteral("NAME"));
    const QCommandLineOption measure(QStringLiteral("measure"),
                                     QStringLiteral("What the cells mean: raw (attention weights), value-weighted, alti or flow."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption badges(
        QStringLiteral("badges"),
        QStringLiteral("Model grid badges: statistics (each head's pattern scores) or attribution (each head's write "
                       "into the predicted token's logit)."),
        QStringLiteral("KIND"));
    const QCommandLineOption merge(QStringLiteral("merge-subwords"),
                                   QStringLiteral("Join sub-word pieces into words."));
    const QCommandLineOption lessonEditor(QStringLiteral("lesson-editor"),
                                          QStringLiteral("Show the lesson editor (when the model is a lesson)."));
    const QCommandLineOption presentation(
        QStringLiteral("presentation"),
        QStringLiteral("Start in presentation mode: the view alone, full screen, large type, dark (F5 or Esc "
                       "leaves). With --screenshot the picture has the screen's size."));
    parser.addOptions(
        {model, text, view, layer, stack, head, colorMap, measure, badges, merge, lessonEditor, presentation, screenshot});
    // A file argument, not --session: QGuiApplication takes -session/--session ID for the desktop's
    // session manager and removes it from the arguments before any parser sees it.
    parser.addPositionalArgument(QStringLiteral("session"),
                                 QStringLiteral("A session saved with File > Save Session, to open."),
                                 QStringLiteral("[FILE.attnviz]"));
    parser.process(app); // exits after printing --help or --version
    if (infoOnly)
        return 0;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return fail(QStringLiteral("give one session, not several"));
    const QString session = positional.isEmpty() ? QString() : positional.front();
    if (!session.isEmpty() && !session.endsWith(QStringLiteral(".attnviz")))
        return fail(QStringLiteral("unexpected argument \"%1\" (a session file ends in .attnviz)").arg(session));
    // The session says all of these; two answers would leave the window to guess which one wins.
    for (const QCommandLineOption* option : {&model, &text, &view, &layer, &stack, &head, &colorMap, &badges, &merge}) {
        if (!session.isEmpty() && parser.isSet(*option))
            return fail(QStringLiteral("--%1 cannot be combined with a session, which sets it")
                            .arg(option->names().front()));
    }

    const bool shooting = parser.isSet(screenshot);
    // Screenshots start from defaults so they are reproducible, and leave the user's settings alone.
    attnviz::MainWindow window(nullptr, !shooting);
    window.setDialogsEnabled(!shooting);

    auto readIndex = [&](const QCommandLineOption& option, int* out) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < 0)
            return false;
        *out = value;
        return true;
    };
    int layerIndex = -1;
    int headIndex = -1;
    if (!readIndex(layer, &layerIndex))
        return fail(QStringLiteral("--layer needs a number from 0"));
    if (!readIndex(head, &headIndex))
        return fail(QStringLiteral("--head needs a number from 0"));
    window.setPendingLayerHead(layerIndex, headIndex);
    if (parser.isSet(stack))
        window.setPendingStack(parser.value(stack));
    if (parser.isSet(colorMap)) {
        const auto kinds = attnviz::ColorMap::all();
        const auto it = std::find_if(kinds.begin(), kinds.end(), [&](attnviz::ColorMapKind k) {
            return attnviz::ColorMap::name(k) == parser.value(colorMap);
        });
        if (it == kinds.end())
            return fail(QStringLiteral("unknown colour map \"%1\"; use viridis, magma, cividis or diverging")
                            .arg(parser.value(colorMap)));
        window.selection()->setColorMap(*it);
    }
    if (parser.isSet(measure)) {
        const auto m = attnviz::measureNamed(parser.value(measure).toStdString());
        if (!m)
            return fail(QStringLiteral("unknown measure \"%1\"; use raw, value-weighted, alti or flow").arg(parser.value(measure)));
        window.selection()->setMeasure(*m);
    }
    if (parser.isSet(badges)) {
        bool known = false;
        const auto kind = attnviz::SessionState::gridBadgesNamed(parser.value(badges).toStdString(), &known);
        if (!known)
            return fail(QStringLiteral("unknown badges \"%1\"; use statistics or attribution").arg(parser.value(badges)));
        window.selection()->setGridBadges(kind);
    }
    if (parser.isSet(merge))
        window.selection()->setMergeSubwords(true);
    if (parser.isSet(lessonEditor))
        window.lessonEditor()->show(); // hidden again if the model turns out not to be a lesson
    if (parser.isSet(view) && !window.setCurrentView(parser.value(view))) {
        return fail(
            QStringLiteral("unknown view \"%1\"; use %2")
                .arg(parser.value(view), attnviz::ViewFactory::names().join(QStringLiteral(", "))));
    }
    if (parser.isSet(text) || (shooting && session.isEmpty()))
        window.setText(parser.isSet(text) ? parser.value(text) : attnviz::MainWindow::defaultText());

    QString spec = parser.value(model);
    if (spec.isEmpty() && !shooting)
        spec = attnviz::SessionSettings::lastModel();
    if (spec.isEmpty())
        spec = attnviz::MainWindow::defaultModelSpec();
    if (spec.isEmpty())
        return fail(QStringLiteral("no model given and no built-in model or lesson found"));

    // Outlive the lambdas below, which run from the event loop.
    int exitCode = 0;
    const QString file = parser.value(screenshot);
    bool shot = false;
    bool failed = false; // the requested model did not open: a fallback model's result is never shot
    if (shooting) {
        window.resize(1280, 820);
        const auto shoot = [&]() {
            // Wait for the final result (e.g. the rerun for --layer/--head, a session's state), then
            // give the views one more turn of the event loop to lay out and paint it.
            if (shot || failed || !window.computeService()->isIdle() || window.sessions()->isRestoring())
                return;
            shot = true;
            QTimer::singleShot(50, &window, [&]() {
                if (failed)
                    return;
                // A result that changed the strips' heights may leave its relayout queued behind the timer.
                QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
                if (!window.grab().save(file)) {
                    exitCode = fail(QStringLiteral("could not write %1").arg(file));
                }
                QApplication::exit(exitCode);
            });
        };
        QObject::connect(&window, &attnviz::MainWindow::resultShown, &window, shoot);
        // A restore can end without another result (its last one came while applying the state).
        QObject::connect(window.sessions(), &attnviz::SessionController::restored, &window, shoot);
        QObject::connect(&window, &attnviz::MainWindow::modelLoadFailed, &app, [&](const QString& message) {
            failed = true;
            exitCode = fail(message);
            QApplication::exit(exitCode);
        });
        QObject::connect(window.computeService(), &attnviz::ComputeService::computeFailed, &app,
                         [&](const QString& message) {
                             exitCode = fail(message);
                             QApplication::exit(exitCode);
                         });
        QObject::connect(window.sessions(), &attnviz::SessionController::failed, &app, [&](const QString& message) {
            failed = true;
            exitCode = fail(message);
            QApplication::exit(exitCode);
        });
        QTimer::singleShot(300000, // a guard against a hang: long inputs on a busy machine take minutes
                            &app, [&]() {
            exitCode = fail(QStringLiteral("timed out waiting for the first result"));
            QApplication::exit(exitCode);
        });
    }
    if (session.isEmpty()) {
        window.openModel(spec);
    } else {
        // A session that cannot be restored leaves the window as a plain start would have it.
        QObject::connect(window.sessions(), &attnviz::SessionController::failed, &window, [&]() {
            if (!shooting && !window.computeService()->hasModel() && !window.computeService()->isLoading())
                window.openModel(spec);
        });
        window.sessions()->open(session); // opens the session's model, or says why not
    }
    window.show();
    if (parser.isSet(presentation))
        window.presentationMode()->setActive(true);
    const int code = QApplication::exec();
    return shooting ? exitCode : code;
}
