// Heatmap geometry: fitting cells, rect for a cell and cell for a point.
#include "views/heatmap/heatmapgeometry.h"
#include "views/heatmap/heatmappainter.h"
#include "views/numberformat.h"

#include <QPainter>
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
        // No lower bound (Fit): a long input becomes an overview of n × n cells per pixel.
        const auto overview = HeatmapGeometry::fit(QRectF(0, 0, 100, 100), 800, 800, 0, 60);
        QCOMPARE(overview.cellSize, 1.0 / 8);
        QCOMPARE(overview.pool(), 8);
        QCOMPARE(HeatmapGeometry::fit(QRectF(0, 0, 100, 100), 801, 801, 0, 60).pool(), 9); // every cell inside
        QCOMPARE(HeatmapGeometry::fit(QRectF(0, 0, 100, 100), 50, 50, 0, 60).cellSize, 2.0);
        QCOMPARE(HeatmapGeometry::snapped(2.7), 2.0);
        QCOMPARE(HeatmapGeometry::snapped(0.3), 0.25);
        QCOMPARE(HeatmapGeometry::fit(QRectF(0, 0, 100, 100), 50, 50, 14, 60).pool(), 1);
    }

    // The overview's pixels: the largest allowed weight of their block, masked blocks hatched,
    // and the legend says how many cells a pixel holds.
    void overviewPoolsBlocksByTheirMaximum()
    {
        constexpr int n = 512;
        HeatmapData d;
        d.values = Matrix::Zero(n, n);
        d.mask = MaskMatrix::Zero(n, n);
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j <= i; ++j) {
                d.values(i, j) = i == j ? 1.0f : 0.01f;
                d.mask(i, j) = 1;
            }
            d.rowLabels << QStringLiteral("t%1").arg(i);
            d.colLabels << QStringLiteral("t%1").arg(i);
        }
        d.values(0, n - 1) = 5.0f; // masked: must not show through
        d.minValue = 0.0f;
        d.maxValue = 1.0f;
        QPalette palette;
        const ColorMap map{ColorMapKind::Viridis};
        HeatmapPainter painter(d, map, QFont(), palette);
        const QRectF target(0, 0, 420, 420);
        const HeatmapLayout l = painter.layout(target);
        const int pool = l.grid.pool();
        QVERIFY2(pool > 1 && l.grid.gridRect().width() <= target.width(), qPrintable(QString::number(pool)));
        QImage image(target.size().toSize(), QImage::Format_RGB32);
        image.fill(palette.color(QPalette::Base));
        QPainter p(&image);
        painter.paint(p, l);
        p.end();
        const auto pixelOf = [&](int row, int col) {
            const QPointF at = l.grid.cellRect(row / pool * pool, col / pool * pool).topLeft() + QPointF(0.5, 0.5);
            return QColor(image.pixel(at.toPoint()));
        };
        QCOMPARE(pixelOf(10 * pool, 10 * pool), QColor(map.rgb(1.0)));      // holds the diagonal
        QCOMPARE(pixelOf(20 * pool, 3 * pool), QColor(map.rgb(0.01)));      // only the small weights
        const QColor masked = pixelOf(0, n - 1);                              // all masked, the 5.0 too
        QVERIFY2(masked != QColor(map.rgb(1.0)) && masked.saturation() < 30, qPrintable(masked.name()));
        // The legend says what a pixel is.
        const auto around = [&](double cell) { return painter.requiredSize(cell).height() - std::max(n * cell, 150.0); };
        QVERIFY(around(1.0 / pool) > around(1.0)); // room for its extra line
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
