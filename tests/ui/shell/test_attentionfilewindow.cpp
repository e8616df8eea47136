// An attention file with only some heads, opened in the main window: the heatmap shows a held
// head's stored map, says so for a head the file lacks, the model grid greys the missing heads,
// and the status bar says where the maps come from.
#include "models/attentionfilewriter.h"
#include "registry/modelregistry.h"
#include "shell/mainwindow.h"
#include "state/computeservice.h"
#include "state/selectionstate.h"
#include "views/attentionview.h"
#include "views/heatmap/heatmapview.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace attnviz;

class TestAttentionFileWindow : public QObject
{
    Q_OBJECT
private slots:
    void missingHeadsAreSaidNotDrawn()
    {
        QTemporaryDir dir;
        RunRequest request;
        request.text = "The cat sat on the mat.";
        const auto original = openModel("builtin:decoder")->run(request);
        AttentionFileOptions options;
        options.half = false;
        options.heads = {{0, 0}, {1, 2}};
        const QString file = dir.filePath("cat.attention.safetensors");
        writeAttentionFile(file.toStdString(), *original, options);

        MainWindow window(nullptr, false);
        window.setDialogsEnabled(false);
        window.resize(1280, 800);
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        window.openModel(file);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && window.computeService()->isIdle(), 30000);
        QVERIFY2(window.noticeText().contains("attention recorded in a file (F32): 2 of 16 maps"), qPrintable(window.noticeText()));

        SelectionState* sel = window.selection();
        sel->setLayer(1);
        sel->setHead(2);
        QTRY_VERIFY_WITH_TIMEOUT(window.computeService()->isIdle(), 30000);
        const AttentionTensor& a = original->stacks[0].attention;
        const Matrix stored = Eigen::Map<const Matrix>(a.head(1, 2), a.queries, a.keys);
        QTRY_VERIFY(window.heatmapView()->data().values.isApprox(stored));

        sel->setLayer(0);
        sel->setHead(3);
        QTRY_VERIFY_WITH_TIMEOUT(window.computeService()->isIdle(), 30000);
        QTRY_VERIFY(window.heatmapView()->data().emptyMessage.contains("does not hold layer 0 head 3"));
        QVERIFY(window.heatmapView()->data().emptyMessage.contains("head 0"));

        // The model grid: a held head's thumbnail has colour, a missing one is flat grey.
        QVERIFY(window.setCurrentView("model"));
        AttentionView* grid = window.currentView();
        QTRY_VERIFY(grid->isVisible());
        const QImage picture = grid->grab().toImage();
        QVERIFY(!picture.isNull());
        int grey = 0;
        for (int y = 0; y < picture.height(); y += 2)
            for (int x = 0; x < picture.width(); x += 2)
                if (picture.pixel(x, y) == qRgb(128, 128, 128)) ++grey;
        QVERIFY2(grey > 1000, qPrintable(QString::number(grey))); // 14 grey thumbnails
    }
};

QTEST_MAIN(TestAttentionFileWindow)
#include "test_attentionfilewindow.moc"
