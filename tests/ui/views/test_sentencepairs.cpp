// Sentence pairs (BERT's sentence B): the heatmap and the arcs mark where sentence B begins and can
// show only sentence A's queries over sentence B's keys (A → B) or the reverse (B → A).
#include "export/exportoptions.h"
#include "registry/modelregistry.h"
#include "state/selectionstate.h"
#include "views/arcs/arcsview.h"
#include "views/heatmap/heatmapdata.h"
#include "views/heatmap/heatmappainter.h"
#include "views/heatmap/heatmapview.h"

#include <QTest>

using namespace attnviz;

namespace {

std::shared_ptr<const AttentionResult> pairResult()
{
    RunRequest request;
    request.text = "The cat sat.";
    request.secondText = "It was tired.";
    return openModel("builtin:encoder")->run(request);
}

// Token indices of sentence A (segment 0) or B (segment 1).
std::vector<int> segmentTokens(const AttentionResult& r, int segment)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < r.tokens.size(); ++i) {
        if (r.tokens[i].segment == segment)
            out.push_back(int(i));
    }
    return out;
}

} // namespace

class TestSentencePairs : public QObject
{
    Q_OBJECT
private slots:
    // The export's sentence line keeps the two sentences apart ("…sat. / It was…"), not run
    // together where sentence B's first token has no space of its own.
    void exportSentenceSeparatesThePair()
    {
        const auto result = pairResult();
        const QString sentence = ExportOptions::defaultSentence(*result);
        QVERIFY2(sentence.contains(QStringLiteral(". / It")), qPrintable(sentence));
        QVERIFY2(!sentence.contains(QStringLiteral(".It")), qPrintable(sentence));
    }

    void boundaryBetweenTheSentences()
    {
        const auto result = pairResult();
        const std::vector<int> b = segmentTokens(*result, 1);
        QVERIFY(!b.empty() && !segmentTokens(*result, 0).empty());
        SelectionState selection;
        const AttentionTensor& a = result->stacks.front().attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        const HeatmapData d = HeatmapData::build(result, selection);
        QCOMPARE(d.rowBoundary, b.front());
        QCOMPARE(d.colBoundary, b.front());

        // Drawn: a line in the text colour along the top of sentence B's first row and column.
        HeatmapView view(&selection);
        view.setResult(result);
        view.setShowValues(false);
        const QSize size(640, 520);
        const QImage image = view.renderImage(size);
        HeatmapPainter painter(view.data(), ColorMap{selection.colorMap()}, view.font(), view.palette());
        const HeatmapGeometry g = painter.layout(QRectF(QPointF(0, 0), QSizeF(size))).grid;
        const QColor text = view.palette().color(QPalette::Text);
        const QRectF cell = g.cellRect(d.rowBoundary, 0);
        const QColor onRowEdge = image.pixelColor(QPointF(cell.center().x(), cell.top()).toPoint());
        const QColor onColEdge = image.pixelColor(QPointF(g.cellRect(0, d.colBoundary).left(), g.cellRect(0, 0).center().y()).toPoint());
        QVERIFY2(qAbs(onRowEdge.lightness() - text.lightness()) < 40, qPrintable(onRowEdge.name()));
        QVERIFY2(qAbs(onColEdge.lightness() - text.lightness()) < 40, qPrintable(onColEdge.name()));
    }

    void filtersOneBlock_data()
    {
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("querySegment");
        QTest::newRow("A to B") << int(SentenceBlock::AToB) << 0;
        QTest::newRow("B to A") << int(SentenceBlock::BToA) << 1;
    }
    void filtersOneBlock()
    {
        QFETCH(int, block);
        QFETCH(int, querySegment);
        const auto result = pairResult();
        const std::vector<int> rows = segmentTokens(*result, querySegment);
        const std::vector<int> cols = segmentTokens(*result, 1 - querySegment);
        SelectionState selection;
        const AttentionTensor& a = result->stacks.front().attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        selection.setHead(1);
        selection.setSentenceBlock(SentenceBlock(block));
        const HeatmapData d = HeatmapData::build(result, selection);
        QCOMPARE(d.rows(), int(rows.size()));
        QCOMPARE(d.cols(), int(cols.size()));
        for (int i = 0; i < d.rows(); ++i) {
            QCOMPARE(d.rowLabels[i].trimmed(), QString::fromStdString(result->tokens[rows[i]].display).trimmed());
            QCOMPARE(d.tokenForRow(i), rows[i]); // clicking a row still selects its token
            for (int j = 0; j < d.cols(); ++j)
                QCOMPARE(d.values(i, j), a.at(0, 1, rows[i], cols[j]));
        }
        QCOMPARE(d.rowForToken(cols.front()), -1); // a token of the other sentence has no row
        QCOMPARE(d.rowBoundary, -1);                // one sentence on each axis: nothing to divide
        const QString arrow = block == int(SentenceBlock::AToB) ? QStringLiteral("A → B") : QStringLiteral("B → A");
        QVERIFY(d.title.contains(arrow));
        // Exports drop the view's title under their header, whose title must say it instead.
        QVERIFY(ExportOptions::defaultTitle(*result, selection, QStringLiteral("heatmap")).contains(arrow));
    }

    void arcsMarkTheBoundaryAndFilterTheLines()
    {
        const auto result = pairResult();
        const int firstB = segmentTokens(*result, 1).front();
        SelectionState selection;
        const AttentionTensor& a = result->stacks.front().attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        ArcsView view(&selection);
        view.setResult(result);
        const QSize size(420, 400);
        const ArcsLayout layout = view.layoutFor(QRectF(QPointF(0, 0), QSizeF(size)));
        const QImage image = view.renderImage(size);
        const QRectF firstRow = layout.leftLabelRect(firstB);
        const QColor rule = image.pixelColor(QPointF(firstRow.center().x(), firstRow.top()).toPoint());
        QVERIFY2(rule.lightness() < 100, qPrintable(rule.name())); // a dark rule above sentence B

        const auto lineSentences = [&]() {
            QSet<QPair<int, int>> seen; // (query sentence, key sentence) of every drawn line
            for (const auto& group : view.linesFor(layout, {}).groups) {
                for (const QLineF& line : group.lines) {
                    const int q = line.p1().y() >= firstRow.top() ? 1 : 0;
                    const int k = line.p2().y() >= layout.rightLabelRect(firstB).top() ? 1 : 0;
                    seen.insert({q, k});
                }
            }
            return seen;
        };
        QCOMPARE(lineSentences().size(), 4); // all four blocks
        selection.setSentenceBlock(SentenceBlock::AToB);
        QCOMPARE(lineSentences(), (QSet<QPair<int, int>>{{0, 1}}));
        selection.setSentenceBlock(SentenceBlock::BToA);
        QCOMPARE(lineSentences(), (QSet<QPair<int, int>>{{1, 0}}));
    }

    void singleSentenceIgnoresTheFilter()
    {
        RunRequest request;
        request.text = "The cat sat.";
        const auto result = openModel("builtin:encoder")->run(request);
        SelectionState selection;
        const AttentionTensor& a = result->stacks.front().attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        selection.setSentenceBlock(SentenceBlock::AToB);
        const HeatmapData d = HeatmapData::build(result, selection);
        QCOMPARE(d.rows(), a.queries);
        QCOMPARE(d.rowBoundary, -1);
    }
};

QTEST_MAIN(TestSentencePairs)
#include "test_sentencepairs.moc"
