// The whole shell on a lesson model: tokens shown, selection drives the views, mask and
// ablation rerun the model exactly as the core computes it, and heatmap pixels encode weights.
#include "../views/viewtestdata.h"
#include "registry/modelregistry.h"
#include "state/computeservice.h"
#include "registry/resourcepaths.h"
#include "widgets/headchips.h"
#include "views/heatmap/heatmappainter.h"
#include "views/heatmap/heatmapview.h"
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "state/selectionstate.h"
#include "widgets/selectiontoolbar.h"
#include "shell/sideviewdock.h"
#include "widgets/staleoverlay.h"
#include "widgets/tokenstrip.h"
#include "shell/windowactions.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTextCursor>

using namespace attnviz;

namespace {

const QString kLesson = QStringLiteral(ATTNVIZ_RESOURCES "/lessons/two-heads-causal.json");

// The core's own numbers for the same request, computed without the UI.
std::shared_ptr<const AttentionResult> coreRun(MaskOverride mask, std::set<std::pair<int, int>> ablated = {},
                                               MaskMatrix custom = {})
{
    RunRequest r;
    r.mask = mask;
    r.customMask = std::move(custom);
    r.ablatedHeads = std::move(ablated);
    return openModel(kLesson.toStdString())->run(r);
}

Matrix headWeights(const AttentionResult& r, int head)
{
    const AttentionTensor& a = r.stacks.front().attention;
    return Eigen::Map<const Matrix>(a.head(0, head), a.queries, a.keys);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_window;

    // Waits for the next result the window shows after `action`.
    template <typename F> void rerun(F action)
    {
        QSignalSpy shown(m_window.get(), &MainWindow::resultShown);
        action();
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && m_window->computeService()->isIdle(), 20000);
    }

private slots:
    void initTestCase()
    {
        m_window = std::make_unique<MainWindow>(nullptr, false);
        m_window->setDialogsEnabled(false);
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        rerun([&]() { m_window->openModel(kLesson); });
        QVERIFY(m_window->result());
    }

    // Thousands of tokens scroll inside a few rows of chips, which never run under the head chips.
    void manyTokensStayAboveTheHeads()
    {
        MainWindow window(nullptr, false);
        window.setDialogsEnabled(false);
        window.resize(1280, 820);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QList<Chip> chips;
        for (int i = 0; i < 4096; ++i)
            chips.push_back({QStringLiteral("#%1").arg(100000 + i), {}, {}, false, false, false});
        window.tokenStrip()->setChips(chips);
        QWidget* tokens = window.tokenStrip()->parentWidget()->parentWidget(); // viewport, then the scroll area
        QVERIFY(qobject_cast<QScrollArea*>(tokens) != nullptr);
        const auto bottomOf = [&](QWidget* w) { return w->mapTo(&window, QPoint(0, w->height())).y(); };
        const auto topOf = [&](QWidget* w) { return w->mapTo(&window, QPoint(0, 0)).y(); };
        QTRY_VERIFY2(bottomOf(tokens) <= topOf(window.headChips()),
                     qPrintable(QStringLiteral("tokens end at %1, heads start at %2")
                                    .arg(bottomOf(tokens)).arg(topOf(window.headChips()))));
        QVERIFY(tokens->height() >= 60 && tokens->height() <= 100); // a few rows, not the whole strip
        QVERIFY(bottomOf(window.headChips()) <= topOf(window.selectionToolBar()));
    }

    void showsTheTokens()
    {
        const QStringList expected = {QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("sat"),
                                      QStringLiteral("down")};
        QStringList chips;
        for (const Chip& c : m_window->tokenStrip()->chips())
            chips << c.text;
        QCOMPARE(chips, expected);
        QCOMPARE(m_window->heatmapView()->data().rowLabels, expected);
        QCOMPARE(m_window->heatmapView()->data().colLabels, expected);
        QCOMPARE(m_window->headChips()->chips().size(), 2);
        // The lesson's own head names are on the chips.
        QCOMPARE(m_window->headChips()->chips().at(0).text, QStringLiteral("H0 looks back"));
        QCOMPARE(m_window->headChips()->chips().at(1).text, QStringLiteral("H1 looks alike"));
        QVERIFY(m_window->inputPanel()->textEdit()->isHidden()); // lessons have fixed tokens
    }

