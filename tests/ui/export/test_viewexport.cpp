// ViewExporter: every view in every format gives a valid file (PNG at the requested size, SVG that
// parses and carries the labels as text, PDF with one page), and the heatmap's exported pixels map
// back to the lesson's known weights.
#include "export/exportframe.h"
#include "export/viewexporter.h"
#include "views/viewfactory.h"
#include "export/viewstylescope.h"
#include "exporttestdata.h"
#include "views/heatmap/heatmapview.h"
#include "state/selectionstate.h"

#include <QApplication>
#include <QBuffer>
#include <QHash>
#include <QLoggingCategory>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace attnviz;

namespace {

struct Fixture
{
    SelectionState selection;
    std::unique_ptr<AttentionView> view;
    std::shared_ptr<const AttentionResult> result;

    explicit Fixture(const QString& name, std::shared_ptr<const AttentionResult> r = exporttest::lessonResult())
        : result(std::move(r))
    {
        const AttentionTensor& a = result->stacks.front().attention;
        selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
        view = ViewFactory::create(name, &selection);
        view->setResult(result);
    }
};

QStringList svgTexts(const QByteArray& svg, QString* error)
{
    QStringList texts;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
    }
    if (xml.hasError())
        *error = xml.errorString();
    return texts;
}

int pdfPageCount(const QByteArray& pdf)
{
    // "/Type /Page" objects, not the "/Type /Pages" tree node.
    static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?![s\\w])"));
    return int(QString::fromLatin1(pdf).count(page));
}

// The most common colour inside `r` (device pixels): the cell's fill, whatever text sits on it.
QRgb dominantColor(const QImage& image, const QRect& r)
{
    QHash<QRgb, int> counts;
    for (int y = r.top(); y <= r.bottom(); ++y) {
        for (int x = r.left(); x <= r.right(); ++x)
            ++counts[image.pixel(x, y) | 0xff000000u];
    }
    QRgb best = 0;
    int most = -1;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (it.value() > most) {
            most = it.value();
            best = it.key();
        }
    }
    return best;
}

bool near(QRgb a, QRgb b, int tolerance)
{
    return std::abs(qRed(a) - qRed(b)) <= tolerance && std::abs(qGreen(a) - qGreen(b)) <= tolerance &&
           std::abs(qBlue(a) - qBlue(b)) <= tolerance;
}

} // namespace

class TestViewExport : public QObject
{
    Q_OBJECT
private slots:
    void everyViewEveryFormat_data();
    void everyViewEveryFormat();
    void requestedSizeAndScale();
    void dpiIsStoredAndScales();
    void heatmapPixelsMatchWeights();
    void transparentBackground();
    void darkTheme();
    void svgRendersLikeThePng();
    void titleIsNotRepeated_data();
    void titleIsNotRepeated();
    void restoresViewStyle();
    void refusesTooManyPixels_data();
    void refusesTooManyPixels();
};

void TestViewExport::everyViewEveryFormat_data()
{
    QTest::addColumn<QString>("view");
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("drawsTokens");
    for (const QString& v : ViewFactory::names()) {
        const bool tokens =
            v == QLatin1String("heatmap") || v == QLatin1String("arcs") || v == QLatin1String("pipeline");
        for (const auto f : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf}) {
            QTest::addRow("%s-%s", qPrintable(v), qPrintable(ExportOptions::suffix(f))) << v << int(f) << tokens;
        }
    }
}

