#include "shell/mainwindow.h"

#include "state/computeservice.h"
#include "registry/resourcepaths.h"
#include "widgets/headchips.h"
#include "views/heatmap/heatmapview.h"
#include "views/viewfactory.h"
#include "shell/inputpanel.h"
#include "lessons/lessoneditor.h"
#include "shell/modelpicker.h"
#include "shell/presentationmode.h"
#include "state/runrequestbuilder.h"
#include "state/selectionstate.h"
#include "widgets/selectiontoolbar.h"
#include "shell/sessioncontroller.h"
#include "shell/sessionsettings.h"
#include "shell/settingsautosave.h"
#include "shell/sideviewdock.h"
#include "widgets/staleoverlay.h"
#include "widgets/tokenstrip.h"
#include "shell/viewhint.h"
#include "shell/windowactions.h"

#include <QCloseEvent>
#include <QGridLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>


namespace attnviz {

namespace {

QStringList headNamesOf(const AttentionResult* result, int stack)
{
    QStringList names;
    if (result != nullptr && stack >= 0 && stack < static_cast<int>(result->stacks.size())) {
        for (const std::string& name : result->stacks[static_cast<std::size_t>(stack)].headNames)
            names << QString::fromStdString(name);
    }
    return names;
}

} // namespace

MainWindow::MainWindow(QWidget* parent, bool useSettings)
    : QMainWindow(parent), m_selection(new SelectionState(this)), m_service(new ComputeService(this)),
      m_useSettings(useSettings)
{
    setWindowTitle(tr("AttnViz"));
    setObjectName(QStringLiteral("mainWindow"));
    m_input = new InputPanel(this);
    m_toolBar = new SelectionToolBar(m_selection, this);
    m_tokens = new TokenStrip(m_selection, this);
    m_heads = new HeadChips(m_selection, this);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_input);
    // Tokens and heads line up with the input panel's labels: one grid, labels on the left.
    auto* strips = new QWidget(central);
    auto* grid = new QGridLayout(strips);
    grid->setContentsMargins(8, 0, 8, 4);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    auto* tokenScroll = new QScrollArea(strips);
    tokenScroll->setWidget(m_tokens);
    tokenScroll->setWidgetResizable(true);
    tokenScroll->setFrameShape(QFrame::NoFrame);
    tokenScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Long inputs scroll inside a few rows instead of pushing the views away.
    connect(m_tokens, &ChipStrip::contentHeightChanged, tokenScroll,
            [tokenScroll](int h) { tokenScroll->setFixedHeight(std::min(h, 96)); });
    auto addRow = [&](const QString& label, QWidget* widget, int row) {
        auto* l = new QLabel(label, strips);
        l->setMinimumWidth(m_input->labelWidth());
        l->setContentsMargins(0, 6, 0, 0); // level with the text inside the first row of chips
        grid->addWidget(l, row, 0, Qt::AlignTop | Qt::AlignLeft);
        grid->addWidget(widget, row, 1);
    };
    addRow(tr("Tokens"), tokenScroll, 0);
    addRow(tr("Heads"), m_heads, 1);
    grid->setColumnStretch(1, 1);
    layout->addWidget(strips);
    m_toolBar->setMovable(false);
    layout->addWidget(m_toolBar);
    m_hint = new ViewHint(central);
    layout->addWidget(m_hint);
    m_tabs = new QTabWidget(central);
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    buildViews();
    connect(m_tabs, &QTabWidget::currentChanged, m_hint, [this]() { m_hint->setViewName(currentViewName()); });
    m_hint->setViewName(currentViewName());
    m_sideView = new SideViewDock(m_selection, this);
    addDockWidget(Qt::RightDockWidgetArea, m_sideView);
    m_sideView->hide(); // View → Side View (F9) shows it; the saved window state remembers
    m_lessonEditor = new LessonEditor(m_service, this);
    addDockWidget(Qt::RightDockWidgetArea, m_lessonEditor);
    m_lessonEditor->hide(); // View → Lesson Editor (Ctrl+L), enabled while a lesson is open
    m_presentation = new PresentationMode(this);
    connect(m_presentation, &PresentationMode::activeChanged, m_hint, &ViewHint::setSuppressed);
    new WindowActions(this);
    m_stale = new StaleOverlay(m_tabs);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("notice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_stats = new QLabel(this);
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0); // a busy indicator, not a percentage
    m_busy->setMaximumWidth(90);
    m_busy->setMaximumHeight(12);
    m_busy->setToolTip(tr("Computing…"));
    m_busy->hide();
    statusBar()->addWidget(m_notice, 1);
    statusBar()->addPermanentWidget(m_stats);
    statusBar()->addPermanentWidget(m_busy);

