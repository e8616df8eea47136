// ArcsLayout maths, and ArcsView rendered from a real lesson: line opacity follows the weights,
// head switches and token focus change what is drawn, also through the widget's cached picture.
// ArcsLines' own rasteriser draws what QPainter draws.

#include "export/exportoptions.h"
#include "state/selectionstate.h"
#include "views/arcs/arcslayout.h"
#include "views/arcs/arcslines.h"
#include "views/arcs/arcspalette.h"
#include "views/arcs/arcsview.h"
#include "viewtestdata.h"

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QPicture>
#include <QSignalSpy>
#include <QTest>

using namespace attnviz;

class TestArcsView : public QObject
{
    Q_OBJECT

private:
    // Mean alpha-like "ink" of head colour h along a line: the lighter the background shows, the
    // weaker the line. Returns the darkest-step distance from white at the line's middle point.
    static int inkAt(const QImage& image, QPointF p)
    {
        const QColor c = image.pixelColor(p.toPoint());
        return 255 * 3 - (c.red() + c.green() + c.blue());
    }

    static qint64 totalInk(const QImage& image)
    {
        qint64 ink = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                ink += inkAt(image, QPointF(x, y));
        return ink;
    }

    // Pixels whose channels differ by more than a rounding step between two renderings.
    static int differingPixels(const QImage& a, const QImage& b)
    {
        if (a.size() != b.size())
            return -1;
        int count = 0;
        for (int y = 0; y < a.height(); ++y) {
            for (int x = 0; x < a.width(); ++x) {
                const QColor p = a.pixelColor(x, y);
                const QColor q = b.pixelColor(x, y);
                const int d = std::max(
                    {std::abs(p.red() - q.red()), std::abs(p.green() - q.green()), std::abs(p.blue() - q.blue())});
                count += d > 4 ? 1 : 0;
            }
        }
        return count;
    }

