#include "shell/windowactions.h"

#include "views/pipeline/pipelineview.h"

#include "engine/captureplan.h"

#include "views/attentionview.h"
#include "export/exportcontroller.h"
#include "views/heatmap/heatmapview.h"
#include "shell/inputpanel.h"
#include "lessons/lessoneditor.h"
#include "lessons/lessonfileactions.h"
#include "lessons/makelessondialog.h"
#include "state/runrequestbuilder.h"
#include "shell/mainwindow.h"
#include "shell/modelpicker.h"
#include "shell/presentationmode.h"
#include "shell/sessioncontroller.h"
#include "state/selectionstate.h"
#include "shell/sideviewdock.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

#include "shell/comparewindow.h"
#include "shell/importancewindow.h"

namespace attnviz {

WindowActions::WindowActions(MainWindow* window) : QObject(window), m_window(window)
{
    buildFileMenu();
    buildLessonsMenu();
    buildViewMenu();
    buildAnalysisMenu();
    buildHelpMenu();
    // On the window too: a hidden menu bar (presentation mode) would take the shortcuts with it.
    m_window->addActions(menuShortcuts());
    connect(window->inputPanel()->modelPicker(), &ModelPicker::openRequested, this, &WindowActions::openModelFile);
}

QAction* WindowActions::addAction(QMenu* menu, const QString& text, const QKeySequence& keys, const QString& tip)
{
    QAction* action = menu->addAction(text);
    action->setShortcut(keys);
    action->setToolTip(tip);
    action->setStatusTip(tip);
    return action;
}

void WindowActions::buildFileMenu()
{
    QMenu* file = m_window->menuBar()->addMenu(tr("&File"));
    connect(addAction(file, tr("&Open Model File…"), QKeySequence::Open,
                      tr("Open a GGUF .gguf file (llama.cpp, Ollama, LM Studio), a llama2.c .bin checkpoint, a "
                         "lesson .json or a model's config.json")),
            &QAction::triggered, this, &WindowActions::openModelFile);
    connect(addAction(file, tr("Open Model &Folder…"), QKeySequence(tr("Ctrl+Shift+O")),
                      tr("Open a Hugging Face model folder (config.json, tokenizer and .safetensors or pytorch_model.bin)")),
            &QAction::triggered, this, &WindowActions::openModelFolder);
    ModelPicker* picker = m_window->inputPanel()->modelPicker();
    connect(addAction(file, tr("&Rescan Local Models"), QKeySequence(),
                      tr("Look again for the GGUF models of Ollama, LM Studio and the Hugging Face cache")),
            &QAction::triggered, picker, &ModelPicker::rescanLocalModels);
    file->addSeparator();
    // Sessions: the whole state as a .attnviz file (ui/shell/sessioncontroller.h).
    connect(addAction(file, tr("Open Sess&ion…"), QKeySequence(),
                      tr("Reopen a saved session: its model, text, layer, head, query, mask, ablation and view")),
            &QAction::triggered, this, [this]() { m_window->sessions()->openWithDialog(); });
    connect(addAction(file, tr("&Save Session…"), QKeySequence(tr("Ctrl+Shift+S")),
                      tr("Save the model, text and everything chosen as a .attnviz file to reopen or render later")),
            &QAction::triggered, this, [this]() { m_window->sessions()->saveWithDialog(); });
    file->addSeparator();
    // Export lives in ui/export; the window only says which view is current.
    auto* exporter = new ExportController(m_window);
    connect(exporter, &ExportController::exported, m_window,
            [this](const QString& m) { m_window->statusBar()->showMessage(m, 5000); });
    connect(exporter, &ExportController::failed, m_window,
            [this](const QString& m) { m_window->statusBar()->showMessage(m, 8000); });
    const struct
    {
        QString text;
        QKeySequence keys;
        QString tip;
        void (ExportController::*slot)(AttentionView*);
    } exports[] = {
        {tr("&Export View…"), QKeySequence(tr("Ctrl+Shift+E")), tr("Save the current view as PNG, SVG or PDF"),
         &ExportController::exportView},
        {tr("Export &Batch…"), QKeySequence(tr("Ctrl+Shift+B")),
         tr("Save the current view for every head or layer, as files or one PDF handout"),
         &ExportController::exportBatch},
        {tr("Export &Data…"), QKeySequence(), tr("Save the attention numbers as CSV, JSON or NumPy .npy"),
         &ExportController::exportData},
        {tr("&Copy Picture"), QKeySequence(tr("Ctrl+Shift+C")),
         tr("Copy the current view to the clipboard (image and SVG)"), &ExportController::copyToClipboard},
    };
    for (const auto& e : exports) {
        const auto slot = e.slot;
        connect(addAction(file, e.text, e.keys, e.tip), &QAction::triggered, exporter,
                [this, exporter, slot]() { (exporter->*slot)(m_window->currentView()); });
    }
    file->addSeparator();
    connect(addAction(file, tr("&Quit"), QKeySequence::Quit, tr("Quit AttnViz")), &QAction::triggered, m_window,
            &QWidget::close);
}

void WindowActions::buildLessonsMenu()
{
    // New, Open, Duplicate, Save, Save As: the lesson editor's own actions (ui/lessons).
    QMenu* lessons = m_window->menuBar()->addMenu(tr("&Lessons"));
    lessons->addActions(m_window->lessonEditor()->fileActions()->actions());
}

namespace {

// The window's one analysis window of this kind, made on first use and kept with its last result.
template <typename Window>
Window* showAnalysisWindow(MainWindow* window)
{
    auto* dialog = window->findChild<Window*>();
    if (dialog == nullptr)
        dialog = new Window(window);
    dialog->show();
    dialog->raise();
    return dialog;
}

} // namespace

void WindowActions::buildAnalysisMenu()
{
    QMenu* analysis = m_window->menuBar()->addMenu(tr("&Analysis"));
    QAction* importance = addAction(analysis, tr("Head &Importance by Ablation…"), QKeySequence(tr("Ctrl+Shift+I")),
                                    tr("Zero each head in turn and measure how the next token's log-probability "
                                       "changes (one run per head, in the background)"));
    connect(importance, &QAction::triggered, this, [this]() { showAnalysisWindow<ImportanceWindow>(m_window)->start(); });
    QAction* compare = addAction(analysis, tr("&Compare Two Inputs…"), QKeySequence(tr("Ctrl+Shift+K")),
                                 tr("The run on screen beside a second input (or the same input on another model) "
                                    "and their difference"));
    connect(compare, &QAction::triggered, this, [this]() { showAnalysisWindow<CompareWindow>(m_window)->compare(); });
    analysis->addSeparator();
    QAction* lesson = addAction(analysis, tr("Make a &Lesson from This Head…"), QKeySequence(tr("Ctrl+Shift+L")),
                                tr("A few tokens of the selected head, reduced to a few dimensions (PCA or the "
                                   "largest-variance ones), as a lesson to edit"));
    connect(lesson, &QAction::triggered, this, [this]() {
        const RunRequest request =
            RunRequestBuilder::build(*m_window->inputPanel(), *m_window->selection(), m_window->result().get());
        MakeLessonDialog::run(m_window, *m_window->computeService(), request, *m_window->lessonEditor());
    });
}

void WindowActions::buildViewMenu()
{
    QMenu* view = m_window->menuBar()->addMenu(tr("&View"));
    QTabWidget* tabs = m_window->viewTabs();
    for (int i = 0; i < tabs->count(); ++i) {
        QAction* a = addAction(view, tabs->tabText(i), QKeySequence(tr("Ctrl+%1").arg(i + 1)),
                               tr("Show the %1 view").arg(tabs->tabText(i)));
        connect(a, &QAction::triggered, tabs, [tabs, i]() { tabs->setCurrentIndex(i); });
    }
    QAction* side = m_window->sideViewDock()->toggleViewAction();
    side->setText(tr("&Side View"));
    side->setShortcut(QKeySequence(Qt::Key_F9)); // not Ctrl+D: on GNOME and KDE that deletes a character
    side->setToolTip(tr("Show a second view beside the tabs, e.g. arcs next to the heatmap"));
    view->addAction(side);
    QAction* editor = m_window->lessonEditor()->toggleViewAction();
    editor->setText(tr("Lesson &Editor"));
    editor->setShortcut(QKeySequence(tr("Ctrl+L")));
    editor->setToolTip(tr("Make and edit lessons: tokens, sizes, heads, matrices and the mask; every view recomputes as you edit"));
    editor->setStatusTip(editor->toolTip());
    view->addAction(editor);
    PresentationMode* presentation = m_window->presentationMode();
    view->addAction(presentation->toggleAction());
    connect(presentation, &PresentationMode::stepRequested, this, &WindowActions::step);
    connect(presentation, &PresentationMode::stageStepRequested, this, [this](int delta) {
        for (AttentionView* v : m_window->views()) {
            if (auto* pipeline = qobject_cast<PipelineView*>(v))
                delta > 0 ? pipeline->nextStage() : pipeline->previousStage();
        }
    });
    view->addSeparator();
    struct Step
    {
        QString text;
        QKeySequence keys;
        int layer, head, query;
    };
    const QList<Step> steps = {{tr("Previous Layer"), QKeySequence(tr("Ctrl+Up")), -1, 0, 0},
                               {tr("Next Layer"), QKeySequence(tr("Ctrl+Down")), 1, 0, 0},
                               // Not Ctrl+Left/Right: the text field needs those for word jumps.
                               {tr("Previous Head"), QKeySequence(tr("Alt+Up")), 0, -1, 0},
                               {tr("Next Head"), QKeySequence(tr("Alt+Down")), 0, 1, 0},
                               {tr("Previous Query Token"), QKeySequence(tr("Alt+Left")), 0, 0, -1},
                               {tr("Next Query Token"), QKeySequence(tr("Alt+Right")), 0, 0, 1}};
    for (const Step& s : steps) {
        QAction* a = addAction(view, s.text, s.keys, s.text);
        connect(a, &QAction::triggered, this, [this, s]() { step(s.layer, s.head, s.query); });
    }
    view->addSeparator();
    SelectionState* sel = m_window->selection();
    QAction* mean = addAction(view, tr("&Mean of Heads"), QKeySequence(tr("Ctrl+M")),
                              tr("Show the mean of the switched-on heads instead of the focused head"));
    mean->setCheckable(true);
    connect(mean, &QAction::toggled, sel, &SelectionState::setMeanOfHeads);
    QAction* merge = addAction(view, tr("Merge &Sub-words"), QKeySequence(tr("Ctrl+Shift+M")),
                               tr("Join sub-word pieces into whole words"));
    merge->setCheckable(true);
    connect(merge, &QAction::toggled, sel, &SelectionState::setMergeSubwords);
    QAction* rollout = addAction(view, tr("Attention &Rollout"), QKeySequence(tr("Ctrl+R")),
                                 tr("Heatmap: attention rolled out through layers 0 to the chosen layer"));
    rollout->setCheckable(true);
    connect(rollout, &QAction::toggled, sel, &SelectionState::setRollout);
    QAction* badges = addAction(view, tr("Logit &Attribution Badges"), QKeySequence(),
                                tr("Model grid: badge each head with its write into the predicted token's logit "
                                   "instead of its pattern statistics"));
    badges->setCheckable(true);
    connect(badges, &QAction::toggled, sel, [sel](bool on) {
        sel->setGridBadges(on ? GridBadges::LogitAttribution : GridBadges::Statistics);
    });
    connect(sel, &SelectionState::displayOptionsChanged, this, [sel, mean, merge, rollout, badges]() {
        mean->setChecked(sel->meanOfHeads());
        merge->setChecked(sel->mergeSubwords());
        rollout->setChecked(sel->rollout());
        badges->setChecked(sel->gridBadges() == GridBadges::LogitAttribution);
    });
    view->addSeparator();
    HeatmapView* heatmap = m_window->heatmapView();
    connect(addAction(view, tr("Zoom &In"), QKeySequence::ZoomIn, tr("Larger heatmap cells (also Ctrl+wheel)")),
            &QAction::triggered, heatmap, [heatmap]() { heatmap->zoomBy(1); });
    connect(addAction(view, tr("Zoom &Out"), QKeySequence::ZoomOut, tr("Smaller heatmap cells (also Ctrl+wheel)")),
            &QAction::triggered, heatmap, [heatmap]() { heatmap->zoomBy(-1); });
    connect(addAction(view, tr("&Fit Heatmap"), QKeySequence(tr("Ctrl+0")), tr("Fit the heatmap to the window")),
            &QAction::triggered, heatmap, &HeatmapView::resetZoom);
    view->addSeparator();
    connect(addAction(view, tr("Attention Memory &Budget…"), QKeySequence(),
                      tr("How much memory one run may keep for attention maps; a longer input keeps the layers "
                         "around the one shown and computes the others when you show them")),
            &QAction::triggered, this, &WindowActions::chooseAttentionBudget);
}

void WindowActions::chooseAttentionBudget()
{
    const std::size_t current = m_window->attentionBudget() > 0 ? m_window->attentionBudget() : defaultAttentionBudgetBytes;
    bool ok = false;
    const int mib = QInputDialog::getInt(m_window, tr("Attention Memory Budget"),
                                         tr("Memory for the attention maps of one run (MiB).\nAll layers × heads × "
                                            "tokens² × 4 bytes; beyond it only the layers around the one shown are kept:"),
                                         int(current >> 20), 64, 1 << 20, 256, &ok);
    if (ok) m_window->setAttentionBudget(std::size_t(mib) << 20);
}

void WindowActions::buildHelpMenu()
{
    QMenu* help = m_window->menuBar()->addMenu(tr("&Help"));
    connect(help->addAction(tr("&Keyboard Shortcuts")), &QAction::triggered, this, [this]() {
        QMessageBox::information(m_window, tr("Keyboard shortcuts"), shortcutsHelpText());
    });
    connect(help->addAction(tr("&About AttnViz")), &QAction::triggered, this, [this]() {
        QMessageBox::about(m_window, tr("About AttnViz"),
                           tr("<b>AttnViz %1</b><br>See multi-head attention: type a sentence and watch where each "
                              "token looks, per layer and head.")
                               .arg(QApplication::applicationVersion()));
    });
}

QList<QAction*> WindowActions::menuShortcuts() const
{
    QList<QAction*> actions;
    for (QAction* menuAction : m_window->menuBar()->actions()) {
        if (const QMenu* menu = menuAction->menu()) {
            for (QAction* a : menu->actions()) {
                if (!a->shortcut().isEmpty())
                    actions << a;
            }
        }
    }
    return actions;
}

QString WindowActions::shortcutsHelpText() const
{
    // Built from the menus themselves, so the list can never disagree with what the keys do.
    QStringList lines;
    for (const QAction* a : menuShortcuts())
        lines << tr("%1: %2").arg(a->shortcut().toString(QKeySequence::NativeText), a->text().remove(QLatin1Char('&')));
    lines << tr("Left / Right in the token strip: previous / next query token")
          << tr("Ctrl+wheel over the heatmap: zoom");
    lines << PipelineView::keyHelp();
    for (const QString& key : m_window->presentationMode()->keyHelp())
        lines << tr("In presentation mode, %1").arg(key);
    return lines.join(QLatin1Char('\n'));
}

void WindowActions::openModelFile()
{
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Open Model"), QString(), tr("Models, lessons and attention files (*.gguf *.bin *.json *.safetensors);;All files (*)"));
    if (path.isEmpty())
        return;
    const QFileInfo info(path);
    // config.json or weights inside a Hugging Face folder mean the folder; other .json files are
    // lessons, other .bin files llama2.c checkpoints, .gguf (and extensionless Ollama blobs) GGUF.
    const bool torchWeights = info.fileName().startsWith(QLatin1String("pytorch_model")) &&
                              info.suffix() == QLatin1String("bin") && info.dir().exists(QStringLiteral("config.json"));
    // A .safetensors without config.json beside it is an attention file (docs/attention-file.md).
    const bool folderWeights = info.suffix() == QLatin1String("safetensors") && info.dir().exists(QStringLiteral("config.json"));
    const bool inHfFolder = info.fileName() == QLatin1String("config.json") || folderWeights || torchWeights;
    m_window->openModel(inHfFolder ? info.absolutePath() : info.absoluteFilePath());
}

void WindowActions::openModelFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(m_window, tr("Open Model Folder"));
    if (!dir.isEmpty())
        m_window->openModel(dir);
}

void WindowActions::step(int layerDelta, int headDelta, int queryDelta)
{
    SelectionState* sel = m_window->selection();
    auto wrap = [](int value, int count) { return count <= 0 ? 0 : ((value % count) + count) % count; };
    if (layerDelta != 0)
        sel->setLayer(wrap(sel->layer() + layerDelta, sel->layerCount()));
    if (headDelta != 0)
        sel->setHead(wrap(sel->head() + headDelta, sel->headCount()));
    if (queryDelta != 0) {
        const int current = sel->queryToken() < 0 ? (queryDelta > 0 ? -1 : 0) : sel->queryToken();
        sel->setQueryToken(wrap(current + queryDelta, sel->queryCount()));
    }
}

} // namespace attnviz
