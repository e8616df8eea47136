// The analysis the main window runs beyond raw attention: the logit lens and attribution views ask
// for their readings only while shown, the measure switch reruns with value-weighted maps, and
// Analysis → Head Importance scores every head in the background (progress, cancel) with the
// core's own numbers.
#include "shell/importancewindow.h"
#include "shell/mainwindow.h"
#include "views/modelgrid/modelgridview.h"
#include "state/computeservice.h"
#include "state/headimportancejob.h"
#include "state/runrequestbuilder.h"
#include "state/selectionstate.h"
#include "stats/headimportance.h"
#include "views/readouts/importanceview.h"
#include "widgets/selectiontoolbar.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace attnviz;

namespace {

void openDecoder(MainWindow& window, QSignalSpy& shown)
{
    window.setDialogsEnabled(false);
    window.show();
    window.openModel(QStringLiteral("builtin:decoder"));
    window.setText(QStringLiteral("The animal didn't cross the street because it was too tired."));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && window.computeService()->isIdle(), 30000);
}

} // namespace

class TestReadouts : public QObject
{
    Q_OBJECT
private slots:
    void readingsAreAskedForWhenTheirViewIsShown()
    {
        MainWindow window(nullptr, false);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        openDecoder(window, shown);
        QVERIFY(!window.result()->logitLens && !window.result()->attribution); // the heatmap needs neither
        QVERIFY(window.setCurrentView(QStringLiteral("lens")));
        QTRY_VERIFY_WITH_TIMEOUT(window.result()->logitLens.has_value() && window.computeService()->isIdle(), 30000);
        QVERIFY(window.setCurrentView(QStringLiteral("attribution")));
        QTRY_VERIFY_WITH_TIMEOUT(window.result()->attribution.has_value() && window.computeService()->isIdle(), 30000);
        const LogitAttribution& a = *window.result()->attribution;
        QVERIFY(std::abs(a.total() - a.logit) < 1e-3f * std::max(1.0f, std::abs(a.logit)));
        QCOMPARE(a.target, window.result()->nextToken.front().id);
    }

    void theModelGridAsksForAttributionBadges()
    {
        MainWindow window(nullptr, false);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        openDecoder(window, shown);
        QVERIFY(window.setCurrentView(QStringLiteral("model")));
        QTRY_VERIFY_WITH_TIMEOUT(window.computeService()->isIdle(), 30000);
        QVERIFY(!window.result()->attribution); // statistics badges need no logit split
        ModelGridView* grid = nullptr;
        for (AttentionView* v : window.views())
            grid = grid != nullptr ? grid : qobject_cast<ModelGridView*>(v);
        QVERIFY(grid != nullptr);
        QVERIFY(grid->shownAttribution() == nullptr);
        window.selection()->setGridBadges(GridBadges::LogitAttribution);
        QTRY_VERIFY_WITH_TIMEOUT(window.result()->attribution.has_value() && window.computeService()->isIdle(), 30000);
        QVERIFY(grid->shownAttribution() == &*window.result()->attribution);
        QVERIFY(grid->badgeNote().contains(QLatin1String("logit of")));
    }

    void theMeasureSwitchRerunsValueWeighted()
    {
        MainWindow window(nullptr, false);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        openDecoder(window, shown);
        QComboBox* box = window.selectionToolBar()->measureBox();
        const int at = box->findData(static_cast<int>(Measure::ValueWeighted));
        QVERIFY(at >= 0);
        box->setCurrentIndex(at);
        emit box->activated(at);
        QTRY_VERIFY_WITH_TIMEOUT(window.result()->stacks[0].measure == Measure::ValueWeighted &&
                                     window.computeService()->isIdle(),
                                 30000);
        QCOMPARE(window.selection()->measure(), Measure::ValueWeighted);
    }

    void headImportanceMatchesTheCore()
    {
        MainWindow window(nullptr, false);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        openDecoder(window, shown);
        window.selection()->setHeadAblated(0, 1, true);
        QTRY_VERIFY_WITH_TIMEOUT(window.computeService()->isIdle() && shown.count() >= 2, 30000);
        ImportanceWindow dialog(&window);
        QSignalSpy progress(dialog.job(), &HeadImportanceJob::progress);
        dialog.start();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.view()->importance().has_value(), 60000);
        const HeadImportance& shownImportance = *dialog.view()->importance();
        const ModelInfo info = window.computeService()->model()->info();
        QCOMPARE(progress.count(), info.layers * info.heads);

        const RunRequest request =
            RunRequestBuilder::build(*window.inputPanel(), *window.selection(), window.result().get());
        const HeadImportance core = headImportance(*window.computeService()->model(), request);
        QCOMPARE(shownImportance.target, core.target);
        QVERIFY(std::isnan(shownImportance.at(0, 1))); // the window's own ablation is kept
        for (int l = 0; l < core.layers; ++l)
            for (int h = 0; h < core.heads; ++h)
                if (!std::isnan(core.at(l, h))) QCOMPARE(shownImportance.at(l, h), core.at(l, h));
        QVERIFY(dialog.view()->grid().has_value());
        if (const QString gallery = qEnvironmentVariable("ATTNVIZ_GALLERY"); !gallery.isEmpty()) // for the README
            QVERIFY(dialog.view()->renderImage(dialog.view()->preferredExportSize().toSize())
                        .save(gallery + QStringLiteral("/importance.png")));
    }

    void headImportanceCanBeCancelled()
    {
        MainWindow window(nullptr, false);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        openDecoder(window, shown);
        ImportanceWindow dialog(&window);
        QSignalSpy failed(dialog.job(), &HeadImportanceJob::failed);
        dialog.start();
        dialog.job()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 30000);
        QVERIFY(!dialog.view()->importance().has_value());
    }
};

QTEST_MAIN(TestReadouts)
#include "test_readouts.moc"
