// PipelineLayout maths and the pipeline view rendered from real lessons: the softmax stage shows
// the known weight colours, the selected query's row is outlined, a missing capture says so.

#include "views/colormap.h"
#include "views/pipeline/pipelinelayout.h"
#include "views/pipeline/pipelinestage.h"
#include "views/pipeline/pipelineview.h"
#include "state/selectionstate.h"
#include "viewtestdata.h"

#include <QCoreApplication>
#include <QImage>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace attnviz;

namespace {

// Finds the column whose first stage has this title.
int columnTitled(const PipelineView::Fitted& f, const QString& title)
{
    for (std::size_t c = 0; c < f.matrices->columns().size(); ++c) {
        if (f.matrices->columns()[c].stages.front().title == title) return int(c);
    }
    return -1;
}

} // namespace

class TestPipelineView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the view remembers its mode in settings
        QCoreApplication::setOrganizationName(QStringLiteral("AttnVizPipelineViewTest"));
        QSettings().clear();
    }

    void layoutFlowsAndWraps()
    {
        using M = PipelineLayout;
        const std::vector<std::vector<QSizeF>> columns = {{{100, 80}}, {{50, 40}, {50, 40}}, {{120, 60}}};
        // Wide enough: one band. Column 1 starts after column 0 and one operator gap.
        const M wide = M::compute(columns, 1000);
        QCOMPARE(wide.stages[0][0], QRectF(M::margin, M::margin + M::headerHeight, 100, 80));
        QCOMPARE(wide.stages[1][0].left(), M::margin + 100 + M::operatorGap);
        QCOMPARE(wide.stages[1][1].top(), M::margin + M::headerHeight + 40 + M::stageGap);
        QCOMPARE(wide.operators[1], QRectF(M::margin + 100, M::margin + M::headerHeight, M::operatorGap, 96));
        QVERIFY(wide.operators[0].isNull());
        QCOMPARE(wide.contentSize.width(), M::margin + 100 + 50 + 120 + 2 * M::operatorGap + M::margin);
        // Narrow: column 2 wraps to a second band below the tallest column (96) and keeps its gap.
        const M narrow = M::compute(columns, 300);
        QCOMPARE(narrow.stages[2][0].top(), M::margin + M::headerHeight + 96 + M::bandGap);
        QCOMPARE(narrow.stages[2][0].left(), M::margin + M::operatorGap);
        QCOMPARE(narrow.stageAt(narrow.stages[1][1].center()), (M::StageIndex{1, 1}));
        QCOMPARE(narrow.stageAt(QPointF(1, 1)), (M::StageIndex{-1, -1}));
    }

    // Five equal columns where four fit a band: three and two, not four and an orphan.
    void layoutSpreadsColumnsOverBands()
    {
        using M = PipelineLayout;
        const std::vector<std::vector<QSizeF>> columns(5, std::vector<QSizeF>{{100, 50}});
        const qreal fourFit = 2 * M::margin + 4 * 100 + 3 * M::operatorGap + 10;
        const M layout = M::compute(columns, fourFit);
        QCOMPARE(layout.bands(), 2);
        QCOMPARE(layout.stages[2][0].top(), layout.stages[0][0].top());
        QVERIFY(layout.stages[3][0].top() > layout.stages[2][0].top());
        QCOMPARE(layout.stages[4][0].top(), layout.stages[3][0].top());
        QCOMPARE(M::compute(columns, 5000).bands(), 1);
    }

    void columnsFollowTheCapture()
    {
        const auto result = testdata::lesson("two-heads-causal");
        QVERIFY(result->pipeline.has_value());
        const auto columns = buildPipelineColumns(*result->pipeline, false);
        // X · W · = QKV, QKᵀ, ÷√d_k, mask, softmax, ·V, concat, W_O, output.
        QCOMPARE(columns.size(), std::size_t(11));
        QCOMPARE(columns[2].stages.size(), std::size_t(3));
        QCOMPARE(columns[4].operatorText, QStringLiteral("÷√d_k"));
        // The illustrated lesson turns scaling off, and has no W_O.
        const auto plain = testdata::lesson("illustrated-self-attention");
        const auto c2 = buildPipelineColumns(*plain->pipeline, false);
        QCOMPARE(c2[4].operatorText, QStringLiteral("no scaling"));
        QCOMPARE(c2.size(), std::size_t(10));
    }

    void softmaxStageShowsTheWeights()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        selection.setShape(1, 1, 2, 4, 4);
        PipelineView view(&selection);
        view.setResult(result);
        const QSize size(1400, 900);
        const PipelineView::Fitted f = view.fit(QRectF(QPointF(), QSizeF(size)));
        QCOMPARE(f.scale, 1.0);
        const int softmax = columnTitled(f, QStringLiteral("weights = softmax(row)"));
        QVERIFY(softmax > 0);
        const QRectF m = f.matrices->matrixRect(f.layout, softmax, 0);
        const MatricesPicture::Cells cells = f.matrices->cellsOf(f.matrices->columns()[std::size_t(softmax)].stages[0]);
        QVERIFY(cells.numbers);
        const QImage image = view.renderImage(size);
        const ColorMap map{selection.colorMap()};
        const Matrix& w = result->pipeline->capture.weights;
        // Sample each cell's corner (the number is printed in its middle): colour = its weight.
        for (int q = 0; q < 4; ++q) {
            for (int k = 0; k < 4; ++k) {
                const QPoint p(int(m.left() + cells.width * k + 3), int(m.top() + cells.height * q + 3));
                const double v = map.valueOf(image.pixel(p), 16);
                QVERIFY2(std::abs(v - w(q, k)) < 0.05, qPrintable(QStringLiteral("(%1,%2): %3 vs %4").arg(q).arg(k).arg(v).arg(w(q, k))));
            }
        }
    }

    void selectedRowIsOutlined()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        selection.setShape(1, 1, 2, 4, 4);
        PipelineView view(&selection);
        view.setResult(result);
        const QSize size(1400, 900);
        const PipelineView::Fitted f = view.fit(QRectF(QPointF(), QSizeF(size)));
        const int softmax = columnTitled(f, QStringLiteral("weights = softmax(row)"));
        const QRectF m = f.matrices->matrixRect(f.layout, softmax, 0);
        const qreal rowH = f.matrices->cellsOf(f.matrices->columns()[std::size_t(softmax)].stages[0]).height;
        const QColor highlight = view.palette().color(QPalette::Highlight);
        // Just left of row 2's left edge.
        const QPoint probe(int(m.left() - 2), int(m.top() + rowH * 2.5));
        QVERIFY(view.renderImage(size).pixelColor(probe) != highlight);
        selection.setQueryToken(2);
        QCOMPARE(view.renderImage(size).pixelColor(probe), highlight);
        selection.setQueryToken(1);
        QVERIFY(view.renderImage(size).pixelColor(probe) != highlight);
    }

    void longInputsHideNumbersAndFit()
    {
        const auto result = testdata::withPipeline(testdata::synthetic(1, 2, 40));
        SelectionState selection;
        selection.setShape(1, 1, 2, 40, 40);
        PipelineView view(&selection);
        view.setResult(result);
        QCOMPARE(view.mode(), PipelineView::Mode::FollowQuery); // the default for 40 tokens
        view.setMode(PipelineView::Mode::Matrices);
        const PipelineView::Fitted f = view.fit(QRectF(0, 0, 1200, 800));
        QVERIFY(!f.matrices->cellsOf(f.matrices->columns()[0].stages[0]).numbers);
        QVERIFY(f.layout.contentSize.height() * f.scale <= 800.0);
        QVERIFY(f.layout.contentSize.width() * f.scale <= 1200.0);
    }

    void missingCaptureSaysSo()
    {
        auto result = testdata::synthetic(1, 2, 6);
        SelectionState selection;
        selection.setShape(1, 1, 2, 6, 6);
        PipelineView view(&selection);
        view.setResult(result);
        QVERIFY(view.fit(QRectF(0, 0, 600, 400)).empty());
        const QImage image = view.renderImage(QSize(600, 400));
        // Some text is drawn in the middle band; the corners stay blank.
        const QColor base = view.palette().color(QPalette::Base);
        bool ink = false;
        for (int x = 0; x < 600 && !ink; ++x)
            for (int y = 150; y < 250 && !ink; ++y) ink = image.pixelColor(x, y) != base;
        QVERIFY(ink);
        QCOMPARE(image.pixelColor(2, 2), base);
    }
};

QTEST_MAIN(TestPipelineView)
#include "test_pipelineview.moc"