    static QImage blank(int size, qreal dpr)
    {
        QImage image(QSize(size, size) * dpr, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(dpr);
        image.fill(Qt::white);
        return image;
    }

private slots:
    void topKKeepsEachQuerysStrongest()
    {
        // Four keys in a row, two kept: the cut-off is the second largest weight.
        QCOMPARE(arcsCutOff({0.5f, 0.1f, 0.3f, 0.2f}, 2, 0.01f), 0.3f);
        QCOMPARE(arcsCutOff({0.5f, 0.1f}, 2, 0.01f), 0.01f);  // they fit: only the floor applies
        QCOMPARE(arcsCutOff({0.5f, 0.1f, 0.3f}, 1, 0.6f), 0.6f); // never below the floor
        QCOMPARE(arcsCutOff({0.5f, 0.1f, 0.3f}, 0, 0.01f), 0.01f); // k = 0: every line
    }

    // A long input: every query keeps its k strongest keys (no global cap drops whole rows), the
    // rows keep a readable height (the view scrolls) and the title says k.
    void longInputsDrawEveryQuerysTopK()
    {
        constexpr int tokens = 600;
        const auto result = testdata::synthetic(1, 3, tokens); // head 2: a smooth causal softmax
        SelectionState selection;
        selection.setShape(1, 1, 3, tokens);
        selection.setHead(2);
        selection.setArcsTopK(3);
        ArcsView view(&selection);
        view.setResult(result);
        QVERIFY(view.minimumHeight() >= tokens * ArcsLayout::minRowHeight);
        const ArcsLayout layout = view.layoutFor(QRectF(0, 0, 500, view.minimumHeight()));
        QCOMPARE(layout.rowHeight, ArcsLayout::minRowHeight);
        const ArcsLines lines = view.linesFor(layout, {});
        std::vector<int> perQuery(tokens, 0);
        for (const auto& g : lines.groups)
            for (const QLineF& l : g.lines)
                ++perQuery[std::size_t(layout.hitTest(l.p1() - QPointF(ArcsLayout::labelGap + 1, 0)).index)];
        const auto& a = result->stacks[0].attention;
        for (int i = 0; i < tokens; ++i) {
            int visible = 0; // keys heavy enough to be seen at all
            for (int j = 0; j < tokens; ++j)
                visible += a.at(0, 2, i, j) >= 0.01f ? 1 : 0;
            QCOMPARE(perQuery[std::size_t(i)], std::min(3, visible));
        }
        QVERIFY(view.title().contains(QLatin1String("the 3 strongest keys per query")));
        // Painted a visible strip at a time: only the lines crossing it.
        const QRectF strip(0, layout.leftAnchor(300).y() - 20, 500, 40);
        const ArcsLines part = view.linesFor(layout, {}, strip);
        int partCount = 0, allCount = 0;
        for (const auto& g : part.groups)
            partCount += int(g.lines.size());
        for (const auto& g : lines.groups)
            allCount += int(g.lines.size());
        QVERIFY(partCount > 0 && partCount < allCount / 10);
        for (const auto& g : part.groups)
            for (const QLineF& l : g.lines)
                QVERIFY(std::max(l.p1().y(), l.p2().y()) >= strip.top() - 4 && std::min(l.p1().y(), l.p2().y()) <= strip.bottom() + 4);
        selection.setArcsTopK(0);
        QVERIFY(!view.title().contains(QLatin1String("strongest")));
    }

    void layoutRowsAndAnchors()
    {
        // 400×300 area, header 52, margin 12: body height 236; 4 rows → rows capped at 26.
        const ArcsLayout l = ArcsLayout::compute(QRectF(0, 0, 400, 300), 4, 4, 60);
        QCOMPARE(l.rowHeight, 26.0);
        // Lines get min(320, 376 - 120) = 256; total 376 → left edge at 12.
        QCOMPARE(l.leftColumn.left(), 12.0);
        QCOMPARE(l.rightColumn.left(), 12.0 + 60 + 256);
        // Column of 104 px centred in the body [52, 288): top = 52 + (236 - 104) / 2 = 118.
        QCOMPARE(l.leftColumn.top(), 118.0);
        QCOMPARE(l.leftLabelRect(2), QRectF(12, 118 + 52, 60, 26));
        QCOMPARE(l.leftAnchor(0), QPointF(12 + 60 + ArcsLayout::labelGap, 118 + 13));
        QCOMPARE(l.rightAnchor(3), QPointF(328 - ArcsLayout::labelGap, 118 + 78 + 13));
    }

    void layoutShrinksRowsForLongInputs()
    {
        const ArcsLayout l = ArcsLayout::compute(QRectF(0, 0, 400, 300), 10, 10, 60);
        QCOMPARE(l.rowHeight, 23.6); // (300 - 52 - 12) / 10
        // Past the readable minimum the rows keep their height and the columns run on (the view scrolls).
        const ArcsLayout longer = ArcsLayout::compute(QRectF(0, 0, 400, 300), 100, 100, 60);
        QCOMPARE(longer.rowHeight, ArcsLayout::minRowHeight);
        QCOMPARE(longer.leftColumn.height(), 100 * ArcsLayout::minRowHeight);
        // Different lengths (cross-attention): each column is centred on its own.
        const ArcsLayout c = ArcsLayout::compute(QRectF(0, 0, 400, 300), 2, 4, 60);
        QCOMPARE(c.leftColumn.center().y(), c.rightColumn.center().y());
        QVERIFY(c.leftColumn.height() < c.rightColumn.height());
    }

    void hitTest_data()
    {
        QTest::addColumn<QPointF>("point");
        QTest::addColumn<int>("side");
        QTest::addColumn<int>("index");
        QTest::newRow("left row 0") << QPointF(40, 120) << int(ArcsLayout::Side::Left) << 0;
        QTest::newRow("left row 3") << QPointF(40, 118 + 26 * 3 + 25) << int(ArcsLayout::Side::Left) << 3;
        QTest::newRow("right row 1") << QPointF(340, 118 + 30) << int(ArcsLayout::Side::Right) << 1;
        QTest::newRow("between") << QPointF(200, 150) << int(ArcsLayout::Side::None) << -1;
        QTest::newRow("below") << QPointF(40, 118 + 104 + 1) << int(ArcsLayout::Side::None) << -1;
    }

    void hitTest()
    {
        QFETCH(QPointF, point);
        QFETCH(int, side);
        QFETCH(int, index);
        const ArcsLayout l = ArcsLayout::compute(QRectF(0, 0, 400, 300), 4, 4, 60);
        const ArcsLayout::Hit hit = l.hitTest(point);
        QCOMPARE(int(hit.side), side);
        QCOMPARE(hit.index, index);
    }

    void paletteIsDistinctAndStable()
    {
        QCOMPARE(ArcsPalette::headColor(0), QColor(0x4e, 0x79, 0xa7));
        for (int a = 0; a < 32; ++a)
            for (int b = a + 1; b < 32; ++b) QVERIFY2(ArcsPalette::headColor(a) != ArcsPalette::headColor(b), "repeat");
    }

    void lineOpacityFollowsWeight()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        selection.setHeadEnabled(1, false);
        ArcsView view(&selection);
        view.setResult(result);
        const QSize size(400, 300);
        const ArcsLayout layout = view.layoutFor(QRectF(QPointF(), QSizeF(size)));

        // Query 3 ("down") may see keys 0..3: find its strongest and weakest key under head 0.
        selection.setQueryToken(3);
        int strong = 0, weak = 0;
        for (int k = 0; k < 4; ++k) {
            if (a.at(0, 0, 3, k) > a.at(0, 0, 3, strong)) strong = k;
            if (a.at(0, 0, 3, k) < a.at(0, 0, 3, weak)) weak = k;
        }
        QVERIFY(a.at(0, 0, 3, strong) > a.at(0, 0, 3, weak) + 0.1f);
        const QImage image = view.renderImage(size);
        auto mid = [&](int k) { return (layout.leftAnchor(3) + layout.rightAnchor(k)) / 2.0; };
        QVERIFY2(inkAt(image, mid(strong)) > inkAt(image, mid(weak)) + 20,
                 qPrintable(QStringLiteral("strong %1 weak %2").arg(inkAt(image, mid(strong))).arg(inkAt(image, mid(weak)))));
        // The line is drawn in head 0's colour: blue dominates.
        const QColor c = image.pixelColor(mid(strong).toPoint());
        QVERIFY(c.blue() > c.red());
        // Query 0 is not focused: its line to key 0 (weight 1 under the causal mask) is absent.
        QCOMPARE(inkAt(image, (layout.leftAnchor(0) + layout.rightAnchor(0)) / 2.0), 0);
    }