    connect(m_input, &InputPanel::textEdited, this, [this]() { scheduleRun(150); });
    connect(m_input->modelPicker(), &ModelPicker::modelChosen, this, &MainWindow::openModel);
    connect(m_service, &ComputeService::modelLoaded, this, &MainWindow::onModelLoaded);
    connect(m_service, &ComputeService::modelRenamed, this, [this](const QString& spec) {
        m_loadedSpec = spec;
        m_input->modelPicker()->setCurrentSpec(spec);
    });
    connect(m_service, &ComputeService::modelLoadFailed, this, &MainWindow::onModelLoadFailed);
    // An edited lesson keeps its tokens, so the selection and last result's shape still apply.
    connect(m_service, &ComputeService::modelReplaced, this, [this]() { scheduleRun(0); });
    connect(m_service, &ComputeService::resultReady, this, &MainWindow::showResult);
    connect(m_service, &ComputeService::computeFailed, this, &MainWindow::onComputeFailed);
    connect(m_service, &ComputeService::busyChanged, m_busy, &QWidget::setVisible);
    connect(m_selection, &SelectionState::computeInputsChanged, this, [this]() { scheduleRun(0); });
    connect(m_selection, &SelectionState::layerChanged, this, &MainWindow::onSelectionMoved);
    // Showing the pipeline (a tab, the side dock, raw scores) fetches the capture of the head shown.
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::onSelectionMoved);
    connect(m_sideView, &SideViewDock::viewChanged, this, &MainWindow::onSelectionMoved);
    connect(m_selection, &SelectionState::displayOptionsChanged, this, &MainWindow::onSelectionMoved);
    connect(m_selection, &SelectionState::headChanged, this, &MainWindow::onSelectionMoved);
    connect(m_selection, &SelectionState::stackChanged, this, &MainWindow::onSelectionMoved);
    connect(m_selection, &SelectionState::stackChanged, this, &MainWindow::updateStats);
    // The rollout is computed with the run: switching it on, or other heads, runs again.
    for (auto signal : {&SelectionState::displayOptionsChanged, &SelectionState::enabledHeadsChanged}) {
        connect(m_selection, signal, this, [this]() {
            if (RunRequestBuilder::rolloutOutOfDate(*m_selection, m_result.get()))
                scheduleRun(0);
        });
    }

    // After the connections above: a restored session applies itself once the window has the model.
    m_sessions = new SessionController(this);

    resize(defaultSize());
    if (m_useSettings) {
        m_attentionBudget = std::size_t(QSettings().value(QStringLiteral("attentionBudgetMiB"), 0).toULongLong()) << 20;
        SessionSettings::restore(*this);
        new SettingsAutosave(this);
        m_hint->setActive(true); // first-run hints only for a real session, never tests or screenshots
    }
}

QSize MainWindow::defaultSize()
{
    // 1280 x 800 is the smallest common laptop screen; leave room for the title bar and a panel.
    return {1280, 740};
}

MainWindow::~MainWindow() = default;

QString MainWindow::defaultModelSpec()
{
    const auto models = builtinModelNames();
    if (std::find(models.begin(), models.end(), "decoder") != models.end())
        return QStringLiteral("builtin:decoder");
    const auto lessons = builtinLessonNames();
    return lessons.empty() ? QString() : QStringLiteral("lesson:") + QString::fromStdString(lessons.front());
}

QString MainWindow::defaultText()
{
    return QStringLiteral("The animal didn't cross the street because it was too tired.");
}

void MainWindow::buildViews()
{
    for (const ViewFactory::Kind& kind : ViewFactory::kinds()) {
        AttentionView* view = kind.make(m_selection, nullptr).release(); // the tab owns it
        if (kind.wantsScrollArea) {
            auto* scroll = new QScrollArea(m_tabs);
            scroll->setWidget(view);
            scroll->setWidgetResizable(true);
            scroll->setFrameShape(QFrame::NoFrame);
            m_tabs->addTab(scroll, kind.title);
        } else {
            m_tabs->addTab(view, kind.title);
        }
        m_views << view;
        if (auto* heatmap = qobject_cast<HeatmapView*>(view))
            m_heatmap = heatmap;
    }
    for (int i = 0; i < m_tabs->count(); ++i) {
        m_tabs->setTabToolTip(i, tr("%1 (Ctrl+%2)").arg(m_tabs->tabText(i)).arg(i + 1));
    }
}

