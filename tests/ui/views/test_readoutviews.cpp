// The views of what a run reads beyond raw attention: the logit lens and logit attribution grids
// hold the core's numbers, clicking a head in the attribution focuses it, and the heatmap shows a
// value-weighted result as shares, with the whole layer's measure under "mean of heads".

#include "imagecontent.h"
#include "state/runrequestbuilder.h"
#include "state/selectionstate.h"
#include "export/exportoptions.h"
#include "views/arcs/arcsview.h"
#include "views/heatmap/heatmapdata.h"
#include "views/modelgrid/modelgridview.h"
#include "views/numberformat.h"
#include "views/readouts/attributionview.h"
#include "views/readouts/logitlensview.h"
#include "viewtestdata.h"
#include "widgets/tokenlabel.h"

#include <QMouseEvent>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

using namespace attnviz;

namespace {

std::shared_ptr<const AttentionResult> measuredGpt2()
{
    RunRequest request;
    request.ids = std::vector<int>{5, 17, 33, 2, 71, 40, 8, 90};
    request.measure = Measure::ValueWeighted;
    request.logitLens = true;
    request.attribution = true;
    return runWithStatistics(*openModel(std::string(ATTNVIZ_TEST_DATA) + "/models/gpt2"), request);
}

void shape(SelectionState& selection, const AttentionResult& r)
{
    const AttentionTensor& a = r.stacks[0].attention;
    selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
}

} // namespace

class TestReadoutViews : public QObject
{
    Q_OBJECT

private slots:
    void lensGridHoldsTheTopPredictions()
    {
        const auto result = measuredGpt2();
        QVERIFY(result->logitLens);
        SelectionState selection;
        shape(selection, *result);
        LogitLensView view(&selection);
        view.setResult(result);
        const auto grid = view.grid();
        QVERIFY(grid);
        const LogitLens& lens = *result->logitLens;
        QCOMPARE(grid->rows(), lens.layers);
        QCOMPARE(grid->cols(), static_cast<int>(lens.positions.size()));
        for (int l = 0; l < lens.layers; ++l) {
            for (int p = 0; p < grid->cols(); ++p) {
                QCOMPARE(grid->text(l, p), TokenLabel::text(lens.at(l, p, 0).display));
                QCOMPARE(grid->shade(l, p), double(lens.at(l, p, 0).probability));
            }
        }
        const QImage image = view.renderImage(view.preferredExportSize().toSize());
        QVERIFY(testdata::imageContent(image).colours >= 16);
    }

    void attributionGridAddsUpAndFocusesHeads()
    {
        const auto result = measuredGpt2();
        QVERIFY(result->attribution);
        const LogitAttribution& a = *result->attribution;
        SelectionState selection;
        shape(selection, *result);
        AttributionView view(&selection);
        view.setResult(result);
        const auto grid = view.grid();
        QVERIFY(grid);
        QCOMPARE(grid->rows(), a.layers);
        QCOMPARE(grid->cols(), a.heads + 2); // heads, W_O bias, MLP
        QCOMPARE(grid->text(1, 2), formatNumber(a.headAt(1, 2), 2));
        QCOMPARE(grid->text(0, a.heads + 1), formatNumber(a.mlp[0], 2));
        QVERIFY(grid->title.contains(formatNumber(a.logit, 2)));

        view.resize(view.preferredExportSize().toSize());
        // The centre of layer 1, head 3: found through the grid's own hit test.
        QPoint target;
        for (int y = 0; y < view.height() && target.isNull(); y += 2)
            for (int x = 0; x < view.width(); x += 2)
                if (const auto c = grid->cellAt(QPointF(x, y), QRectF(view.rect()), view.font()); c && c->first == 1 && c->second == 3) {
                    target = QPoint(x + 6, y + 6);
                    break;
                }
        QVERIFY(!target.isNull());
        QTest::mouseClick(&view, Qt::LeftButton, {}, target);
        QCOMPARE(selection.layer(), 1);
        QCOMPARE(selection.head(), 3);
    }