void TestViewExport::everyViewEveryFormat()
{
    QFETCH(QString, view);
    QFETCH(int, format);
    QFETCH(bool, drawsTokens);
    Fixture f(view);
    QVERIFY(f.view);
    ExportOptions o;
    o.format = ExportFormat(format);
    o.scale = 1.0;
    o.title = QStringLiteral("Export title marker");
    o.sentence = QStringLiteral("the cat sat down");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.") + ExportOptions::suffix(o.format));
    QCOMPARE(ViewExporter::exportToFile(*f.view, o, path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();

    switch (o.format) {
    case ExportFormat::Png: {
        QImage image;
        QVERIFY(image.loadFromData(bytes, "PNG"));
        const ViewStyleScope style(*f.view, o);
        const QSize expected = ExportFrame(*f.view, o).pageSize().toSize();
        QCOMPARE(image.size(), expected);
        break;
    }
    case ExportFormat::Svg: {
        QString error;
        const QStringList texts = svgTexts(bytes, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString all = texts.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("Export title marker")), qPrintable(all));
        if (drawsTokens) {
            for (const Token& t : f.result->tokens)
                QVERIFY2(texts.contains(QString::fromStdString(t.display)), t.display.c_str());
        }
        QVERIFY(bytes.contains("<rect") || bytes.contains("<path")); // shapes, not only text
        // True vector: cells are shapes, never an embedded bitmap (the pipeline and model grid
        // draw their matrices from small images on screen).
        QVERIFY2(!bytes.contains("<image"), "the SVG embeds a bitmap");
        break;
    }
    case ExportFormat::Pdf:
        QVERIFY(bytes.startsWith("%PDF"));
        QCOMPARE(pdfPageCount(bytes), 1);
        break;
    }
}

void TestViewExport::titleIsNotRepeated_data()
{
    QTest::addColumn<QString>("view");
    QTest::newRow("heatmap") << QStringLiteral("heatmap");
    QTest::newRow("arcs") << QStringLiteral("arcs");
}

void TestViewExport::titleIsNotRepeated()
{
    // The header's title names model, layer, head and mask; the view's own "Layer 0 · head 0"
    // under it said the same again. Without a header title the view keeps its own.
    QFETCH(QString, view);
    Fixture f(view);
    const auto viewTitles = [&](const QString& title) {
        ExportOptions o;
        o.format = ExportFormat::Svg;
        o.title = title;
        QString error;
        const QStringList texts = svgTexts(ViewExporter::renderSvg(*f.view, o), &error);
        return texts.filter(QStringLiteral("Layer 0 \u00b7 head 0")).size();
    };
    QCOMPARE(viewTitles(ExportOptions::defaultTitle(*f.result, f.selection, view)), 0);
    QCOMPARE(viewTitles(QString()), 1);
    QVERIFY(f.view->showsTitle()); // the window's view is given its title back
}

void TestViewExport::requestedSizeAndScale()
{
    Fixture f(QStringLiteral("heatmap"));
    ExportOptions o;
    o.size = QSizeF(640, 480);
    o.title = QStringLiteral("t");
    for (const double scale : {1.0, 2.0, 3.0}) {
        o.scale = scale;
        QImage image;
        QVERIFY(image.loadFromData(ViewExporter::renderPng(*f.view, o), "PNG"));
        QCOMPARE(image.size(), QSize(qRound(640 * scale), qRound(480 * scale)));
    }
}

void TestViewExport::dpiIsStoredAndScales()
{
    Fixture f(QStringLiteral("arcs"));
    ExportOptions o;
    o.size = QSizeF(300, 200);
    o.dpi = 192;
    QImage image;
    QVERIFY(image.loadFromData(ViewExporter::renderPng(*f.view, o), "PNG"));
    QCOMPARE(image.size(), QSize(600, 400));
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 192);
}

