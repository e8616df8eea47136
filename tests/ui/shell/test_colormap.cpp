// Colour maps: published endpoints, monotone lightness, inverse lookup and names.
#include "views/colormap.h"

#include <QTest>

using namespace attnviz;

class TestColorMap : public QObject
{
    Q_OBJECT
private slots:
    void endpoints_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<uint>("low");
        QTest::addColumn<uint>("high");
        QTest::newRow("viridis") << int(ColorMapKind::Viridis) << 0x440154u << 0xfde725u;
        QTest::newRow("magma") << int(ColorMapKind::Magma) << 0x000004u << 0xfcfdbfu;
        QTest::newRow("cividis") << int(ColorMapKind::Cividis) << 0x00224eu << 0xfee838u;
        QTest::newRow("diverging") << int(ColorMapKind::Diverging) << 0x3b4cc0u << 0xb40426u;
    }
    void endpoints()
    {
        QFETCH(int, kind);
        QFETCH(uint, low);
        QFETCH(uint, high);
        const ColorMap map{static_cast<ColorMapKind>(kind)};
        QCOMPARE(map.rgb(0.0) & 0xffffff, low);
        QCOMPARE(map.rgb(1.0) & 0xffffff, high);
        QCOMPARE(map.rgb(-3.0), map.rgb(0.0)); // clamped
        QCOMPARE(map.rgb(7.0), map.rgb(1.0));
        QCOMPARE(map.rgb(std::nan("")), map.rgb(0.0));
    }

    void viridisMidpointMatchesMatplotlib()
    {
        // matplotlib's viridis(0.5) is #21918c; interpolating the ten samples stays within a few units.
        const QRgb c = ColorMap{ColorMapKind::Viridis}.rgb(0.5);
        QVERIFY(std::abs(qRed(c) - 0x21) <= 6);
        QVERIFY(std::abs(qGreen(c) - 0x91) <= 6);
        QVERIFY(std::abs(qBlue(c) - 0x8c) <= 6);
    }

    void sequentialMapsGetLighter()
    {
        for (ColorMapKind kind : {ColorMapKind::Viridis, ColorMapKind::Magma, ColorMapKind::Cividis}) {
            const ColorMap map{kind};
            double previous = -1;
            for (int i = 0; i <= 50; ++i) {
                const QRgb c = map.rgb(i / 50.0);
                const double l = 0.2126 * qRed(c) + 0.7152 * qGreen(c) + 0.0722 * qBlue(c);
                QVERIFY2(l > previous - 0.5, qPrintable(ColorMap::name(kind) + QString::number(i)));
                previous = l;
            }
        }
    }

    void inverseFindsTheValue()
    {
        for (ColorMapKind kind : ColorMap::all()) {
            const ColorMap map{kind};
            for (double t : {0.0, 0.13, 0.5, 0.77, 1.0})
                QVERIFY(std::abs(map.valueOf(map.rgb(t)) - t) < 0.01);
        }
        QCOMPARE(ColorMap{ColorMapKind::Viridis}.valueOf(qRgb(255, 0, 255)), -1.0); // not on the map
    }

    void namesRoundTrip()
    {
        for (ColorMapKind kind : ColorMap::all())
            QCOMPARE(ColorMap::fromName(ColorMap::name(kind)), kind);
        QCOMPARE(ColorMap::fromName(QStringLiteral("nonsense"), ColorMapKind::Magma), ColorMapKind::Magma);
    }

    void textContrast()
    {
        QCOMPARE(ColorMap::textColorOn(ColorMap{ColorMapKind::Viridis}.rgb(0.0)), QColor(Qt::white));
        QCOMPARE(ColorMap::textColorOn(ColorMap{ColorMapKind::Viridis}.rgb(1.0)), QColor(Qt::black));
    }
};

QTEST_GUILESS_MAIN(TestColorMap)
#include "test_colormap.moc"