    void heatmapShowsValueWeightedShares()
    {
        const auto result = measuredGpt2();
        const AttentionStack& s = result->stacks[0];
        QCOMPARE(s.measure, Measure::ValueWeighted);
        SelectionState selection;
        shape(selection, *result);
        selection.setLayer(1);
        selection.setHead(2);
        HeatmapData one = HeatmapData::build(result, selection);
        QCOMPARE(one.valueCaption(), QStringLiteral("share"));
        QVERIFY(one.title.contains(QStringLiteral("value-weighted")));
        QCOMPARE(one.values(5, 3), s.attention.at(1, 2, 5, 3));

        selection.setMeanOfHeads(true); // every head on: the layer's own measure, not a mean
        HeatmapData layer = HeatmapData::build(result, selection);
        QVERIFY(layer.wholeLayer);
        QCOMPARE(layer.values(5, 3), s.layerMeasure.at(1, 0, 5, 3));
        selection.setHeadEnabled(0, false); // a subset: the mean of their shares, said so
        HeatmapData subset = HeatmapData::build(result, selection);
        QVERIFY(!subset.wholeLayer);
        QVERIFY(subset.title.contains(QStringLiteral("mean of")));
    }

    void heatmapShowsAltiPerLayer()
    {
        RunRequest request;
        request.ids = std::vector<int>{5, 17, 33, 2, 71, 40, 8, 90};
        request.measure = Measure::Alti;
        const auto result = runWithStatistics(*openModel(std::string(ATTNVIZ_TEST_DATA) + "/models/gpt2"), request);
        const AttentionStack& s = result->stacks[0];
        SelectionState selection;
        shape(selection, *result);
        selection.setLayer(1);
        selection.setHead(3); // any head: ALTI is the layer's
        const HeatmapData d = HeatmapData::build(result, selection);
        QVERIFY(d.wholeLayer);
        QVERIFY(d.title.contains(QStringLiteral("alti")));
        QCOMPARE(d.values(6, 2), s.layerMeasure.at(1, 0, 6, 2));
        QCOMPARE(d.valueCaption(), QStringLiteral("share"));
    }

    // The views of the heads' own maps say that ALTI is the layer's and that they show raw weights.
    void perHeadViewsSayAltiIsPerLayer()
    {
        RunRequest request;
        request.ids = std::vector<int>{5, 17, 33, 2, 71, 40, 8, 90};
        request.measure = Measure::Alti;
        const auto result = runWithStatistics(*openModel(std::string(ATTNVIZ_TEST_DATA) + "/models/gpt2"), request);
        SelectionState selection;
        shape(selection, *result);
        selection.setMeasure(Measure::Alti);
        ArcsView arcs(&selection);
        arcs.setResult(result);
        QVERIFY2(arcs.title().contains(QLatin1String("raw weights (ALTI is per layer")), qPrintable(arcs.title()));
        const QString arcsTitle = ExportOptions::defaultTitle(*result, selection, QStringLiteral("arcs"));
        QVERIFY2(arcsTitle.contains(QLatin1String("ALTI is per layer")), qPrintable(arcsTitle));
        const QString heatmapTitle = ExportOptions::defaultTitle(*result, selection, QStringLiteral("heatmap"));
        QVERIFY2(heatmapTitle.contains(QLatin1String("alti")) && !heatmapTitle.contains(QLatin1String("raw weights")),
                 qPrintable(heatmapTitle));
        ModelGridView grid(&selection);
        grid.setResult(result);
        QVERIFY2(grid.title().contains(QLatin1String("ALTI is per layer")), qPrintable(grid.title()));
    }