void TestViewExport::heatmapPixelsMatchWeights()
{
    Fixture f(QStringLiteral("heatmap"));
    auto* heatmap = qobject_cast<HeatmapView*>(f.view.get());
    QVERIFY(heatmap);
    ExportOptions o;
    o.scale = 2.0;
    o.title = QStringLiteral("Weights");
    o.sentence = QStringLiteral("the cat sat down");
    QImage image;
    QVERIFY(image.loadFromData(ViewExporter::renderPng(*f.view, o), "PNG"));

    // Where the exporter put the cells: the frame's view rectangle, laid out by the heatmap's painter
    // with the export's palette and font.
    const ViewStyleScope style(*f.view, o);
    const ExportFrame frame(*f.view, o);
    const ColorMap map{f.selection.colorMap()};
    const HeatmapPainter painter(heatmap->data(), map, heatmap->font(), heatmap->palette());
    const HeatmapGeometry g = painter.layout(frame.viewRect(), heatmap->cellSize()).grid;
    QCOMPARE(g.rows, 4);
    const AttentionTensor& a = f.result->stacks.front().attention;
    const QRgb masked = HeatmapPainter::maskedColor(heatmap->palette()).rgb();
    int checked = 0;
    for (int i = 0; i < g.rows; ++i) {
        for (int j = 0; j < g.cols; ++j) {
            const QRectF cell = g.cellRect(i, j).adjusted(3, 3, -3, -3);
            const QRect pixels(QPoint(qCeil(cell.left() * o.scale), qCeil(cell.top() * o.scale)),
                               QPoint(qFloor(cell.right() * o.scale) - 1, qFloor(cell.bottom() * o.scale) - 1));
            const QRgb seen = dominantColor(image, pixels);
            if (j > i) { // causal lesson: a query never sees later keys
                QVERIFY2(near(seen, masked, 3),
                         qPrintable(QStringLiteral("masked cell %1,%2 is %3").arg(i).arg(j).arg(seen, 0, 16)));
                continue;
            }
            const float weight = a.at(0, 0, i, j);
            QVERIFY2(
                near(seen, map.rgb(weight), 3),
                qPrintable(
                    QStringLiteral("cell %1,%2: %3 vs %4").arg(i).arg(j).arg(seen, 0, 16).arg(map.rgb(weight), 0, 16)));
            QVERIFY(std::abs(map.valueOf(seen) - weight) < 0.03);
            ++checked;
        }
    }
    QCOMPARE(checked, 10);
    QCOMPARE(a.at(0, 0, 0, 0), 1.0f); // the first token can only look at itself
}

void TestViewExport::transparentBackground()
{
    Fixture f(QStringLiteral("heatmap"));
    ExportOptions o;
    o.transparent = true;
    QImage image;
    QVERIFY(image.loadFromData(ViewExporter::renderPng(*f.view, o), "PNG"));
    QVERIFY(image.hasAlphaChannel());
    QCOMPARE(qAlpha(image.pixel(1, 1)), 0);
    o.transparent = false;
    QVERIFY(image.loadFromData(ViewExporter::renderPng(*f.view, o), "PNG"));
    QCOMPARE(qAlpha(image.pixel(1, 1)), 255);
}

void TestViewExport::darkTheme()
{
    Fixture f(QStringLiteral("arcs"));
    ExportOptions o;
    o.theme = ExportTheme::Dark;
    o.title = QStringLiteral("Dark");
    QImage image;
    QVERIFY(image.loadFromData(ViewExporter::renderPng(*f.view, o), "PNG"));
    const QColor corner = image.pixelColor(2, 2);
    QVERIFY2(corner.lightness() < 60, qPrintable(corner.name()));
    const QColor inside = image.pixelColor(image.width() / 2, image.height() - 4); // the view's own background
    QVERIFY2(inside.lightness() < 60, qPrintable(inside.name()));
    o.theme = ExportTheme::Light;
    QVERIFY(image.loadFromData(ViewExporter::renderPng(*f.view, o), "PNG"));
    QVERIFY(image.pixelColor(2, 2).lightness() > 200);
}

