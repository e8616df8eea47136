// The charts: one bar set per enabled head in the head colours, token categories, per-head
// statistics; paint() renders the charts so exports show them.

#include "views/arcs/arcspalette.h"
#include "views/charts/chartsbuilder.h"
#include "views/charts/chartsview.h"
#include "state/selectionstate.h"
#include "viewtestdata.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QImage>
#include <QTest>

#include <algorithm>
#include <cmath>
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

    void labelsArePlainText()
    {
        // Qt Charts reads labels as rich text; a token such as <|endoftext|> must survive.
        auto edited = std::make_shared<AttentionResult>(*testdata::lesson("two-heads-causal"));
        edited->tokens[0].display = "<|endoftext|>";
        SelectionState selection;
        selection.setShape(1, 1, 2, 4, 4);
        selection.setQueryToken(0);
        std::unique_ptr<QChart> chart(ChartsBuilder::distributionChart(*edited, selection));
        auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).front());
        QCOMPARE(axis->categories().front(), QStringLiteral("&lt;|endoftext|&gt; 0"));
        QVERIFY(chart->title().contains(QStringLiteral("&lt;|endoftext|&gt;")));
    }

    void roundTicks_data()
    {
        QTest::addColumn<double>("peak");
        QTest::addColumn<double>("max");
        QTest::addColumn<double>("interval");
        QTest::newRow("tiny") << 0.01 << 0.1 << 0.1;
        QTest::newRow("a tenth exactly") << 0.3 << 0.3 << 0.1;
        QTest::newRow("under half") << 0.42 << 0.5 << 0.1;
        QTest::newRow("over half") << 0.9 << 1.0 << 0.2;
        QTest::newRow("one") << 1.0 << 1.0 << 0.2;
        QTest::newRow("odd fifth") << 0.61 << 0.8 << 0.2;
    }
    void roundTicks()
    {
        QFETCH(double, peak);
        QFETCH(double, max);
        QFETCH(double, interval);
        const ChartsBuilder::Axis axis = ChartsBuilder::niceAxis(peak);
        QCOMPARE(axis.interval, interval);
        QVERIFY(qAbs(axis.max - max) < 1e-9);
        QVERIFY(axis.max >= peak);
        // Every tick is a whole number of intervals: 0.0, 0.2, 0.4, ..., never 0.23 or 0.45.
        const double ticks = axis.max / axis.interval;
        QVERIFY(qAbs(ticks - std::round(ticks)) < 1e-9);
    }

    void longInputsShowTheStrongestKeys()
    {
        const int T = 100;
        const auto result = testdata::synthetic(1, 3, T);
        SelectionState selection;
        selection.setShape(1, 1, 3, T, T);
        selection.setQueryToken(T - 1);
        std::unique_ptr<QChart> chart(ChartsBuilder::distributionChart(*result, selection));
        auto* axis = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).front());
        QCOMPARE(axis->count(), ChartsBuilder::kMaxKeyBars + 1);
        QVERIFY(axis->categories().back().startsWith(QStringLiteral("other 68 keys")));
        // Head 0 looks at the previous token and head 1 at the first: both keys keep their own bar.
        const std::vector<int> keys = ChartsBuilder::shownKeys(*result, selection, T - 1);
        QVERIFY(std::is_sorted(keys.begin(), keys.end()));
        QVERIFY(std::find(keys.begin(), keys.end(), 0) != keys.end());
        QVERIFY(std::find(keys.begin(), keys.end(), T - 2) != keys.end());
        // The shown bars and the "other" bar hold all of each head's attention.
        for (QBarSet* set : barsOf(chart.get())->barSets()) {
            double sum = 0;
            for (int i = 0; i < set->count(); ++i)
                sum += set->at(i);
            QVERIFY2(qAbs(sum - 1.0) < 1e-4, qPrintable(set->label()));
        }
    }

    void followsTheDarkPalette()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        selection.setShape(1, 1, 2, 4, 4);
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(30, 30, 30));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        ChartsView view(&selection);
        view.setPalette(dark);
        view.setResult(result);
        QCOMPARE(view.distributionView()->chart()->backgroundBrush().color(), QColor(30, 30, 30));
        QCOMPARE(view.statsView()->chart()->titleBrush().color(), QColor(230, 230, 230));
        const QImage image = view.renderImage(QSize(700, 600));
        // Mostly the dark background, not white.
        QVERIFY(countNear(image, QColor(30, 30, 30)) > image.width() * image.height() / 2);
        QVERIFY(countNear(image, Qt::white) < image.width() * image.height() / 20);
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
#include "test_chartsview.moc"
