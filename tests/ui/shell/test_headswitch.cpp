// Moving between heads and layers with only maps on screen runs nothing (every map is in the
// result); the Q/K/V pipeline, once shown, fetches the capture of the head shown.
#include "shell/mainwindow.h"
#include "state/computeservice.h"
#include "state/selectionstate.h"
#include "views/heatmap/heatmapview.h"

#include <QSignalSpy>
#include <QTest>

using namespace attnviz;

class TestHeadSwitch : public QObject
{
    Q_OBJECT
private slots:
    void mapsOnScreenNeedNoRun()
    {
        MainWindow window(nullptr, false);
        window.setDialogsEnabled(false);
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        window.openModel(QStringLiteral("builtin:decoder"));
        window.setText(QStringLiteral("The animal didn't cross the street because it was too tired."));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && window.computeService()->isIdle(), 30000);
        QVERIFY(window.setCurrentView(QStringLiteral("heatmap")));
        QTest::qWait(300);
        const int runs = shown.count();

        SelectionState* sel = window.selection();
        sel->setHead(2);
        sel->setLayer(3);
        QTest::qWait(400); // past the 80 ms debounce a re-run would use
        QCOMPARE(shown.count(), runs);
        const AttentionTensor& a = window.result()->stacks[0].attention;
        QTRY_VERIFY(window.heatmapView()->data().values.isApprox(Eigen::Map<const Matrix>(a.head(3, 2), a.queries, a.keys)));

        // The pipeline view needs the capture of layer 3 head 2: one run fetches it.
        QVERIFY(window.setCurrentView(QStringLiteral("pipeline")));
        QTRY_VERIFY_WITH_TIMEOUT(window.result()->pipeline && window.result()->pipeline->layer == 3 &&
                                     window.result()->pipeline->head == 2,
                                 30000);
        QVERIFY(shown.count() > runs);
    }
};

QTEST_MAIN(TestHeadSwitch)
#include "test_headswitch.moc"