    void selectionDrivesTheViews()
    {
        SelectionState* sel = m_window->selection();
        const auto core = coreRun(MaskOverride::ModelDefault);
        m_window->selectionToolBar()->headBox()->setValue(1); // 0-based, like the CLI
        QCOMPARE(sel->head(), 1);
        QVERIFY(m_window->heatmapView()->data().values.isApprox(headWeights(*core, 1)));
        QTest::mouseClick(m_window->headChips(), Qt::LeftButton, {},
                          m_window->headChips()->chipRect(0).center().toPoint());
        QCOMPARE(sel->head(), 0);
        QVERIFY(m_window->heatmapView()->data().values.isApprox(headWeights(*core, 0)));

        TokenStrip* strip = m_window->tokenStrip();
        QTest::mouseClick(strip, Qt::LeftButton, {}, strip->chipRect(2).center().toPoint());
        QCOMPARE(sel->queryToken(), 2);
        QCOMPARE(strip->current(), 2);
        strip->setFocus();
        QTest::keyClick(strip, Qt::Key_Right);
        QCOMPARE(sel->queryToken(), 3);
        QTest::keyClick(strip, Qt::Key_Right); // stays on the last token
        QCOMPARE(sel->queryToken(), 3);

        // Clicking a heatmap row selects that query token.
        HeatmapView* heatmap = m_window->heatmapView();
        m_window->setCurrentView(QStringLiteral("heatmap"));
        QTRY_VERIFY(heatmap->isVisible());
        const QRectF cell = heatmap->currentLayout().grid.cellRect(1, 0);
        QTest::mouseClick(heatmap, Qt::LeftButton, {}, cell.center().toPoint());
        QCOMPARE(sel->queryToken(), 1);

        sel->setLayer(5); // the lesson has one layer: clamped
        QCOMPARE(sel->layer(), 0);
        QCOMPARE(m_window->selectionToolBar()->layerBox()->value(), 0);
    }

    void maskModesMatchTheCore()
    {
        SelectionState* sel = m_window->selection();
        sel->setHead(0);
        QComboBox* mask = m_window->selectionToolBar()->maskBox();
        rerun([&]() {
            mask->setCurrentIndex(mask->findData(int(MaskOverride::None)));
            emit mask->activated(mask->currentIndex());
        });
        QCOMPARE(sel->maskMode(), MaskOverride::None);
        const Matrix none = m_window->heatmapView()->data().values;
        QVERIFY(none.isApprox(headWeights(*coreRun(MaskOverride::None), 0)));
        QVERIFY(!m_window->heatmapView()->data().isMasked(0, 3));

        rerun([&]() { sel->setMaskMode(MaskOverride::Causal); });
        const Matrix causal = m_window->heatmapView()->data().values;
        QVERIFY(causal.isApprox(headWeights(*coreRun(MaskOverride::Causal), 0)));
        QVERIFY(!causal.isApprox(none));
        QCOMPARE(causal(0, 3), 0.0f);
        QVERIFY(m_window->heatmapView()->data().isMasked(0, 3));
    }

    void customMaskByClicking()
    {
        SelectionState* sel = m_window->selection();
        rerun([&]() { sel->setMaskMode(MaskOverride::Custom); }); // starts from the causal mask
        QCOMPARE(m_window->heatmapView()->data().values(0, 1), 0.0f);
        HeatmapView* heatmap = m_window->heatmapView();
        rerun([&]() {
            QTest::mouseClick(heatmap, Qt::LeftButton, {},
                              heatmap->currentLayout().grid.cellRect(0, 1).center().toPoint());
        });
        QCOMPARE(int(sel->customMask()(0, 1)), 1);
        const auto core = coreRun(MaskOverride::Custom, {}, sel->customMask());
        QVERIFY(heatmap->data().values.isApprox(headWeights(*core, 0)));
        QVERIFY(heatmap->data().values(0, 1) > 0.0f);
        rerun([&]() { sel->setMaskMode(MaskOverride::ModelDefault); });
    }

    void ablationChangesTheOutput()
    {
        SelectionState* sel = m_window->selection();
        const Matrix before = m_window->result()->pipeline->output;
        rerun([&]() { sel->setHeadAblated(0, 1, true); });
        const Matrix after = m_window->result()->pipeline->output;
        QVERIFY(!after.isApprox(before));
        QVERIFY(after.isApprox(coreRun(MaskOverride::ModelDefault, {{0, 1}})->pipeline->output));
        QVERIFY(m_window->headChips()->chips().at(1).struck);
        rerun([&]() { sel->setHeadAblated(0, 1, false); });
        QVERIFY(m_window->result()->pipeline->output.isApprox(before));
    }

    void meanOfHeads()
    {
        SelectionState* sel = m_window->selection();
        QCheckBox* mean = m_window->selectionToolBar()->meanBox();
        mean->setChecked(true);
        QVERIFY(sel->meanOfHeads());
        QCOMPARE(m_window->headChips()->current(), -1); // no single head is "the" head of a mean
        const auto core = coreRun(MaskOverride::ModelDefault);
        const Matrix expected = (headWeights(*core, 0) + headWeights(*core, 1)) / 2.0f;
        QVERIFY(m_window->heatmapView()->data().values.isApprox(expected));
        sel->setHeadEnabled(1, false);
        QVERIFY(m_window->heatmapView()->data().values.isApprox(headWeights(*core, 0)));
        sel->setHeadEnabled(0, false);
        QVERIFY(m_window->heatmapView()->data().isEmpty()); // nothing to average: the empty state
        sel->setHeadEnabled(0, true);
        sel->setHeadEnabled(1, true);
        mean->setChecked(false);
        QCOMPARE(m_window->headChips()->current(), sel->head());
    }

