// Presentation mode: F5 shows the current view alone, full screen, in large type on a dark
// palette (Qt Charts included); plain keys step query, head and layer; Esc gives the window back
// exactly as it was.
#include "lessons/lessoneditor.h"
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "shell/presentationmode.h"
#include "views/pipeline/pipelineview.h"
#include "shell/sideviewdock.h"
#include "shell/viewhint.h"
#include "shell/windowactions.h"
#include "state/computeservice.h"
#include "state/selectionstate.h"
#include "views/arcs/arcsview.h"
#include "views/charts/chartsview.h"
#include "views/modelgrid/modelgridview.h"
#include "views/heatmap/heatmapview.h"
#include "widgets/selectiontoolbar.h"
#include "widgets/tokenstrip.h"

#include <QChart>
#include <QChartView>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTextCursor>

using namespace attnviz;

namespace {

// The share of an image's pixels that are light (HSL lightness above 160 of 255).
double lightShare(const QImage& image)
{
    qint64 light = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            light += image.pixelColor(x, y).lightness() > 160;
    }
    return double(light) / (double(image.width()) * image.height());
}

} // namespace

class TestPresentation : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_window;

    void press(Qt::Key key, Qt::KeyboardModifiers modifiers = {})
    {
        QWidget* target = QApplication::focusWidget() != nullptr ? QApplication::focusWidget() : m_window.get();
        QTest::keyClick(target, key, modifiers);
    }