    void modelGridBadgesShowTheLogitAttribution()
    {
        QCOMPARE(attributionBadge(1.234f), QStringLiteral("+1.23"));
        QCOMPARE(attributionBadge(-0.4f), QStringLiteral("\u22120.40"));
        QCOMPARE(attributionBadge(-0.001f), QStringLiteral("0.00")); // no sign on nothing, and no colour
        QCOMPARE(attributionBadgeColor(-0.001f, Qt::gray), QColor(Qt::gray));
        QVERIFY(attributionBadgeColor(-0.01f, Qt::gray) != QColor(Qt::gray));
        const auto result = measuredGpt2();
        QVERIFY(result->attribution);
        const LogitAttribution& a = *result->attribution;
        SelectionState selection;
        shape(selection, *result);
        ModelGridView grid(&selection);
        grid.setResult(result);
        grid.resize(1000, 700);
        QVERIFY(grid.shownAttribution() == nullptr); // statistics until asked
        auto render = [&grid]() {
            QImage image(grid.size(), QImage::Format_ARGB32);
            QPainter painter(&image);
            grid.paint(painter, QRectF(QPointF(0, 0), QSizeF(grid.size())));
            return image;
        };
        const QImage statistics = render();
        selection.setGridBadges(GridBadges::LogitAttribution);
        QVERIFY(grid.shownAttribution() == &a);
        const QImage attribution = render();
        QVERIFY(statistics != attribution);
        // The head raising the logit most has a red badge, the one lowering it most a blue one.
        int up = 0, down = 0;
        for (int i = 1; i < a.layers * a.heads; ++i) {
            up = a.head[std::size_t(i)] > a.head[std::size_t(up)] ? i : up;
            down = a.head[std::size_t(i)] < a.head[std::size_t(down)] ? i : down;
        }
        QVERIFY(a.head[std::size_t(up)] > 0.0f && a.head[std::size_t(down)] < 0.0f);
        const ModelGridLayout g = grid.layoutFor(QRectF(QPointF(0, 0), QSizeF(grid.size())));
        QVERIFY(g.badges);
        auto badgeHolds = [&](int index, auto isColour) {
            const QRect r = g.badgeRect(index / a.heads, index % a.heads).toAlignedRect();
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = r.left(); x <= r.right(); ++x)
                    if (isColour(QColor(attribution.pixel(x, y))))
                        return true;
            return false;
        };
        auto reddish = [](const QColor& c) { return c.red() > 150 && c.blue() < 110 && c.green() < 110; };
        auto bluish = [](const QColor& c) { return c.blue() > 130 && c.red() < 90; };
        QVERIFY(badgeHolds(up, reddish) && !badgeHolds(up, bluish));
        QVERIFY(badgeHolds(down, bluish) && !badgeHolds(down, reddish));
        QVERIFY(grid.badgeNote().contains(TokenLabel::text(a.targetDisplay)));
        // Another stack's attribution is not put on these heads.
        LogitAttribution other = a;
        other.stack = 1;
        auto moved = std::make_shared<AttentionResult>(*result);
        moved->attribution = other;
        grid.setResult(moved);
        QVERIFY(grid.shownAttribution() == nullptr);
    }

    void heatmapShowsTheFlowToTheLayerShown()
    {
        SelectionState selection;
        selection.setMeasure(Measure::Flow);
        RunRequest request;
        request.ids = std::vector<int>{5, 17, 33, 2, 71, 40};
        request.measure = Measure::Flow;
        selection.setShape(1, 2, 4, 6, 6);
        selection.setLayer(1);
        request.flow = RunRequestBuilder::flowFor(selection);
        QVERIFY(request.flow && request.flow->layer == 1);
        const auto result = runWithStatistics(*openModel(std::string(ATTNVIZ_TEST_DATA) + "/models/gpt2"), request);
        QVERIFY(result->flow);
        QVERIFY(!RunRequestBuilder::flowOutOfDate(selection, result.get()));
        const HeatmapData d = HeatmapData::build(result, selection);
        QCOMPARE(d.values(4, 1), result->flow->flow(4, 1));
        QCOMPARE(d.valueCaption(), QStringLiteral("flow"));
        QVERIFY(d.title.startsWith(QStringLiteral("Attention flow")));
        selection.setLayer(0); // another layer: the run on screen has not computed it
        QVERIFY(RunRequestBuilder::flowOutOfDate(selection, result.get()));
        QVERIFY(HeatmapData::build(result, selection).emptyMessage.contains(QStringLiteral("Computing")));
    }

    void theMeasureReachesTheRequest()
    {
        SelectionState selection;
        QSignalSpy rerun(&selection, &SelectionState::computeInputsChanged);
        selection.setMeasure(Measure::ValueWeighted);
        QCOMPARE(rerun.count(), 1);
        QCOMPARE(selection.measure(), Measure::ValueWeighted);
    }
};

QTEST_MAIN(TestReadoutViews)
#include "test_readoutviews.moc"