    void staleResultIsMarked()
    {
        // From the moment a toggle changes until the new result arrives, the views say they are stale.
        StaleOverlay* overlay = m_window->staleOverlay();
        overlay->setDelay(0);
        QVERIFY(!overlay->isVisible());
        SelectionState* sel = m_window->selection();
        // A lesson runs so fast that its result may arrive inside the call: watch the transitions.
        QList<bool> states;
        QList<bool> shownWhileStale;
        connect(overlay, &StaleOverlay::staleChanged, this, [&](bool stale) {
            states << stale;
            shownWhileStale << overlay->isVisible();
        });
        rerun([&]() { sel->setMaskMode(MaskOverride::None); });
        rerun([&]() { sel->setMaskMode(MaskOverride::ModelDefault); });
        overlay->setDelay(StaleOverlay::kDefaultDelayMs);
        disconnect(overlay, &StaleOverlay::staleChanged, this, nullptr);
        QCOMPARE(states, (QList<bool>{true, false, true, false}));
        QCOMPARE(shownWhileStale, (QList<bool>{true, false, true, false}));
        QVERIFY(!overlay->isVisible());
    }

    void rolloutInTheHeatmap()
    {
        SelectionState* sel = m_window->selection();
        QCheckBox* box = m_window->selectionToolBar()->rolloutBox();
        // Computed with a run, off the UI thread (stats/derive.h).
        rerun([&]() { box->setChecked(true); });
        QVERIFY(sel->rollout());
        QVERIFY(!m_window->selectionToolBar()->headBox()->isEnabled()); // rollout uses the head chips
        // One layer: 0.5 x the mean of the two heads + 0.5 x I (rows already sum to 1).
        const auto core = coreRun(MaskOverride::ModelDefault);
        const Matrix mean = (headWeights(*core, 0) + headWeights(*core, 1)) / 2.0f;
        const Matrix expected = 0.5f * mean + 0.5f * Matrix::Identity(mean.rows(), mean.cols());
        const HeatmapData& data = m_window->heatmapView()->data();
        QVERIFY(data.rollout);
        QVERIFY(data.values.isApprox(expected));
        QVERIFY(data.title.contains(QLatin1String("rollout")));
        rerun([&]() { sel->setHeadEnabled(1, false); }); // only head 0 rolled out
        QVERIFY(m_window->heatmapView()->data().values.isApprox(
            0.5f * headWeights(*core, 0) + 0.5f * Matrix::Identity(mean.rows(), mean.cols())));
        rerun([&]() { sel->setHeadEnabled(1, true); });
        // A result without the rollout (the run is still on its way) is not shown as one.
        const HeatmapData pending = HeatmapData::build(coreRun(MaskOverride::ModelDefault), *sel);
        QVERIFY(pending.isEmpty());
        QVERIFY(pending.emptyMessage.contains(QLatin1String("Computing")));
        box->setChecked(false); // turning it off needs no run
        QVERIFY(!m_window->heatmapView()->data().rollout);
        QVERIFY(m_window->heatmapView()->data().values.isApprox(headWeights(*core, sel->head())));
    }

    void sideViewFollowsTheResult()
    {
        SideViewDock* dock = m_window->sideViewDock();
        QVERIFY(dock->isHidden());
        QVERIFY(dock->setViewName(QStringLiteral("heatmap")));
        dock->show();
        QTRY_VERIFY(dock->view() != nullptr && dock->view()->result() == m_window->result());
        QCOMPARE(dock->view()->viewName(), QStringLiteral("heatmap"));
        QVERIFY(!dock->setViewName(QStringLiteral("nonsense")));
        dock->hide();
    }

    void pixelsEncodeWeights()
    {
        HeatmapView* heatmap = m_window->heatmapView();
        m_window->selection()->setHead(0);
        heatmap->setShowValues(false); // sample the cell centres without digits on them
        const QSize size(640, 480);
        const QImage image = heatmap->renderImage(size, 1.0);
        const ColorMap map{m_window->selection()->colorMap()};
        HeatmapPainter painter(heatmap->data(), map, heatmap->font(), heatmap->palette());
        const HeatmapLayout layout = painter.layout(QRectF(QPointF(0, 0), QSizeF(size)), heatmap->cellSize());
        const HeatmapData& data = heatmap->data();
        QVERIFY(layout.grid.cellSize >= 14);
        for (int i = 0; i < data.rows(); ++i) {
            for (int j = 0; j < data.cols(); ++j) {
                const QRgb pixel = image.pixel(layout.grid.cellRect(i, j).center().toPoint());
                const double t = map.valueOf(pixel);
                if (data.isMasked(i, j)) {
                    QVERIFY2(t < 0 || std::abs(t - data.values(i, j)) > 0.05,
                             "masked cells are not coloured as weights");
                } else {
                    QVERIFY2(
                        std::abs(t - data.values(i, j)) < 0.02,
                        qPrintable(QStringLiteral("cell %1,%2: %3 vs %4").arg(i).arg(j).arg(t).arg(data.values(i, j))));
                }
            }
        }
        heatmap->setShowValues(true);
    }

