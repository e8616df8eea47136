// Heatmap geometry: fitting cells, rect for a cell and cell for a point.
#include "views/heatmap/heatmapgeometry.h"
#include "views/heatmap/heatmappainter.h"
#include "views/numberformat.h"

#include <QPolygonF>
#include <QTest>

using namespace attnviz;

class TestHeatmapGeometry : public QObject
{
    Q_OBJECT
private slots:
    void keyLabelsClearTheGrid_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<double>("cellSize");
        QTest::addColumn<double>("points");
        for (const char* label : {".", "'t", "it", "Ĥg", "street"}) {
            for (double cell : {14.0, 30.0, 96.0}) {
                for (double points : {7.0, 9.0, 14.0}) {
                    QTest::addRow("%s %g px %g pt", label, cell, points) << QString::fromUtf8(label) << cell << points;
                }
            }
        }
    }
    void keyLabelsClearTheGrid()
    {
        // Short rotated labels used to touch (or be cut by) the top row of cells.
        QFETCH(QString, label);
        QFETCH(double, cellSize);
        QFETCH(double, points);
        QFont font;
        font.setPointSizeF(points);
        const QFontMetricsF fm(font);
        const QRectF cell(100, 300, cellSize, cellSize);
        double baseline = 0;
        const QTransform t = HeatmapPainter::colLabelTransform(cell, fm, &baseline);
        const QRectF glyphs = fm.boundingRect(label).translated(0, baseline);
        const QRectF drawn = t.map(QPolygonF(glyphs)).boundingRect();
        QVERIFY2(drawn.bottom() <= cell.top() - 1, qPrintable(QString::number(drawn.bottom())));
        QVERIFY(drawn.left() >= cell.left()); // it starts over its own column, not the one before
    }

    void numbersNeverReadMinusZero_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("decimals");
        QTest::addColumn<QString>("text");
        QTest::newRow("small negative score") << -0.04 << 1 << QStringLiteral("0.0");
        QTest::newRow("negative zero") << -0.0 << 2 << QStringLiteral("0.00");
        QTest::newRow("no decimals") << -0.3 << 0 << QStringLiteral("0");
        QTest::newRow("rounds away from zero") << -0.06 << 1 << QStringLiteral("-0.1");
        QTest::newRow("negative") << -1.25 << 2 << QStringLiteral("-1.25");
        QTest::newRow("positive") << 0.004 << 2 << QStringLiteral("0.00");
        QTest::newRow("ten") << -10.0 << 0 << QStringLiteral("-10");
    }
    void numbersNeverReadMinusZero()
    {
        QFETCH(double, value);
        QFETCH(int, decimals);
        QFETCH(QString, text);
        QCOMPARE(formatNumber(value, decimals), text);
    }

    void fitsSquareCellsWithinLimits()
    {
        const auto g = HeatmapGeometry::fit(QRectF(10, 20, 400, 200), 4, 8, 14, 60);
        QCOMPARE(g.cellSize, 50.0); // min(400/8, 200/4)
        QCOMPARE(g.origin, QPointF(10, 20));
        QCOMPARE(HeatmapGeometry::fit(QRectF(0, 0, 4000, 4000), 2, 2, 14, 60).cellSize, 60.0);
        QCOMPARE(HeatmapGeometry::fit(QRectF(0, 0, 100, 100), 50, 50, 14, 60).cellSize, 14.0); // scrolls
        QCOMPARE(HeatmapGeometry::fit(QRectF(0, 0, 100, 100), 0, 5, 14, 60).cellSize, 0.0);
    }

    void cellRectAndCellAtAgree()
    {
        HeatmapGeometry g;
        g.origin = QPointF(30, 40);
        g.cellSize = 20;
        g.rows = 3;
        g.cols = 5;
        QCOMPARE(g.cellRect(2, 4), QRectF(110, 80, 20, 20));
        QCOMPARE(g.gridRect(), QRectF(30, 40, 100, 60));
        for (int r = 0; r < g.rows; ++r) {
            for (int c = 0; c < g.cols; ++c) {
                const auto hit = g.cellAt(g.cellRect(r, c).center());
                QVERIFY(hit.has_value());
                QCOMPARE(*hit, (HeatmapCell{r, c}));
            }
        }
        QCOMPARE(g.cellAt(QPointF(30, 40)), std::optional<HeatmapCell>(HeatmapCell{0, 0}));
        QVERIFY(!g.cellAt(QPointF(29.9, 50)).has_value());
        QVERIFY(!g.cellAt(QPointF(130, 50)).has_value()); // right edge belongs to nothing
        QVERIFY(!g.cellAt(QPointF(50, 100)).has_value());
        QCOMPARE(g.rowRect(1), QRectF(30, 60, 100, 20));
    }
};

QTEST_MAIN(TestHeatmapGeometry) // the label geometry needs fonts, hence a QGuiApplication
#include "test_heatmapgeometry.moc"