    void headSwitchAndFocusChangeDrawing()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        selection.setMeanOfHeads(true); // every switched-on head
        ArcsView view(&selection);
        view.setResult(result);
        const QSize size(400, 300);
        const ArcsLayout layout = view.layoutFor(QRectF(QPointF(), QSizeF(size)));
        const QPointF q0k0 = (layout.leftAnchor(0) + layout.rightAnchor(0)) / 2.0;

        // No focus: every query's lines; query 0 attends only to key 0 with weight 1.
        QVERIFY(inkAt(view.renderImage(size), q0k0) > 100);
        selection.setQueryToken(2);
        QCOMPARE(inkAt(view.renderImage(size), q0k0), 0);
        selection.setQueryToken(-1);
        selection.setHeadEnabled(0, false);
        selection.setHeadEnabled(1, false);
        QCOMPARE(inkAt(view.renderImage(size), q0k0), 0);
    }

    void focusedHeadIsolatesItsLines()
    {
        // Without "mean of heads" the arcs show the focused head alone, as the heatmap does.
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        ArcsView view(&selection);
        view.resize(400, 300);
        view.setResult(result);
        const ArcsLayout layout = view.layoutFor(QRectF(view.rect()));
        const QPointF q0k0 = (layout.leftAnchor(0) + layout.rightAnchor(0)) / 2.0;
        auto colourAt = [&] { return view.grab().toImage().pixelColor(q0k0.toPoint()); };
        QCOMPARE(view.drawnHeads(), QList<int>{0});
        QVERIFY2(colourAt().blue() > colourAt().red(), qPrintable(colourAt().name())); // head 0 alone: blue
        selection.setHead(1);
        QCOMPARE(view.drawnHeads(), QList<int>{1});
        QVERIFY2(colourAt().red() > colourAt().blue(), qPrintable(colourAt().name())); // head 1 alone: orange
        selection.setMeanOfHeads(true);
        QCOMPARE(view.drawnHeads(), (QList<int>{0, 1}));
        selection.setHeadEnabled(0, false);
        QCOMPARE(view.drawnHeads(), QList<int>{1});
    }

    void titleNamesTheDrawnHeads()
    {
        // The title used to say "layer 0 · head 0" while every head was drawn.
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        ArcsView view(&selection);
        view.setResult(result);
        selection.setHead(1);
        QCOMPARE(view.title(), QStringLiteral("Layer 0 · head 1"));
        selection.setMeanOfHeads(true);
        QCOMPARE(view.title(), QStringLiteral("Layer 0 · %1 switched-on heads").arg(view.drawnHeads().size()));
        selection.setHeadEnabled(0, false);
        QCOMPARE(view.title(), QStringLiteral("Layer 0 · 1 switched-on head"));
        // The export's own title says the same.
        QVERIFY(ExportOptions::defaultTitle(*result, selection, QStringLiteral("arcs"))
                    .contains(QLatin1String("switched-on heads")));
    }

    void cachedPictureFollowsEveryChange()
    {
        // The widget repaints from a cached picture; each change must still reach the screen.
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        selection.setMeanOfHeads(true); // every switched-on head, each in its colour
        ArcsView view(&selection);
        view.resize(400, 300);
        view.setResult(result);
        auto shown = [&] { return view.grab().toImage(); };
        const ArcsLayout layout = view.layoutFor(QRectF(view.rect()));
        // Query 0 attends to key 0 with weight 1 in both heads: both lines cross this point.
        const QPointF q0k0 = (layout.leftAnchor(0) + layout.rightAnchor(0)) / 2.0;
        QVERIFY(inkAt(shown(), q0k0) > 100);
        QCOMPARE(differingPixels(shown(), view.renderImage(view.size())), 0);

        selection.setQueryToken(2);
        QCOMPARE(inkAt(shown(), q0k0), 0);
        selection.setQueryToken(-1);
        QVERIFY(inkAt(shown(), q0k0) > 100);

        // Head colours: head 0 is blue, head 1 orange.
        selection.setHeadEnabled(1, false);
        QColor c = shown().pixelColor(q0k0.toPoint());
        QVERIFY2(c.blue() > c.red(), qPrintable(c.name()));
        selection.setHeadEnabled(1, true);
        selection.setHeadEnabled(0, false);
        c = shown().pixelColor(q0k0.toPoint());
        QVERIFY2(c.red() > c.blue(), qPrintable(c.name()));
        selection.setHeadEnabled(0, true);

        // Hovering a query of this view keeps only its lines.
        const QPointF pos = layout.leftLabelRect(2).center();
        QMouseEvent move(QEvent::MouseMove, pos, view.mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &move);
        QCOMPARE(inkAt(shown(), q0k0), 0);
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(&view, &leave);
        QVERIFY(inkAt(shown(), q0k0) > 100);

        // A new result of the same shape (a word edited): query 0 no longer attends to key 0.
        auto edited = std::make_shared<AttentionResult>(*result);
        for (int h = 0; h < a.heads; ++h)
            edited->stacks[0].attention.head(0, h)[0] = 0.0f;
        view.setResult(edited);
        QCOMPARE(inkAt(shown(), q0k0), 0);
        view.setResult(result);

        // A theme switch repaints the background.
        QPalette dark = view.palette();
        dark.setColor(QPalette::Base, Qt::black);
        view.setPalette(dark);
        QVERIFY(shown().pixelColor(2, 2).lightness() < 30);

        // A new result and a new size redraw as well.
        view.setResult(testdata::lesson("cross-attention-translation"));
        selection.setShape(1, 1, 1, 3, 4);
        QCOMPARE(differingPixels(shown(), view.renderImage(view.size())), 0);
        view.resize(300, 200);
        QCOMPARE(shown().size(), QSize(300, 200));
        QCOMPARE(differingPixels(shown(), view.renderImage(view.size())), 0);
    }

    void rasterLinesMatchQPainter_data()
    {
        QTest::addColumn<bool>("antialiased");
        QTest::addColumn<qreal>("width");
        QTest::addColumn<qreal>("dpr");
        QTest::newRow("thin aliased") << false << 1.0 << 1.0;
        QTest::newRow("thin aliased 2x") << false << 1.0 << 2.0;
        QTest::newRow("smooth 1.5") << true << 1.5 << 1.0;
        QTest::newRow("smooth 3") << true << 3.0 << 1.0;
        QTest::newRow("smooth 3 at 2x") << true << 3.0 << 2.0;
    }

    void rasterLinesMatchQPainter()
    {
        QFETCH(bool, antialiased);
        QFETCH(qreal, width);
        QFETCH(qreal, dpr);
        ArcsLines lines;
        lines.antialiased = antialiased;
        lines.width = width;
        QColor first = ArcsPalette::headColor(0);
        first.setAlphaF(0.6);
        QColor second = ArcsPalette::headColor(1);
        second.setAlphaF(0.3);
        // Shallow and steep, rising and falling, overlapping, and one leaving the picture.
        const QList<QLineF> shapes = {QLineF(20, 30, 180, 42), QLineF(20, 30, 60, 180), QLineF(30, 170, 180, 20),
                                      QLineF(-40, 120, 230, 150)};
        lines.groups.push_back({first, shapes});
        lines.groups.push_back({second, {QLineF(20, 100, 180, 100), QLineF(20, 100, 180, 100)}});

        // Onto an image: the rasteriser. Through a QPicture: plain QPainter::drawLines.
        QImage raster = blank(200, dpr);
        {
            QPainter painter(&raster);
            lines.paint(painter);
        }
        QPicture picture;
        {
            QPainter painter(&picture);
            lines.paint(painter);
        }
        QImage reference = blank(200, dpr);
        {
            QPainter painter(&reference);
            picture.play(&painter);
        }
        const double ratio = double(totalInk(raster)) / double(totalInk(reference));
        QVERIFY2(ratio > 0.95 && ratio < 1.05, qPrintable(QString::number(ratio)));
        // Each line in the same place: the ink around its middle agrees.
        auto inkAround = [&](const QImage& image, QPointF p) {
            int ink = 0;
            for (int dy = -3; dy <= 3; ++dy)
                for (int dx = -3; dx <= 3; ++dx)
                    ink += inkAt(image, p * dpr + QPointF(dx, dy));
            return ink;
        };
        for (const QLineF& l : shapes + QList<QLineF>{QLineF(20, 100, 180, 100)}) {
            const int a = inkAround(raster, l.center());
            const int b = inkAround(reference, l.center());
            QVERIFY2(b > 0 && std::abs(a - b) < b / 5, qPrintable(QStringLiteral("%1 vs %2").arg(a).arg(b)));
        }
    }

    void hoverAndClickUseTheLayout()
    {
        const auto result = testdata::lesson("two-heads-causal");
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        ArcsView view(&selection);
        view.resize(400, 300);
        view.setResult(result);
        const ArcsLayout layout = view.layoutFor(QRectF(view.rect()));
        // QTest::mouseMove only moves the cursor on offscreen windows; send the event itself.
        const QPointF pos = layout.leftLabelRect(2).center();
        QMouseEvent move(QEvent::MouseMove, pos, view.mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &move);
        QCOMPARE(selection.hoveredToken(), 2);
        QCOMPARE(view.focus().index, 2);
        QSignalSpy spy(&selection, &SelectionState::queryTokenChanged);
        QTest::mouseClick(&view, Qt::LeftButton, {}, layout.leftLabelRect(1).center().toPoint());
        QCOMPARE(selection.queryToken(), 1);
        QCOMPARE(spy.count(), 1);
    }

    void labelsFitANarrowDock_data()
    {
        QTest::addColumn<int>("width");
        QTest::newRow("side dock as it opens") << 176;
        QTest::newRow("wider dock") << 230;
        QTest::newRow("narrowest dock") << 130;
        QTest::newRow("tab") << 900;
    }
    void labelsFitANarrowDock()
    {
        // The side dock is narrow: labels such as "<|endoftext|>" were cut at both edges. Now they
        // keep a margin and the lines a minimum width; a smaller font fits them whole, and where even
        // the smallest does not, the label is elided (paintLabels) rather than cut.
        auto result = std::make_shared<AttentionResult>(*testdata::synthetic(1, 2, 15));
        result->tokens[0].display = "<|endoftext|>";
        result->tokens[8].display = " because";
        SelectionState selection;
        selection.setShape(1, 1, 2, 15, 15);
        ArcsView view(&selection);
        view.setResult(result);
        QFETCH(int, width);
        const ArcsLayout layout = view.layoutFor(QRectF(0, 0, width, 644));
        QVERIFY(layout.labelPixelSize >= 8); // still readable
        QFont font;
        font.setPixelSize(layout.labelPixelSize);
        const QFontMetricsF metrics(font);
        for (const Token& t : result->tokens) {
            const QString text = QString::fromStdString(t.display).trimmed();
            const double room = layout.labelWidth - 12; // the label's padding
            // Whole labels, unless the dock is too narrow even for the smallest font (then elided).
            QVERIFY2(metrics.horizontalAdvance(text) <= room || width < 200, qPrintable(text));
        }
        QVERIFY(layout.leftColumn.left() >= 0);
        QVERIFY(layout.rightColumn.right() <= width);
        QVERIFY(layout.rightColumn.left() - layout.leftColumn.right() >= ArcsLayout::minLinesWidth);
    }

    void crossAttentionPutsSourceOnTheRight()
    {
        const auto result = testdata::lesson("cross-attention-translation");
        SelectionState selection;
        const auto& a = result->stacks[0].attention;
        QCOMPARE(a.keys, 4);
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        ArcsView view(&selection);
        view.setResult(result);
        const ArcsLayout layout = view.layoutFor(QRectF(0, 0, 400, 300));
        QCOMPARE(layout.leftCount, 3);
        QCOMPARE(layout.rightCount, 4);
        QVERIFY(view.preferredExportSize().height() >= ArcsLayout::preferredHeight(3, 4));
    }
};

QTEST_MAIN(TestArcsView)
#include "test_arcsview.moc"