void TestViewExport::svgRendersLikeThePng()
{
    Fixture f(QStringLiteral("heatmap"));
    ExportOptions o;
    o.format = ExportFormat::Svg;
    // QtSvg cannot draw the hatch pattern of masked cells (browsers can); that is not what is checked.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.svg.warning=false"));
    QSvgRenderer svg(ViewExporter::renderSvg(*f.view, o));
    QVERIFY(svg.isValid());
    o.format = ExportFormat::Png;
    o.scale = 1.0;
    const QImage png = ViewExporter::renderImage(*f.view, o);
    // The SVG states its size in mm (QtSvg reads those at 90 dpi); the view box is in pixels.
    QCOMPARE(svg.viewBoxF(), QRectF(QPointF(0, 0), QSizeF(png.size())));
    QImage drawn(png.size(), QImage::Format_ARGB32_Premultiplied);
    drawn.fill(Qt::white);
    QPainter p(&drawn);
    svg.render(&p);
    p.end();
    // The first cell (weight 1.0) in both pictures: the SVG's shapes carry the same colours.
    auto* heatmap = qobject_cast<HeatmapView*>(f.view.get());
    const ViewStyleScope style(*f.view, o);
    const ExportFrame frame(*f.view, o);
    const HeatmapPainter painter(heatmap->data(), ColorMap{f.selection.colorMap()}, heatmap->font(),
                                 heatmap->palette());
    const QRect cell = painter.layout(frame.viewRect(), 0).grid.cellRect(0, 0).toAlignedRect().adjusted(3, 3, -3, -3);
    QVERIFY(near(dominantColor(drawn, cell), dominantColor(png, cell), 4));
}

void TestViewExport::restoresViewStyle()
{
    Fixture f(QStringLiteral("heatmap"));
    const QColor before = f.view->palette().color(QPalette::Base);
    const qreal fontBefore = f.view->font().pointSizeF();
    ExportOptions o;
    o.theme = ExportTheme::Dark;
    o.fontSize = fontBefore + 7;
    (void)ViewExporter::renderSvg(*f.view, o);
    QCOMPARE(f.view->palette().color(QPalette::Base), before);
    QCOMPARE(f.view->font().pointSizeF(), fontBefore);
    QVERIFY(!f.view->testAttribute(Qt::WA_SetPalette));
}


void TestViewExport::refusesTooManyPixels_data()
{
    QTest::addColumn<QSizeF>("size");
    QTest::addColumn<double>("scale");
    QTest::addColumn<int>("dpi");
    QTest::newRow("CLI 16384² at 4x") << QSizeF(16384, 16384) << 4.0 << 0;
    QTest::newRow("dialog at 1200 dpi") << QSizeF(4000, 3000) << 2.0 << 1200; // 32000 x 24000
}

// One rule for every PNG path (CLI, export dialog, batch, clipboard): a clear message and no
// attempt at the image, instead of a failed allocation and a page of QPainter warnings.
void TestViewExport::refusesTooManyPixels()
{
    QFETCH(QSizeF, size);
    QFETCH(double, scale);
    QFETCH(int, dpi);
    Fixture f(QStringLiteral("heatmap"));
    ExportOptions o;
    o.size = size;
    o.scale = scale;
    o.dpi = dpi;
    QVERIFY(!o.pixelLimitError(size).isEmpty());
    static int warnings = 0;
    warnings = 0;
    const QtMessageHandler previous =
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString&) {
            if (type != QtDebugMsg)
                ++warnings;
        });
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.png"));
    const QString error = ViewExporter::exportToFile(*f.view, o, path);
    const QImage image = ViewExporter::renderImage(*f.view, o);
    qInstallMessageHandler(previous);
    QVERIFY2(error.contains(QLatin1String("is too large")), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(image.isNull());
    QCOMPARE(warnings, 0);

    ExportOptions ok; // the largest allowed picture passes the rule
    ok.scale = 1.0;
    QVERIFY(ok.pixelLimitError(QSizeF(16384, 16384)).isEmpty());
    ok.scale = 1.5;
    QVERIFY(!ok.pixelLimitError(QSizeF(16384, 16384)).isEmpty());
    ok.format = ExportFormat::Svg; // vector output has no pixel buffer
    QVERIFY(ok.pixelLimitError(QSizeF(16384, 16384)).isEmpty());
}

QTEST_MAIN(TestViewExport)
#include "test_viewexport.moc"
