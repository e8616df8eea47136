// The charts: one bar set per enabled head in the head colours, token categories, per-head
// statistics; paint() renders the charts so exports show them.

#include "arcspalette.h"
#include "chartsbuilder.h"
#include "chartsview.h"
#include "selectionstate.h"
#include "viewtestdata.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QImage>
#include <QTest>

#include <memory>

using namespace attnviz;

namespace {

QBarSeries* barsOf(QChart* chart)
{
    return chart->series().isEmpty() ? nullptr : qobject_cast<QBarSeries*>(chart->series().front());
}

// Pixels within 30 of `color` in every channel.
int countNear(const QImage& image, const QColor& color)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - color.red()) < 30 && std::abs(c.green() - color.green()) < 30 &&
                 std::abs(c.blue() - color.blue()) < 30;
        }
    }
    return n;
}

} // namespace

class TestChartsView : public QObject
{
    Q_OBJECT

private slots:
    void oneBarSetPerEnabledHead()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        selection.setShape(1, 1, 2, 4, 4);
        selection.setQueryToken(2);
        std::unique_ptr<QChart> chart(ChartsBuilder::distributionChart(*result, selection));
        QBarSeries* bars = barsOf(chart.get());
        QVERIFY(bars != nullptr);
        QCOMPARE(bars->count(), 2);
        QCOMPARE(bars->barSets()[1]->color(), ArcsPalette::headColor(1));
        QCOMPARE(bars->barSets()[0]->at(1), double(result->stacks[0].attention.at(0, 0, 2, 1)));
        auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).front());
        QCOMPARE(axis->categories(), QStringList({"the 0", "cat 1", "sat 2", "down 3"}));

        selection.setHeadEnabled(0, false);
        chart.reset(ChartsBuilder::distributionChart(*result, selection));
        QCOMPARE(barsOf(chart.get())->count(), 1);
        QCOMPARE(barsOf(chart.get())->barSets()[0]->label(), QStringLiteral("head 1"));
    }

    void noQueryMeansTheLastToken()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        selection.setShape(1, 1, 2, 4, 4);
        QCOMPARE(ChartsBuilder::effectiveQuery(*result, selection), 3);
        selection.setQueryToken(1);
        QCOMPARE(ChartsBuilder::effectiveQuery(*result, selection), 1);
    }

    void headStatistics()
    {
        SelectionState selection;
        selection.setShape(1, 2, 3, 8, 8);
        selection.setLayer(1);
        const auto result = testdata::synthetic(2, 3, 8);
        std::unique_ptr<QChart> chart(ChartsBuilder::headStatsChart(*result, selection));
        QBarSeries* bars = barsOf(chart.get());
        QCOMPARE(bars->count(), 3);
        QCOMPARE(bars->barSets()[0]->count(), 3);            // one bar per head
        QCOMPARE(bars->barSets()[0]->at(0), 1.0);            // head 0 is previous-token
        QCOMPARE(bars->barSets()[1]->at(1), 1.0);            // head 1 is first-token
        QVERIFY(bars->barSets()[2]->at(2) > 0.1);            // head 2 is spread out
        // Cross-attention has no previous-token bars.
        const auto cross = testdata::lesson("cross-attention-translation");
        SelectionState crossSelection;
        crossSelection.setShape(1, 1, 1, 3, 4);
        chart.reset(ChartsBuilder::headStatsChart(*cross, crossSelection));
        QCOMPARE(barsOf(chart.get())->count(), 2);
    }

    void paintRendersTheCharts()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        selection.setShape(1, 1, 2, 4, 4);
        selection.setQueryToken(3);
        ChartsView view(&selection);
        view.setResult(result);
        QCOMPARE(barsOf(view.distributionView()->chart())->count(), 2);
        const QSize size(700, 600);
        QImage image = view.renderImage(size);
        // Bars of both head colours appear; switching head 1 off removes its colour.
        QVERIFY(countNear(image, ArcsPalette::headColor(0)) > 200);
        QVERIFY(countNear(image, ArcsPalette::headColor(1)) > 200);
        selection.setHeadEnabled(1, false);
        QCOMPARE(barsOf(view.distributionView()->chart())->count(), 1);
        image = view.renderImage(size);
        QVERIFY(countNear(image, ArcsPalette::headColor(1)) < 20);
    }
};

QTEST_MAIN(TestChartsView)
#include "tst_chartsview.moc"
