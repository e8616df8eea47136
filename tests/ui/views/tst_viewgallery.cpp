// Not a pixel check: renders every view from every lesson and from a larger synthetic result to
// PNG files (in $ATTNVIZ_GALLERY or /tmp/views) so people can look at them. Fails only when a
// picture comes out empty.

#include "arcsview.h"
#include "chartsview.h"
#include "modelgridview.h"
#include "pipelineview.h"
#include "selectionstate.h"
#include "viewtestdata.h"

#include <QDir>
#include <QImage>
#include <QTest>

using namespace attnviz;

class TestViewGallery : public QObject
{
    Q_OBJECT

private:
    static void renderAll(const QString& name, const std::shared_ptr<const AttentionResult>& result, int query)
    {
        const QString dir = qEnvironmentVariable("ATTNVIZ_GALLERY", QStringLiteral("/tmp/views"));
        QDir().mkpath(dir);
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        selection.setShape(int(result->stacks.size()), a.layers, a.heads, a.queries, a.keys);
        selection.setQueryToken(query);
        ArcsView arcs(&selection);
        ModelGridView grid(&selection);
        PipelineView pipeline(&selection);
        ChartsView charts(&selection);
        for (AttentionView* view : std::initializer_list<AttentionView*>{&arcs, &grid, &pipeline, &charts}) {
            view->setResult(result);
            const QSize size = view->preferredExportSize().toSize();
            const QImage image = view->renderImage(size);
            QVERIFY(!image.isNull());
            QVERIFY(image.save(QStringLiteral("%1/%2-%3.png").arg(dir, name, view->viewName())));
        }
    }

private slots:
    void lessons_data()
    {
        QTest::addColumn<QString>("lesson");
        QTest::newRow("two-heads") << "two-heads-causal";
        QTest::newRow("illustrated") << "illustrated-self-attention";
        QTest::newRow("cross") << "cross-attention-translation";
    }

    void lessons()
    {
        QFETCH(QString, lesson);
        renderAll(lesson, testdata::lesson(lesson.toStdString()), 1);
    }

    void synthetic()
    {
        renderAll(QStringLiteral("synthetic-40"), testdata::withPipeline(testdata::synthetic(4, 8, 40)), 7);
    }
};

QTEST_MAIN(TestViewGallery)
#include "tst_viewgallery.moc"
