// Renders every view from every lesson and from a larger synthetic result, checks that each
// picture holds a drawing (many colours, a real share of drawn pixels) and that different inputs
// give different pictures; with ATTNVIZ_GALLERY set, keeps the PNG files there for people to look at.

#include "views/arcs/arcsview.h"
#include "views/charts/chartsview.h"
#include "views/modelgrid/modelgridview.h"
#include "views/pipeline/pipelineview.h"
#include "state/selectionstate.h"
#include "viewtestdata.h"
#include "imagecontent.h"

#include <QDir>
#include <QMap>
#include <QImage>
#include <QTest>

using namespace attnviz;

class TestViewGallery : public QObject
{
    Q_OBJECT

private:
    // Renders and checks every view's picture of `result`; keeps them by view name in `pictures`.
    static void renderAll(const QString& name, const std::shared_ptr<const AttentionResult>& result, int query,
                          QMap<QString, QImage>* pictures = nullptr)
    {
        const QString dir = qEnvironmentVariable("ATTNVIZ_GALLERY");
        if (!dir.isEmpty())
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
            const testdata::ImageContent content = testdata::imageContent(image);
            const QByteArray what = (name + QLatin1Char(' ') + view->viewName()).toUtf8();
            const QByteArray measured = what + QByteArray(": ") + QByteArray::number(content.colours) + " colours, "
                                        + QByteArray::number(content.drawn, 'f', 3) + " drawn";
            QVERIFY2(content.colours >= 16 && content.drawn >= 0.02, measured.constData());
            if (!dir.isEmpty())
                image.save(QStringLiteral("%1/%2-%3.png").arg(dir, name, view->viewName()));
            if (pictures != nullptr)
                pictures->insert(view->viewName(), image);
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

    // Each view draws its data: two different lessons never give the same picture.
    void differentInputsDifferentPictures()
    {
        QMap<QString, QImage> a, b;
        renderAll(QStringLiteral("a"), testdata::lesson("two-heads-causal"), 1, &a);
        renderAll(QStringLiteral("b"), testdata::lesson("illustrated-self-attention"), 1, &b);
        QVERIFY(!QTest::currentTestFailed());
        QCOMPARE(a.size(), 4);
        QCOMPARE(a.keys(), b.keys());
        for (const QString& view : a.keys())
            QVERIFY2(a.value(view) != b.value(view), qPrintable(view));
    }
};

QTEST_MAIN(TestViewGallery)
#include "test_viewgallery.moc"
