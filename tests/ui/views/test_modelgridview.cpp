// Head badges, ModelGridLayout maths, and the model grid rendered from results: the focused
// thumbnail is outlined, clicking a thumbnail focuses it, and a 12×12 grid at T = 128 is fast.

#include "views/modelgrid/modelgridlayout.h"
#include "views/modelgrid/headbadge.h"
#include "views/modelgrid/modelgridview.h"
#include "state/selectionstate.h"
#include "viewtestdata.h"

#include <QImage>
#include <QPainter>
#include <QTest>

#include <cmath>

using namespace attnviz;

class TestModelGridView : public QObject
{
    Q_OBJECT

private slots:
    void badges()
    {
        // A positional pattern is named when it holds most of the mass, else the entropy.
        QCOMPARE(headBadge({1.0f, 0.0f, 0.0f}), QStringLiteral("prev 1.00"));
        QCOMPARE(headBadge({0.2f, 0.9f, 0.3f}), QStringLiteral("sink 0.90"));
        QCOMPARE(headBadge({0.6f, 0.7f, 0.3f}), QStringLiteral("sink 0.70"));
        QCOMPARE(headBadge({0.1f, 0.2f, 1.37f}), QStringLiteral("entropy 1.37"));
        QCOMPARE(headBadge(HeadSummary{}), QString());
    }

    void layoutByHand()
    {
        // 2 layers × 3 heads in 400×300: width 400-20-34 = 346 → 346/3 - 6 = 109.33; height
        // 300-20-24-18 = 238 → 238/2 - 6 - 14 = 99 → thumbnails of 99 with badges.
        const ModelGridLayout g = ModelGridLayout::compute(QRectF(0, 0, 400, 300), 2, 3);
        QCOMPARE(g.thumb, 99.0);
        QVERIFY(g.badges);
        // Grid width 34 + 3 × 105 = 349, centred: left = (400 - 349) / 2 = 25.5.
        QCOMPARE(g.origin, QPointF(25.5 + 34, 10 + 24 + 18));
        QCOMPARE(g.thumbRect(1, 2), QRectF(59.5 + 2 * 105, 52 + 119, 99, 99));
        QCOMPARE(g.hitTest(g.thumbRect(1, 2).center()), QPoint(1, 2));
        QCOMPARE(g.hitTest(g.thumbRect(0, 0).topLeft() + QPointF(0.5, 0.5)), QPoint(0, 0));
        QCOMPARE(g.hitTest(g.thumbRect(0, 0).bottomRight() + QPointF(2, 2)), QPoint(-1, -1)); // gap
        QCOMPARE(g.hitTest(QPointF(5, 5)), QPoint(-1, -1));
        // Many heads: no room for badges.
        QVERIFY(!ModelGridLayout::compute(QRectF(0, 0, 400, 300), 12, 12).badges);
    }

    void focusedThumbnailIsHighlighted()
    {
        SelectionState selection;
        const auto result = testdata::synthetic(3, 4, 12);
        selection.setShape(1, 3, 4, 12, 12);
        ModelGridView view(&selection);
        view.setResult(result);
        const QSize size(500, 400);
        const ModelGridLayout g = view.layoutFor(QRectF(QPointF(), QSizeF(size)));
        const QColor highlight = view.palette().color(QPalette::Highlight);
        auto edge = [&](int l, int h) { return (g.thumbRect(l, h).topLeft() + g.thumbRect(l, h).topRight()) / 2.0 - QPointF(0, 2.5); };

        selection.setLayer(2);
        selection.setHead(1);
        QImage image = view.renderImage(size);
        QCOMPARE(image.pixelColor(edge(2, 1).toPoint()), highlight);
        QVERIFY(image.pixelColor(edge(0, 0).toPoint()) != highlight);
        selection.setLayer(0);
        selection.setHead(0);
        image = view.renderImage(size);
        QCOMPARE(image.pixelColor(edge(0, 0).toPoint()), highlight);
        QVERIFY(image.pixelColor(edge(2, 1).toPoint()) != highlight);
    }

    void thumbnailsShowTheWeights()
    {
        // Head 0 is previous-token: the cell (query 5, key 4) is the top colour, (5, 5) the bottom.
        SelectionState selection;
        selection.setShape(1, 1, 2, 8, 8);
        ModelGridView view(&selection);
        view.setResult(testdata::synthetic(1, 2, 8));
        const QSize size(400, 300);
        const ModelGridLayout g = view.layoutFor(QRectF(QPointF(), QSizeF(size)));
        const QImage image = view.renderImage(size);
        const QRectF t = g.thumbRect(0, 0);
        const qreal cell = t.width() / 8;
        auto at = [&](int q, int k) { return image.pixel(QPointF(t.left() + (k + 0.5) * cell, t.top() + (q + 0.5) * cell).toPoint()); };
        const ColorMap map{selection.colorMap()};
        QCOMPARE(map.valueOf(at(5, 4)), 1.0);
        QCOMPARE(map.valueOf(at(5, 5)), 0.0);
        QCOMPARE(headBadge(view.headStats()[0]), QStringLiteral("prev 1.00"));
    }

    void ablatedHeadIsCrossedOut()
    {
        SelectionState selection;
        selection.setShape(1, 1, 2, 8, 8);
        ModelGridView view(&selection);
        view.setResult(testdata::synthetic(1, 2, 8));
        const QSize size(400, 300);
        const QRectF t = view.layoutFor(QRectF(QPointF(), QSizeF(size))).thumbRect(0, 1);
        const QPoint centre = t.center().toPoint();
        const QColor before = view.renderImage(size).pixelColor(centre);
        selection.setHeadAblated(0, 1, true);
        const QColor after = view.renderImage(size).pixelColor(centre);
        QVERIFY(after != before);
        QVERIFY(after.red() > after.blue()); // the red cross runs through the centre
    }

    void clickFocusesLayerAndHead()
    {
        SelectionState selection;
        selection.setShape(1, 3, 4, 12, 12);
        ModelGridView view(&selection);
        view.resize(500, 400);
        view.setResult(testdata::synthetic(3, 4, 12));
        const ModelGridLayout g = view.layoutFor(QRectF(view.rect()));
        QTest::mouseClick(&view, Qt::LeftButton, {}, g.thumbRect(2, 3).center().toPoint());
        QCOMPARE(selection.layer(), 2);
        QCOMPARE(selection.head(), 3);
        QTest::mouseClick(&view, Qt::LeftButton, {}, g.thumbRect(1, 0).center().toPoint());
        QCOMPARE(selection.layer(), 1);
        QCOMPARE(selection.head(), 0);
    }

    void largeModelDrawsEveryThumbnail()
    {
        // Speed is measured by bench/ (attnviz-bench views), not asserted here.
        SelectionState selection;
        selection.setShape(1, 12, 12, 128, 128);
        ModelGridView view(&selection);
        view.setResult(testdata::synthetic(12, 12, 128));
        QImage image(1000, 900, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            view.paint(painter, QRectF(image.rect()));
        }
        const ModelGridLayout g = view.layoutFor(QRectF(image.rect()));
        for (int l = 0; l < 12; ++l) {
            for (int h = 0; h < 12; ++h) {
                QVERIFY2(image.pixel(g.thumbRect(l, h).center().toPoint()) != qRgb(255, 255, 255),
                         qPrintable(QStringLiteral("thumbnail %1.%2 is blank").arg(l).arg(h)));
            }
        }
    }
};

QTEST_MAIN(TestModelGridView)
#include "test_modelgridview.moc"