    void largeHeatmapRepaintsFromItsCache()
    {
        // A long input makes the view far larger than its scroll area, so it caches only around the
        // visible part. What the window shows must follow head, colour map, scrolling, zoom and hover.
        SelectionState sel;
        sel.setShape(1, 1, 2, 800); // long enough to scroll even at the smallest fitted cells
        auto* view = new HeatmapView(&sel);
        view->setResult(testdata::synthetic(1, 2, 800)); // head 0: previous token, head 1: first token
        view->setShowValues(false);                      // sample cell centres without digits
        QScrollArea scroll;
        scroll.setWidget(view);
        scroll.setWidgetResizable(true);
        scroll.resize(640, 480);
        scroll.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scroll));
        // Fitted, the long input is an overview within the window; zoomed in, it scrolls.
        QVERIFY(view->height() <= scroll.viewport()->height());
        QVERIFY(view->currentLayout().grid.pool() > 1);
        while (view->currentLayout().grid.cellSize < 6.0)
            view->zoomBy(1);
        QTRY_VERIFY(view->height() > 8 * scroll.viewport()->height());
        // The window's backing store: what repaints left on screen, cache and all.
        const auto onScreen = [&]() {
            return scroll.screen()->grabWindow(scroll.winId()).toImage().convertToFormat(QImage::Format_RGB32);
        };
        const auto shown = [&](int row, int col) {
            const QPointF centre = view->currentLayout().grid.cellRect(row, col).center();
            return QColor(onScreen().pixel(view->mapTo(&scroll, centre.toPoint())));
        };
        const auto color = [&](double t) { return QColor(ColorMap{sel.colorMap()}.rgb(t)); };

        QTRY_COMPARE(shown(10, 9), color(1.0));
        QCOMPARE(shown(10, 0), color(0.0));
        sel.setHead(1);
        QTRY_COMPARE(shown(10, 0), color(1.0));
        QCOMPARE(shown(10, 9), color(0.0));
        sel.setColorMap(ColorMapKind::Magma);
        QTRY_COMPARE(shown(10, 0), color(1.0));

        // Far down and right: outside the first cached area.
        const QPointF far = view->currentLayout().grid.cellRect(300, 299).center();
        scroll.ensureVisible(int(far.x()), int(far.y()));
        QTRY_COMPARE(shown(300, 299), color(0.0));
        sel.setHead(0);
        QTRY_COMPARE(shown(300, 299), color(1.0));
        view->zoomBy(1);
        const QPointF zoomed = view->currentLayout().grid.cellRect(300, 299).center();
        scroll.ensureVisible(int(zoomed.x()), int(zoomed.y()));
        QTRY_COMPARE(shown(300, 299), color(1.0));
        QCOMPARE(shown(300, 298), color(0.0));

        // Hovering repaints only the cells it leaves and enters: no frame may stay behind.
        for (const auto& [row, col] : {std::pair{300, 298}, {301, 299}, {300, 299}}) {
            const QPointF centre = view->currentLayout().grid.cellRect(row, col).center();
            QTest::mouseMove(scroll.windowHandle(), view->mapTo(&scroll, centre.toPoint()));
        }
        QTRY_COMPARE(onScreen(), scroll.grab().toImage().convertToFormat(QImage::Format_RGB32));
        const QRectF hovered = view->currentLayout().grid.cellRect(300, 299);
        const QPoint edge = view->mapTo(&scroll, QPointF(hovered.center().x(), hovered.top() + 1).toPoint());
        QCOMPARE(QColor(onScreen().pixel(edge)), view->palette().color(QPalette::Text));
    }

    void zoomAndShortcuts()
    {
        HeatmapView* heatmap = m_window->heatmapView();
        const double fitted = heatmap->currentLayout().grid.cellSize;
        heatmap->zoomBy(3);
        QVERIFY(heatmap->cellSize() > fitted);
        QCOMPARE(heatmap->currentLayout().grid.cellSize, heatmap->cellSize());
        QVERIFY(heatmap->minimumWidth() > heatmap->cellSize() * heatmap->data().cols()); // scrolls, never squeezes
        heatmap->resetZoom();
        QCOMPARE(heatmap->cellSize(), 0.0);

        SelectionState* sel = m_window->selection();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_window->setFocus();
        sel->setQueryToken(1);
        QTest::keyClick(m_window.get(), Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(sel->queryToken(), 2);
        QTest::keyClick(m_window.get(), Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(sel->queryToken(), 1);
        const int head = sel->head();
        QTest::keyClick(m_window.get(), Qt::Key_Down, Qt::AltModifier); // next head
        QCOMPARE(sel->head(), (head + 1) % sel->headCount()); // wraps around
        QTest::keyClick(m_window.get(), Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(m_window->currentViewName(), QStringLiteral("arcs"));
        QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(m_window->currentViewName(), QStringLiteral("heatmap"));
        sel->setHead(head);
    }

    void heatmapFitFitsBothAxes()
    {
        // Forty tokens in a 900 x 600 window: the fitted cells used to stop at 14 px, so the last
        // rows needed a vertical scroll bar beside 500 px of unused width. Shrinking the window and
        // growing it again, or Fit after a zoom, must give the same fitted picture back.
        SelectionState sel;
        sel.setShape(1, 1, 2, 40);
        auto* view = new HeatmapView(&sel);
        view->setResult(testdata::synthetic(1, 2, 40));
        QScrollArea scroll;
        scroll.setWidget(view);
        scroll.setWidgetResizable(true);
        scroll.resize(900, 600);
        scroll.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scroll));
        const auto fitsBothAxes = [&]() {
            const QRectF grid = view->currentLayout().grid.gridRect();
            return view->size() == scroll.viewport()->size() && !scroll.horizontalScrollBar()->isVisible() &&
                   !scroll.verticalScrollBar()->isVisible() && grid.right() <= view->width() &&
                   grid.bottom() <= view->height();
        };
        QTRY_VERIFY(fitsBothAxes());
        const double fitted = view->currentLayout().grid.cellSize;

        scroll.resize(300, 200); // smaller than the smallest cells: the view scrolls
        QTRY_VERIFY(scroll.verticalScrollBar()->isVisible());
        scroll.resize(900, 600);
        QTRY_VERIFY(fitsBothAxes());
        QCOMPARE(view->currentLayout().grid.cellSize, fitted);

        view->zoomBy(4);
        QTRY_VERIFY(scroll.horizontalScrollBar()->isVisible());
        view->resetZoom();
        QTRY_VERIFY(fitsBothAxes());
        QCOMPARE(view->currentLayout().grid.cellSize, fitted);
    }

    void heatmapRefitsWhenTheWindowShrinksAndGrows()
    {
        // The same in the window, also while another view is on top.
        MainWindow window(nullptr, false);
        window.setDialogsEnabled(false);
        window.resize(1200, 740);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setText(QStringLiteral("the cat sat on the mat. ").repeated(2));
        window.openModel(QStringLiteral("builtin:decoder"));
        QTRY_VERIFY_WITH_TIMEOUT(window.result() && window.computeService()->isIdle(), 20000);
        HeatmapView* heatmap = window.heatmapView();
        const auto fitted = [&]() { return heatmap->currentLayout().grid.cellSize; };
        // Measured once the token strip has grown to its rows (it starts as one row).
        const QWidget* tokenRows = window.tokenStrip()->parentWidget()->parentWidget();
        const ChipStrip* strip = window.tokenStrip();
        QTRY_COMPARE(tokenRows->height(), std::min(strip->heightForWidth(strip->width()), 96));
        QTest::qWait(100);
        const double large = fitted();
        QVERIFY(large > 0);
        for (const QString& shownMeanwhile : {QStringLiteral("heatmap"), QStringLiteral("arcs")}) {
            window.setCurrentView(shownMeanwhile);
            window.resize(640, 480);
            QTRY_VERIFY(window.centralWidget()->width() <= 640);
            if (heatmap->isVisible())
                QTRY_VERIFY(fitted() < large);
            window.resize(1200, 740);
            window.setCurrentView(QStringLiteral("heatmap"));
            QTRY_COMPARE(fitted(), large);
            const QRectF grid = heatmap->currentLayout().grid.gridRect();
            QVERIFY(grid.right() <= heatmap->width() && grid.bottom() <= heatmap->height());
        }
    }

    void headAndLayerKeysWorkInTheTextField()
    {
        // Alt+Up/Down (head) and Ctrl+Up/Down (layer) must reach the window from the text field,
        // while Ctrl+Left/Right keep jumping by words there.
        MainWindow window(nullptr, false);
        window.setDialogsEnabled(false);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy shown(&window, &MainWindow::resultShown);
        window.setText(QStringLiteral("The cat sat on the mat"));
        window.openModel(QStringLiteral("builtin:decoder"));
        QTRY_VERIFY_WITH_TIMEOUT(window.result() && window.computeService()->isIdle(), 20000);
        SelectionState* sel = window.selection();
        QPlainTextEdit* edit = window.inputPanel()->textEdit();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        edit->setFocus();
        edit->moveCursor(QTextCursor::End);
        QCOMPARE(sel->head(), 0);
        QTest::keyClick(edit, Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(sel->head(), 1);
        QTest::keyClick(edit, Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(sel->head(), 0);
        const int layer = sel->layer();
        QTest::keyClick(edit, Qt::Key_Down, Qt::ControlModifier);
        QCOMPARE(sel->layer(), (layer + 1) % sel->layerCount());
        const int end = edit->textCursor().position();
        QTest::keyClick(edit, Qt::Key_Left, Qt::ControlModifier);
        QCOMPARE(edit->textCursor().position(), end - 3); // a word jump to the start of "mat"
        QCOMPARE(sel->head(), 0);
        QTest::keyClick(edit, Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(edit->textCursor().position(), end);
        QCOMPARE(sel->head(), 0);

        // Help lists the keys the menus really have.
        const QString help = window.findChild<WindowActions*>()->shortcutsHelpText();
        QVERIFY2(help.contains(QKeySequence(QStringLiteral("Alt+Down")).toString(QKeySequence::NativeText) +
                               QStringLiteral(": Next Head")),
                 qPrintable(help));
        QVERIFY(!help.contains(QStringLiteral("Ctrl+Left")));
    }

    void checkpointWithoutTokenizerTakesIds()
    {
        // tests/data/models/gpt2 has config.json and weights but no tokenizer files.
        MainWindow window(nullptr, false);
        window.setDialogsEnabled(false);
        window.show();
        window.openModel(QStringLiteral(ATTNVIZ_TEST_DATA "/models/gpt2"));
        QTRY_VERIFY_WITH_TIMEOUT(!window.loadedModelSpec().isEmpty(), 20000);
        QVERIFY(window.inputPanel()->takesIds());
        QVERIFY(window.inputPanel()->textEdit()->isVisible());
        QVERIFY(window.inputPanel()->textEdit()->placeholderText().contains(QStringLiteral("token ids")));
        window.setText(QStringLiteral("1 2, 3"));
        QTRY_VERIFY_WITH_TIMEOUT(window.result() && window.result()->tokens.size() == 3 &&
                                     window.computeService()->isIdle(),
                                 20000);
        QCOMPARE(window.result()->tokens[2].id, 3);
        const auto shown = window.result();
        window.setText(QStringLiteral("1 x"));
        QTRY_VERIFY_WITH_TIMEOUT(window.noticeText().contains(QStringLiteral("\u201cx\u201d is not a token id")), 5000);
        QCOMPARE(window.result(), shown); // nothing ran
    }

    void fitsASmallScreen()
    {
        MainWindow window(nullptr, false);
        QCOMPARE(window.size(), MainWindow::defaultSize());
        QVERIFY(MainWindow::defaultSize().height() <= 760); // a 1280 x 800 screen, minus title bar and panel
        QVERIFY2(window.minimumSizeHint().height() <= MainWindow::defaultSize().height(),
                 qPrintable(QString::number(window.minimumSizeHint().height())));
        QVERIFY(window.minimumSizeHint().width() <= 1280);
    }

    void badModelAtStartFallsBackToTheDefault()
    {
        MainWindow window(nullptr, false);
        window.setDialogsEnabled(false);
        window.openModel(QStringLiteral("/no/such/model.bin"));
        QTRY_COMPARE_WITH_TIMEOUT(window.loadedModelSpec(), MainWindow::defaultModelSpec(), 20000);
        QVERIFY2(window.noticeText().contains(QStringLiteral("/no/such/model.bin")), qPrintable(window.noticeText()));
    }

    void followsADarkPalette()
    {
        // A dark system palette reaches the views: dark background, light labels, same cell colours.
        const QPalette light = QApplication::palette();
        QPalette dark = light;
        dark.setColor(QPalette::Window, QColor(37, 37, 38));
        dark.setColor(QPalette::Base, QColor(30, 30, 30));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(50, 50, 52));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        QApplication::setPalette(dark);
        HeatmapView* heatmap = m_window->heatmapView();
        QTRY_COMPARE(heatmap->palette().color(QPalette::Base), QColor(30, 30, 30));
        const QImage image = heatmap->renderImage(QSize(640, 480));
        QCOMPARE(QColor(image.pixel(2, 2)), QColor(30, 30, 30));
        if (qEnvironmentVariableIsSet("ATTNVIZ_TEST_SAVE_IMAGES"))
            m_window->grab().save(QDir::temp().filePath(QStringLiteral("attnviz-dark.png")));
        QApplication::setPalette(light);
        QTRY_COMPARE(heatmap->palette().color(QPalette::Base), light.color(QPalette::Base));
        QCOMPARE(QColor(heatmap->renderImage(QSize(640, 480)).pixel(2, 2)), light.color(QPalette::Base));
    }

    void failedModelKeepsThePreviousOne()
    {
        QSignalSpy failed(m_window.get(), &MainWindow::modelLoadFailed);
        const auto before = m_window->computeService()->model();
        m_window->openModel(QStringLiteral("/no/such/model.bin"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        QCOMPARE(m_window->computeService()->model(), before);
        QCOMPARE(m_window->loadedModelSpec(), kLesson);
    }

    void crossAttentionAxes()
    {
        rerun([&]() {
            m_window->openModel(QStringLiteral(ATTNVIZ_RESOURCES "/lessons/cross-attention-translation.json"));
        });
        const HeatmapData& data = m_window->heatmapView()->data();
        QVERIFY(data.cross);
        QCOMPARE(data.rowLabels, (QStringList{"le", "chat", "noir"}));
        QCOMPARE(data.colLabels, (QStringList{"the", "black", "cat", "."}));
    }

    void sentencePairBlocks()
    {
        // A BERT-style pair: the toolbar offers A → B / B → A, and the heatmap shows that block.
        SelectionToolBar* bar = m_window->selectionToolBar();
        rerun([&]() { m_window->openModel(kLesson); });
        QVERIFY(!bar->sentenceBlockBox()->isVisibleTo(bar)); // one sentence: no choice
        rerun([&]() {
            m_window->setText(QStringLiteral("the cat sat"));
            m_window->inputPanel()->setSecondText(QStringLiteral("it was tired"));
            m_window->openModel(QStringLiteral("builtin:encoder"));
        });
        // The text edits may show a run of the lesson first: wait for the encoder's pair.
        const auto isPair = [&]() {
            const auto& tokens = m_window->result()->tokens;
            return std::any_of(tokens.begin(), tokens.end(), [](const Token& t) { return t.segment == 1; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(isPair() && m_window->computeService()->isIdle(), 20000);
        // The toolbar lays out a widget it shows on a later event, not at once.
        QTRY_VERIFY_WITH_TIMEOUT(bar->sentenceBlockBox()->isVisibleTo(bar), 5000);
        const HeatmapView* heatmap = m_window->heatmapView();
        const int all = heatmap->data().rows();
        QVERIFY(heatmap->data().rowBoundary > 0);
        QComboBox* box = bar->sentenceBlockBox();
        box->setCurrentIndex(box->findData(int(SentenceBlock::AToB)));
        emit box->activated(box->currentIndex());
        QCOMPARE(m_window->selection()->sentenceBlock(), SentenceBlock::AToB);
        QCOMPARE(heatmap->data().rowBoundary, -1); // one sentence on each axis
        QCOMPARE(heatmap->data().rows() + heatmap->data().cols(), all);
        m_window->selection()->setSentenceBlock(SentenceBlock::All);
        QCOMPARE(heatmap->data().rows(), all);
        m_window->inputPanel()->setSecondText(QString());
    }

    void translatorStacks()
    {
        const auto models = builtinModelNames();
        if (std::find(models.begin(), models.end(), "translator") == models.end())
            QFAIL("builtin:translator is not shipped");
        rerun([&]() {
            m_window->setText(QStringLiteral("the cat sat"));
            m_window->inputPanel()->setSecondText(QStringLiteral("le chat")); // a target: no slow greedy decoding
            m_window->openModel(QStringLiteral("builtin:translator"));
        });
        QVERIFY(!m_window->inputPanel()->secondTextEdit()->isHidden()); // the optional target field
        QCOMPARE(m_window->result()->tokens.at(1).display.find("le") != std::string::npos, true);
        const auto& r = *m_window->result();
        QCOMPARE(int(r.stacks.size()), 3);
        SelectionState* sel = m_window->selection();
        connect(m_window->computeService(), &ComputeService::computeFailed, this,
                [](const QString& m) { qWarning() << "computeFailed" << m; });
        for (int stack = 0; stack < 3; ++stack) {
            // Every stack's maps are in the result: with the heatmap shown, a switch runs nothing.
            QSignalSpy shown(m_window.get(), &MainWindow::resultShown);
            sel->setStack(stack);
            QTest::qWait(150);
            QCOMPARE(shown.count(), 0);
            const auto& now = *m_window->result();
            const AttentionTensor& a = now.stacks[std::size_t(stack)].attention;
            const HeatmapData& data = m_window->heatmapView()->data();
            QCOMPARE(data.rows(), a.queries);
            QCOMPARE(data.cols(), a.keys);
            const auto& queryTokens = stack == 0 ? now.sourceTokens : now.tokens;
            QCOMPARE(m_window->tokenStrip()->chips().size(), qsizetype(queryTokens.size()));
            QCOMPARE(data.cross, stack == 2);
            const QString counts[] = {QStringLiteral("%1 source tokens").arg(now.sourceTokens.size()),
                                      QStringLiteral("%1 target tokens").arg(now.tokens.size()),
                                      QStringLiteral("%1 target × %2 source tokens")
                                          .arg(now.tokens.size())
                                          .arg(now.sourceTokens.size())};
            QVERIFY2(m_window->statsText().startsWith(counts[stack]), qPrintable(m_window->statsText()));
        }
        // The pipeline view, once shown, fetches the capture of the stack shown.
        rerun([&]() { m_window->setCurrentView(QStringLiteral("pipeline")); });
        QCOMPARE(m_window->result()->pipeline->stack, 2);
        rerun([&]() { sel->setStack(0); });
        QCOMPARE(m_window->result()->pipeline->stack, 0);
        m_window->setCurrentView(QStringLiteral("heatmap"));

        // --stack: the next result opens on the stack of that name, shaped as that stack.
        rerun([&]() {
            m_window->setPendingStack(QStringLiteral("Cross"));
            m_window->setText(QStringLiteral("the red cat sat"));
        });
        QCOMPARE(sel->stack(), 2);
        QCOMPARE(m_window->heatmapView()->data().cols(), m_window->result()->stacks[2].attention.keys);
        QVERIFY(m_window->heatmapView()->data().cross);
        rerun([&]() {
            m_window->setPendingStack(QStringLiteral("middle"));
            m_window->setText(QStringLiteral("the red cat"));
        });
        QCOMPARE(sel->stack(), 2); // an unknown name changes nothing, and says which names there are
        QVERIFY2(m_window->noticeText().contains(QLatin1String("encoder, decoder, cross")), qPrintable(m_window->noticeText()));
        sel->setStack(0);
    }

    // An edit of the text keeps the custom mask's edits between unchanged tokens, says how to edit
    // it, and costs one run (no second run to reseed the mask).
    void customMaskFollowsNewText()
    {
        const auto models = builtinModelNames();
        if (std::find(models.begin(), models.end(), "decoder") == models.end())
            QFAIL("builtin:decoder is not shipped");
        rerun([&]() {
            m_window->setText(QStringLiteral("one two three"));
            m_window->openModel(QStringLiteral("builtin:decoder"));
        });
        SelectionState* sel = m_window->selection();
        sel->setLayer(0);
        sel->setHead(0);
        rerun([&]() { sel->setMaskMode(MaskOverride::Custom); });
        QVERIFY2(m_window->noticeText().contains(QLatin1String("click a heatmap cell")), qPrintable(m_window->noticeText()));
        const int before = sel->queryCount();
        QVERIFY(before >= 3);
        QCOMPARE(int(sel->customMask()(before - 1, 1)), 1); // seeded from the causal mask
        rerun([&]() { sel->toggleCustomMaskCell(before - 1, 1); }); // forbid: last token → token 1
        QCOMPARE(int(sel->customMask()(before - 1, 1)), 0);

        QSignalSpy results(m_window->computeService(), &ComputeService::resultReady);
        rerun([&]() { m_window->setText(QStringLiteral("one two three four five six")); });
        QTRY_VERIFY_WITH_TIMEOUT(m_window->computeService()->isIdle(), 20000);
        QCOMPARE(results.count(), 1);
        const int after = sel->queryCount();
        QVERIFY(after > before);
        QCOMPARE(sel->customMask().rows(), Index(after));
        // The old last token is a kept token of the common prefix; its edit survived.
        QCOMPARE(int(sel->customMask()(before - 1, 1)), 0);
        for (int i = 0; i < after; ++i) {
            for (int j = 0; j < after; ++j) {
                if (i == before - 1 && j == 1)
                    continue;
                QCOMPARE(int(sel->customMask()(i, j)), j <= i ? 1 : 0); // the causal mask elsewhere
            }
        }
        // And the views show exactly what the core computes with that mask.
        RunRequest r;
        r.text = "one two three four five six";
        r.mask = MaskOverride::Custom;
        r.customMask = sel->customMask();
        const auto core = openModel("builtin:decoder")->run(r);
        QVERIFY(m_window->heatmapView()->data().values.isApprox(headWeights(*core, 0)));
        rerun([&]() { sel->setMaskMode(MaskOverride::ModelDefault); });
    }

    void awkwardInputNeverBreaks_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("empty");
        QTest::newRow("spaces") << QStringLiteral("   \n\t ") << true;
        QTest::newRow("emoji") << QStringLiteral("I ❤️ 🐈‍⬛ and 👩🏽‍💻!") << false;
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("rtl") << QStringLiteral("שלום עולם مرحبا بالعالم") << false;
        QTest::newRow("control") << QStringLiteral("a\x01b\x7f\u200Fc\r\nd") << false;
        QTest::newRow("huge paste") << QStringLiteral("the cat sat on the mat. ").repeated(3000) << false;
    }
    void awkwardInputNeverBreaks()
    {
        QFETCH(QString, text);
        QFETCH(bool, empty);
        const auto models = builtinModelNames();
        if (std::find(models.begin(), models.end(), "decoder") == models.end())
            QFAIL("builtin:decoder is not shipped");
        if (m_window->loadedModelSpec() != QLatin1String("builtin:decoder")) {
            rerun([&]() { m_window->openModel(QStringLiteral("builtin:decoder")); });
        }
        rerun([&]() { m_window->setText(text); });
        if (empty) {
            QVERIFY(!m_window->result());
            QVERIFY(m_window->heatmapView()->data().isEmpty());
            QVERIFY(!m_window->heatmapView()->data().emptyMessage.isEmpty());
            QVERIFY(m_window->tokenStrip()->chips().isEmpty());
            return;
        }
        QVERIFY(m_window->result());
        const int tokens = static_cast<int>(m_window->result()->tokens.size());
        QVERIFY(tokens > 0);
        QCOMPARE(m_window->tokenStrip()->chips().size(), tokens);
        QCOMPARE(m_window->heatmapView()->data().rows(), tokens);
        for (const Chip& c : m_window->tokenStrip()->chips())
            QVERIFY(!c.text.isEmpty());
        const QImage image = m_window->heatmapView()->renderImage(QSize(400, 300));
        QVERIFY(!image.isNull());
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"