void MainWindow::openModel(const QString& spec)
{
    if (spec.isEmpty())
        return;
    if (!m_lessonEditor->confirmLeave()) { // unsaved lesson edits: Save / Discard / Cancel
        m_input->modelPicker()->setCurrentSpec(m_loadedSpec);
        return;
    }
    showNotice(tr("Opening %1…").arg(m_input->modelPicker()->nameOf(spec)));
    m_service->loadModel(spec);
}

void MainWindow::setText(const QString& text)
{
    m_input->setText(text);
}

bool MainWindow::setCurrentView(const QString& name)
{
    const ViewFactory::Kind* kind = ViewFactory::find(name);
    for (int i = 0; i < m_views.size(); ++i) {
        if (kind != nullptr && m_views.at(i)->viewName() == kind->name) {
            m_tabs->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

AttentionView* MainWindow::currentView() const
{
    const int i = m_tabs->currentIndex();
    return i >= 0 && i < m_views.size() ? m_views.at(i) : nullptr;
}

QString MainWindow::currentViewName() const
{
    return currentView() != nullptr ? currentView()->viewName() : QString();
}

void MainWindow::setPendingLayerHead(int layer, int head)
{
    m_pendingLayer = layer;
    m_pendingHead = head;
}

void MainWindow::setPendingStack(const QString& name)
{
    m_pendingStack = name;
}

void MainWindow::onModelLoaded(const QString& spec)
{
    // Stays in the status bar with every result of this model, so the user sees why it is shown.
    m_modelNotice = m_fallbackReason.isEmpty()
                        ? QString()
                        : tr("%1 — showing %2 instead").arg(m_fallbackReason, ModelPicker::displayName(spec));
    m_fallbackReason.clear();
    m_loadedSpec = spec;
    m_selection->resetOverrides();
    m_input->modelPicker()->setCurrentSpec(spec);
    const ModelInfo info = m_service->model()->info();
    m_input->setModelInfo(info);
    m_selection->setShape(std::max(1, m_selection->stackCount()), info.layers, info.heads, 0,
                          0); // until the first result
    setWindowTitle(tr("%1 — AttnViz").arg(QString::fromStdString(info.name)));
    showNotice(m_modelNotice.isEmpty() ? tr("Opened %1").arg(QString::fromStdString(info.name)) : m_modelNotice);
    scheduleRun(0); // a new model: resetOverrides() left nothing of the last one's shape
}

void MainWindow::onModelLoadFailed(const QString& spec, const QString& message)
{
    m_input->modelPicker()->setCurrentSpec(m_loadedSpec); // the previous model stays
    const QString text = tr("Could not open %1:\n%2").arg(spec, message);
    showNotice(text.simplified());
    // With nothing loaded yet (a bad --model or a vanished last model) the window would stay empty:
    // open the default model and keep saying why.
    const QString fallback = defaultModelSpec();
    const bool fallingBack = !m_service->hasModel() && !fallback.isEmpty() && spec != fallback;
    if (m_dialogs) {
        QString detail;
        if (m_service->hasModel())
            detail = tr("\n\nThe previous model is still loaded.");
        else if (fallingBack)
            detail = tr("\n\n%1 is opened instead.").arg(ModelPicker::displayName(fallback));
        QMessageBox::warning(this, tr("Model not opened"), text + detail);
    }
    emit modelLoadFailed(text);
    if (fallingBack) {
        m_fallbackReason = text.simplified();
        m_service->loadModel(fallback);
    }
}

void MainWindow::onComputeFailed(const QString& message)
{
    m_stale->setStale(false); // the notice says what went wrong
    showNotice(tr("⚠ %1").arg(message));
}

bool MainWindow::viewShown(const QString& name) const
{
    return currentViewName() == name || (m_sideView->isVisible() && m_sideView->viewName() == name);
}

bool MainWindow::pipelineShown() const
{
    // The Q/K/V view, in a tab or the side dock, or the heatmap's raw scores (diverging colours).
    return viewShown(QStringLiteral("pipeline")) || m_selection->colorMap() == ColorMapKind::Diverging;
}

bool MainWindow::readoutsMissing() const
{
    // Asked for only while their views are shown: the lens and attribution cost a pass over the
    // vocabulary and W_O per layer.
    return (viewShown(QStringLiteral("lens")) && !m_askedLens) || (attributionShown() && !m_askedAttribution);
}

bool MainWindow::attributionShown() const
{
    return viewShown(QStringLiteral("attribution")) ||
           (viewShown(QStringLiteral("model")) && m_selection->gridBadges() == GridBadges::LogitAttribution);
}

void MainWindow::onSelectionMoved()
{
    // The pipeline capture is per (stack, layer, head): fetch the new one once the user settles,
    // when something on screen shows it. A move with only the maps on screen runs nothing: every
    // map the run kept is already there.
    if (m_result && m_result->pipeline && pipelineShown() &&
        (m_result->pipeline->layer != m_selection->layer() || m_result->pipeline->head != m_selection->head() ||
         m_result->pipeline->stack != m_selection->stack())) {
        scheduleRun(80);
    } else if (RunRequestBuilder::rolloutOutOfDate(*m_selection, m_result.get()) ||
               RunRequestBuilder::flowOutOfDate(*m_selection, m_result.get()) || readoutsMissing()) {
        scheduleRun(80);
    } else if (m_result && !m_result->model.recorded && m_selection->stack() < int(m_result->stacks.size()) &&
               !m_result->stacks[std::size_t(m_selection->stack())].attention.holds(m_selection->layer(),
                                                                                   m_selection->head())) {
        scheduleRun(80); // a long input keeps only the maps around the layer shown: compute this one
    }
}

void MainWindow::scheduleRun(int debounceMs)
{
    if (!m_service->hasModel())
        return;
    if (m_input->isBlank()) {
        m_service->cancelAll();
        showResult(nullptr); // the empty state, not an error
        return;
    }
    if (const QString error = m_input->inputError(); !error.isEmpty()) {
        m_service->cancelAll();
        showNotice(tr("⚠ %1").arg(error)); // the last result stays until the input can run
        return;
    }
    // Before the request: a finished job may deliver its result right away, which clears this.
    m_stale->setStale(m_result != nullptr); // nothing on screen yet is nothing stale
    RunRequest request = RunRequestBuilder::build(*m_input, *m_selection, m_result.get());
    request.attentionBudgetBytes = m_attentionBudget;
    m_askedLens = request.logitLens = viewShown(QStringLiteral("lens"));
    m_askedAttribution = request.attribution = attributionShown();
    m_service->requestRun(std::move(request), debounceMs);
}

void MainWindow::setAttentionBudget(std::size_t bytes)
{
    m_attentionBudget = bytes;
    if (m_useSettings) QSettings().setValue(QStringLiteral("attentionBudgetMiB"), qulonglong(bytes >> 20));
    scheduleRun(0);
}

void MainWindow::showResult(std::shared_ptr<const AttentionResult> result)
{
    m_result = std::move(result);
    m_stale->setStale(false);
    if (m_result && !m_result->stacks.empty()) {
        QStringList stackNames;
        for (const auto& s : m_result->stacks)
            stackNames << QString::fromStdString(s.name);
        int stack = std::clamp(m_selection->stack(), 0, static_cast<int>(m_result->stacks.size()) - 1);
        if (!m_pendingStack.isEmpty()) {
            const auto named = std::find_if(stackNames.begin(), stackNames.end(), [&](const QString& n) {
                return n.compare(m_pendingStack, Qt::CaseInsensitive) == 0;
            });
            if (named != stackNames.end())
                stack = static_cast<int>(named - stackNames.begin());
            else
                addModelNotice(tr("No stack “%1” in this model (it has: %2)")
                                   .arg(m_pendingStack, stackNames.join(QStringLiteral(", "))));
            m_pendingStack.clear();
        }
        const AttentionTensor& a = m_result->stacks[static_cast<std::size_t>(stack)].attention;
        m_selection->setShape(static_cast<int>(m_result->stacks.size()), a.layers, a.heads, a.queries, a.keys);
        m_selection->setStack(stack);
        m_toolBar->setStackNames(stackNames);
        m_toolBar->setSentencePair(std::any_of(m_result->tokens.begin(), m_result->tokens.end(),
                                               [](const Token& t) { return t.segment == 1; }));
        if (m_result->pipeline)
            m_selection->setModelScaling(m_result->pipeline->capture.scaledByRootDk);
        if (m_pendingLayer >= 0 || m_pendingHead >= 0) {
            if (m_pendingLayer >= 0)
                m_selection->setLayer(m_pendingLayer);
            if (m_pendingHead >= 0)
                m_selection->setHead(m_pendingHead);
            m_pendingLayer = m_pendingHead = -1;
        }
        adoptCustomMask(*m_result);
    }
    // An empty result keeps the shape, so the chosen layer and head survive clearing the text.
    m_toolBar->refresh();
    m_tokens->setResult(m_result);
    m_heads->setHeadNames(headNamesOf(m_result.get(), m_selection->stack()));
    for (AttentionView* view : m_views)
        view->setResult(m_result);
    m_sideView->setResult(m_result);
    refreshNotice();
    updateStats();
    emit resultShown();
    // The first result of a shape may come before the selection knew its heads: ask once more.
    if (RunRequestBuilder::rolloutOutOfDate(*m_selection, m_result.get()))
        scheduleRun(0);
}

void MainWindow::refreshNotice()
{
    QStringList notices;
    if (!m_modelNotice.isEmpty())
        notices << m_modelNotice;
    if (m_result) {
        for (const auto& n : m_result->notices)
            notices << QString::fromStdString(n);
        if (m_selection->maskMode() == MaskOverride::Custom)
            notices << tr("custom mask: click a heatmap cell to forbid or allow it");
    } else {
        notices << tr("Type a sentence to begin.");
    }
    showNotice(notices.join(QStringLiteral(" · ")));
}

void MainWindow::addModelNotice(const QString& text)
{
    m_modelNotice = m_modelNotice.isEmpty() ? text : m_modelNotice + QStringLiteral(" · ") + text;
    refreshNotice();
}

void MainWindow::adoptCustomMask(const AttentionResult& result)
{
    // The run carried the custom mask over to the tokens it ran on; further clicks edit that one.
    const int stack = result.customMaskStack;
    if (result.customMask.size() == 0 || stack < 0 || stack >= static_cast<int>(result.stacks.size()))
        return;
    const AttentionStack& shown = result.stacks[static_cast<std::size_t>(stack)];
    m_selection->adoptCustomMask(result.customMask, idsOf(queryTokensOf(result, shown)),
                                 idsOf(keyTokensOf(result, shown)), stack);
}

// A long notice (a quantised model's tensor types, several notices joined) is cut at the window's
// edge; the tooltip keeps all of it.
void MainWindow::showNotice(const QString& text)
{
    m_notice->setText(text);
    m_notice->setToolTip(text);
}

QString MainWindow::noticeText() const
{
    return m_notice->text();
}

QString MainWindow::statsText() const
{
    return m_stats->text();
}

void MainWindow::updateStats()
{
    if (!m_result || m_result->stacks.empty()) {
        m_stats->clear();
        return;
    }
    // Count the tokens of the stack on screen: an encoder reads the source, a decoder the target.
    const int stack = std::clamp(m_selection->stack(), 0, static_cast<int>(m_result->stacks.size()) - 1);
    const AttentionStack& shown = m_result->stacks[static_cast<std::size_t>(stack)];
    const int queries = static_cast<int>(queryTokensOf(*m_result, shown).size());
    const int keys = static_cast<int>(keyTokensOf(*m_result, shown).size());
    QString tokens;
    if (shown.queriesFromSource)
        tokens = tr("%1 source tokens").arg(queries);
    else if (shown.keysFromSource)
        tokens = tr("%1 target × %2 source tokens").arg(queries).arg(keys);
    else if (!m_result->sourceTokens.empty())
        tokens = tr("%1 target tokens").arg(queries);
    else
        tokens = queries == 1 ? tr("1 token") : tr("%1 tokens").arg(queries);
    m_stats->setText(tokens + tr("  ·  %1  ·  %2 ms")
                                  .arg(QString::fromStdString(m_result->model.name))
                                  .arg(m_result->computeMilliseconds, 0, 'f', 1));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_lessonEditor->confirmLeave()) {
        event->ignore(); // Cancel: the window and the edits stay
        return;
    }
    if (m_useSettings)
        SessionSettings::save(*this);
    QMainWindow::closeEvent(event);
}

} // namespace attnviz