private slots:
    void initTestCase()
    {
        m_window = std::make_unique<MainWindow>(nullptr, false);
        m_window->setDialogsEnabled(false);
        m_window->resize(1100, 700);
        m_window->move(40, 30);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->setText(QStringLiteral("The cat sat on the mat"));
        m_window->openModel(QStringLiteral("builtin:decoder"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->result() && m_window->computeService()->isIdle(), 20000);
        QVERIFY(m_window->selection()->layerCount() > 1 && m_window->selection()->headCount() > 1);
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void hidesTheChromeAndEnlargesTheType()
    {
        MainWindow& w = *m_window;
        w.sideViewDock()->show();
        QVERIFY(w.inputPanel()->isVisible() && w.selectionToolBar()->isVisible() && w.sideViewDock()->isVisible());
        const qreal normalSize = w.heatmapView()->font().pointSizeF();
        w.inputPanel()->textEdit()->setFocus();
        press(Qt::Key_F5); // from the text field, too
        QVERIFY(w.presentationMode()->isActive());
        QVERIFY(w.isFullScreen());
        for (QWidget* chrome : std::initializer_list<QWidget*>{w.inputPanel(), w.selectionToolBar(), w.tokenStrip(),
                                                              w.sideViewDock(), w.menuBar(), w.statusBar(),
                                                              w.viewTabs()->tabBar()}) {
            QVERIFY2(!chrome->isVisible(), chrome->metaObject()->className());
        }
        QVERIFY(w.heatmapView()->isVisible());
        QVERIFY(w.heatmapView()->font().pointSizeF() >= normalSize * 1.5);
        QVERIFY(w.heatmapView()->palette().color(QPalette::Base).lightness() < 60);
        const QImage heatmap = w.heatmapView()->grab().toImage();
        QVERIFY(heatmap.pixelColor(3, 3).lightness() < 60); // around the cells, which keep their colours
        QVERIFY(heatmap.pixelColor(heatmap.width() - 3, heatmap.height() - 3).lightness() < 60);
        press(Qt::Key_Escape);
        QVERIFY(!w.presentationMode()->isActive());
    }

    void keysStepTheSelection()
    {
        MainWindow& w = *m_window;
        SelectionState* sel = w.selection();
        sel->setLayer(0);
        sel->setHead(0);
        sel->setQueryToken(1);
        w.presentationMode()->setActive(true);
        press(Qt::Key_Right);
        QCOMPARE(sel->queryToken(), 2);
        press(Qt::Key_Left);
        press(Qt::Key_Left);
        QCOMPARE(sel->queryToken(), 0);
        press(Qt::Key_Down);
        QCOMPARE(sel->head(), 1);
        press(Qt::Key_Up);
        press(Qt::Key_Up); // wraps around, like the menus' Alt+Up
        QCOMPARE(sel->head(), sel->headCount() - 1);
        press(Qt::Key_PageDown);
        QCOMPARE(sel->layer(), 1);
        press(Qt::Key_PageUp);
        QCOMPARE(sel->layer(), 0);
        QCOMPARE(sel->queryToken(), 0); // each key moves only its own part of the selection
        QCOMPARE(sel->head(), sel->headCount() - 1);
        // The menus' keys keep working with the menu bar hidden: another view, the next head.
        press(Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(w.currentViewName(), QStringLiteral("arcs"));
        QVERIFY(!w.viewTabs()->tabBar()->isVisible());
        press(Qt::Key_Down, Qt::AltModifier);
        QCOMPARE(sel->head(), 0);
        press(Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(w.currentViewName(), QStringLiteral("heatmap"));
        // The pipeline's stages step on "." and ",", whichever widget has the focus.
        QVERIFY(w.setCurrentView(QStringLiteral("pipeline")));
        PipelineView* pipeline = nullptr;
        for (AttentionView* v : w.views())
            pipeline = pipeline != nullptr ? pipeline : qobject_cast<PipelineView*>(v);
        QVERIFY(pipeline != nullptr);
        QTRY_VERIFY(pipeline->stageCount() > 2);
        pipeline->showAllStages();
        press(Qt::Key_Period);
        QVERIFY(!pipeline->stepper().showsAll());
        const QString first = pipeline->stageExplanation();
        press(Qt::Key_Period);
        QVERIFY(pipeline->stageExplanation() != first);
        press(Qt::Key_Comma);
        QCOMPARE(pipeline->stageExplanation(), first);
        pipeline->showAllStages();
        QVERIFY(w.setCurrentView(QStringLiteral("heatmap")));
        press(Qt::Key_F5);
        QVERIFY(!w.presentationMode()->isActive());
        sel->setHead(0);
    }

    void plainKeysStayWithTheTextFieldOutsidePresentation()
    {
        MainWindow& w = *m_window;
        SelectionState* sel = w.selection();
        sel->setQueryToken(1);
        QPlainTextEdit* edit = w.inputPanel()->textEdit();
        edit->setFocus();
        edit->moveCursor(QTextCursor::End);
        const int end = edit->textCursor().position();
        QTest::keyClick(edit, Qt::Key_Left);
        QCOMPARE(edit->textCursor().position(), end - 1);
        QTest::keyClick(edit, Qt::Key_Up);
        QTest::keyClick(edit, Qt::Key_PageUp);
        QCOMPARE(sel->queryToken(), 1);
        QCOMPARE(sel->head(), 0);
        QCOMPARE(sel->layer(), 0);
        QTest::keyClick(edit, Qt::Key_Escape); // not presenting: nothing to leave, nothing changes
        QVERIFY(!w.presentationMode()->isActive());
        QVERIFY(!w.isFullScreen());
    }

    void escapeRestoresTheWindow()
    {
        MainWindow& w = *m_window;
        w.sideViewDock()->show();
        const bool editorHidden = w.lessonEditor()->isHidden(); // a hidden dock must stay hidden
        QTRY_VERIFY(w.sideViewDock()->isVisible());
        const QRect geometry = w.geometry();
        const QByteArray state = w.saveState();
        const QFont font = w.font();
        const QColor base = w.heatmapView()->palette().color(QPalette::Base);
        const qreal viewFont = w.heatmapView()->font().pointSizeF();
        const bool hintShown = w.viewHint()->isVisible();
        w.presentationMode()->setActive(true);
        QVERIFY(w.isFullScreen());
        QTRY_VERIFY(w.geometry() != geometry);
        QCOMPARE(w.presentationMode()->windowState(), state); // what the settings would save
        press(Qt::Key_Escape);
        QVERIFY(!w.presentationMode()->isActive());
        QTRY_COMPARE(w.geometry(), geometry);
        QVERIFY(!w.isFullScreen());
        QTRY_COMPARE(w.saveState(), state); // once the layout has settled
        QCOMPARE(w.font(), font);
        QVERIFY(!w.testAttribute(Qt::WA_SetPalette)); // inherited again, so system theme changes still reach it
        QVERIFY(!w.testAttribute(Qt::WA_SetFont));
        QCOMPARE(w.heatmapView()->palette().color(QPalette::Base), base);
        QCOMPARE(w.heatmapView()->font().pointSizeF(), viewFont);
        for (QWidget* chrome : std::initializer_list<QWidget*>{w.inputPanel(), w.selectionToolBar(), w.tokenStrip(),
                                                              w.sideViewDock(), w.menuBar(), w.statusBar(),
                                                              w.viewTabs()->tabBar()}) {
            QVERIFY2(chrome->isVisible(), chrome->metaObject()->className());
        }
        QCOMPARE(w.viewHint()->isVisible(), hintShown);
        QCOMPARE(w.lessonEditor()->isHidden(), editorHidden);
        QVERIFY(!w.presentationMode()->toggleAction()->isChecked());
        w.sideViewDock()->hide();
    }

    void chartsGoDark()
    {
        MainWindow& w = *m_window;
        QVERIFY(w.setCurrentView(QStringLiteral("chart")));
        auto* charts = qobject_cast<ChartsView*>(w.currentView());
        QVERIFY(charts != nullptr);
        QTRY_VERIFY(lightShare(charts->grab().toImage()) > 0.5); // light by default
        const int titlePixels = charts->distributionView()->chart()->titleFont().pixelSize();
        w.presentationMode()->setActive(true);
        // Qt Charts paints its own background: grab the chart views themselves, not a palette.
        for (QChartView* chart : {charts->distributionView(), charts->statsView()}) {
            QTRY_VERIFY(chart->isVisible());
            const QImage image = chart->grab().toImage();
            // Light text and grid lines only: no white boxes.
            QVERIFY2(lightShare(image) < 0.1, qPrintable(QString::number(lightShare(image))));
            QVERIFY(image.pixelColor(4, 4).lightness() < 60);
            QVERIFY(image.pixelColor(image.width() - 4, image.height() / 2).lightness() < 60);
        }
        QVERIFY(charts->distributionView()->chart()->titleFont().pixelSize() >= titlePixels * 1.5);
        w.presentationMode()->setActive(false);
        QTRY_VERIFY(lightShare(charts->distributionView()->grab().toImage()) > 0.5);
        QCOMPARE(charts->distributionView()->chart()->titleFont().pixelSize(), titlePixels);
        QVERIFY(w.setCurrentView(QStringLiteral("heatmap")));
    }

    void modelGridGrowsWithTheType()
    {
        MainWindow& w = *m_window;
        QVERIFY(w.setCurrentView(QStringLiteral("model")));
        auto* grid = qobject_cast<ModelGridView*>(w.currentView());
        QVERIFY(grid != nullptr);
        const QRectF screen(0, 0, 1280, 800);
        const ModelGridLayout normal = grid->layoutFor(screen);
        w.presentationMode()->setActive(true);
        const ModelGridLayout large = grid->layoutFor(screen);
        QVERIFY(large.rowLabelRect(0).width() >= normal.rowLabelRect(0).width() * 1.5);
        QVERIFY(large.badgeRect(0, 0).height() >= normal.badgeRect(0, 0).height() * 1.5);
        QVERIFY(large.badges);
        const int last = large.layers - 1;
        QVERIFY(large.badgeRect(last, 0).bottom() <= screen.bottom()); // the grid still fits
        w.presentationMode()->setActive(false);
        QCOMPARE(grid->layoutFor(screen).rowLabelRect(0), normal.rowLabelRect(0));
        QVERIFY(w.setCurrentView(QStringLiteral("heatmap")));
    }

    void arcsGrowWithTheType()
    {
        // The arcs draw in pixel sizes: they follow the view's text scale, rows and header with them.
        MainWindow& w = *m_window;
        QVERIFY(w.setCurrentView(QStringLiteral("arcs")));
        auto* arcs = qobject_cast<ArcsView*>(w.currentView());
        QVERIFY(arcs != nullptr);
        const QRectF screen(0, 0, 1280, 800);
        const ArcsLayout normal = arcs->layoutFor(screen);
        QCOMPARE(arcs->textScale(), 1.0);
        w.presentationMode()->setActive(true);
        QCOMPARE(arcs->textScale(), PresentationMode::kFontScale);
        const ArcsLayout large = arcs->layoutFor(screen);
        QVERIFY2(large.labelPixelSize >= normal.labelPixelSize * 1.4,
                 qPrintable(QStringLiteral("%1 -> %2").arg(normal.labelPixelSize).arg(large.labelPixelSize)));
        QVERIFY(large.rowHeight > normal.rowHeight);
        QVERIFY(large.leftColumn.bottom() <= screen.bottom()); // still fits
        w.presentationMode()->setActive(false);
        QCOMPARE(arcs->layoutFor(screen).labelPixelSize, normal.labelPixelSize);
        QVERIFY(w.setCurrentView(QStringLiteral("heatmap")));
    }

    void helpListsThePresentationKeys()
    {
        const QString help = m_window->findChild<WindowActions*>()->shortcutsHelpText();
        QVERIFY2(help.contains(QStringLiteral("F5: Presentation Mode")), qPrintable(help));
        const QString pageDown = QKeySequence(Qt::Key_PageDown).toString(QKeySequence::NativeText);
        QVERIFY2(help.contains(QStringLiteral("In presentation mode, %1: Next layer").arg(pageDown)), qPrintable(help));
        QVERIFY(!m_window->presentationMode()->toggleAction()->toolTip().isEmpty());
    }
};

QTEST_MAIN(TestPresentation)
#include "test_presentation.moc"
