// BatchExporter: all heads of a layer or all layers × heads into a folder (names, count, distinct
// pictures), progress and cancellation, refusing existing files, and the multi-page handout PDF.
#include "export/batchexporter.h"
#include "views/attentionview.h"
#include "exporttestdata.h"
#include "state/selectionstate.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace attnviz;

namespace {

int pdfPageCount(const QByteArray& pdf)
{
    static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?![s\\w])"));
    return int(QString::fromLatin1(pdf).count(page));
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Batch
{
    std::shared_ptr<const AttentionResult> result = exporttest::syntheticResult(2, 3);
    SelectionState selection;
    Batch() { selection.setShape(1, 2, 3, 4, 4); }
};

} // namespace

class TestBatchExport : public QObject
{
    Q_OBJECT
private slots:
    void allLayersAndHeads();
    void oneLayer();
    void progressAndCancel();
    void refusesExistingFiles();
    void handoutHasOnePagePerLayer();
    void handoutCancelWritesNothing();
    void handoutKeepsTheFontSize();
    void leavesTheUsersSelectionAlone();
    void unknownView();
};

void TestBatchExport::allLayersAndHeads()
{
    Batch b;
    BatchExporter batch(QStringLiteral("heatmap"), b.result, b.selection);
    QVERIFY(batch.isValid());
    QTemporaryDir dir;
    ExportOptions o;
    o.scale = 1.0;
    const BatchOutcome out = batch.exportFiles(dir.filePath(QStringLiteral("heads")), o, -1);
    QVERIFY2(out.ok(), qPrintable(out.error));
    QCOMPARE(out.written.size(), 6);
    QStringList names = QDir(dir.filePath(QStringLiteral("heads"))).entryList(QDir::Files);
    names.sort();
    QCOMPARE(names, (QStringList{"heatmap-l0-h0.png", "heatmap-l0-h1.png", "heatmap-l0-h2.png", "heatmap-l1-h0.png",
                                 "heatmap-l1-h1.png", "heatmap-l1-h2.png"}));
    // Each file shows its own head: the pictures differ.
    const QImage a(dir.filePath(QStringLiteral("heads/heatmap-l0-h0.png")));
    const QImage c(dir.filePath(QStringLiteral("heads/heatmap-l0-h1.png")));
    QVERIFY(!a.isNull());
    QCOMPARE(a.size(), c.size());
    QVERIFY(a != c);
}

void TestBatchExport::oneLayer()
{
    Batch b;
    BatchExporter batch(QStringLiteral("arcs"), b.result, b.selection);
    QTemporaryDir dir;
    ExportOptions o;
    o.format = ExportFormat::Svg;
    const BatchOutcome out = batch.exportFiles(dir.path(), o, 1);
    QVERIFY2(out.ok(), qPrintable(out.error));
    QCOMPARE(out.written, (QStringList{dir.filePath("arcs-l1-h0.svg"), dir.filePath("arcs-l1-h1.svg"),
                                       dir.filePath("arcs-l1-h2.svg")}));
    QVERIFY(
        readAll(out.written.front()).contains("layer 1 · head 0")); // automatic titles, counted from 0 like the views
    QVERIFY(!batch.exportFiles(dir.path(), o, 2).ok());             // no layer 2
}

void TestBatchExport::progressAndCancel()
{
    Batch b;
    BatchExporter batch(QStringLiteral("heatmap"), b.result, b.selection);
    QTemporaryDir dir;
    QList<int> seen;
    int total = 0;
    const BatchOutcome out = batch.exportFiles(dir.path(), ExportOptions(), -1, [&](int done, int all, const QString&) {
        seen << done;
        total = all;
        return done < 2; // cancel before the third file
    });
    QVERIFY(out.cancelled);
    QVERIFY(!out.ok());
    QCOMPARE(total, 6);
    QCOMPARE(seen, (QList<int>{0, 1, 2}));
    QCOMPARE(out.written.size(), 2);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
}

void TestBatchExport::refusesExistingFiles()
{
    Batch b;
    BatchExporter batch(QStringLiteral("heatmap"), b.result, b.selection);
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("heatmap-l1-h2.png")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("mine");
    f.close();
    QCOMPARE(BatchExporter::existingFiles(dir.path(), batch.plan(-1, ExportFormat::Png)), QStringList{f.fileName()});
    const BatchOutcome out = batch.exportFiles(dir.path(), ExportOptions(), -1);
    QVERIFY(out.error.contains(QLatin1String("already exists")));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // all or nothing
    QCOMPARE(readAll(f.fileName()), QByteArray("mine"));
    ExportOptions o;
    o.overwrite = true;
    QVERIFY(batch.exportFiles(dir.path(), o, -1).ok());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 6);
}

void TestBatchExport::handoutHasOnePagePerLayer()
{
    for (const int layers : {1, 2, 4}) {
        auto result = exporttest::syntheticResult(layers, 3);
        SelectionState selection;
        selection.setShape(1, layers, 3, 4, 4);
        BatchExporter batch(QStringLiteral("heatmap"), result, selection);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("handout.pdf"));
        ExportOptions o;
        o.sentence = QStringLiteral("alpha beta gamma delta");
        int calls = 0;
        const BatchOutcome out = batch.exportHandout(path, o, [&](int, int, const QString&) { return ++calls > 0; });
        QVERIFY2(out.ok(), qPrintable(out.error));
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF"));
        QCOMPARE(pdfPageCount(pdf), layers);
        QCOMPARE(calls, layers + 1);
    }
    // A whole-model view makes one page.
    Batch b;
    BatchExporter model(QStringLiteral("model"), b.result, b.selection);
    QTemporaryDir dir;
    QVERIFY(model.exportHandout(dir.filePath(QStringLiteral("m.pdf")), ExportOptions()).ok());
    QCOMPARE(pdfPageCount(readAll(dir.filePath(QStringLiteral("m.pdf")))), 1);
}

void TestBatchExport::handoutKeepsTheFontSize()
{
    // A layer of four heads on an A4 page: each heatmap used to be drawn at its own large export
    // size and shrunk into its quarter, so 10 pt labels came out about 5 pt amid white space.
    RunRequest request;
    request.text = "The animal didn't cross the street because it was too tired.";
    const auto result = openModel("builtin:decoder")->run(request);
    const auto& a = result->stacks.front().attention;
    SelectionState selection;
    selection.setShape(1, a.layers, a.heads, a.queries, a.keys);
    BatchExporter batch(QStringLiteral("heatmap"), result, selection);
    const QRectF body(18, 80, 1087, 700); // A4 landscape below the header band
    const AttentionView& view = *batch.view();
    const QList<HandoutPicture> grid =
        BatchExporter::handoutGrid(a.heads, view.preferredExportSize(), view.minimumExportSize(), body);
    QCOMPARE(grid.size(), a.heads);
    QRectF covered;
    for (const HandoutPicture& p : grid) {
        QVERIFY2(p.scale >= 0.8, qPrintable(QString::number(p.scale))); // 10 pt labels print at 8 pt or more
        QCOMPARE(p.size * p.scale, p.cell.size());                      // the picture fills its cell
        covered |= p.cell;
    }
    QCOMPARE(covered, body); // no page left blank around the grid

    // Too many pictures for their minimum size: they shrink, uniformly, and still tile the body.
    const QList<HandoutPicture> crowded = BatchExporter::handoutGrid(12, QSizeF(600, 500), QSizeF(400, 300), body);
    QVERIFY(crowded.front().scale < 1.0);
    QVERIFY(crowded.front().size.width() >= 400 && crowded.front().size.height() >= 300 - 1e-9);
}

void TestBatchExport::handoutCancelWritesNothing()
{
    Batch b;
    BatchExporter batch(QStringLiteral("heatmap"), b.result, b.selection);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("handout.pdf"));
    const BatchOutcome out =
        batch.exportHandout(path, ExportOptions(), [](int done, int, const QString&) { return done < 1; });
    QVERIFY(out.cancelled);
    QVERIFY(!QFile::exists(path));
}

void TestBatchExport::leavesTheUsersSelectionAlone()
{
    Batch b;
    b.selection.setLayer(1);
    b.selection.setHead(2);
    b.selection.setHeadEnabled(0, false);
    BatchExporter batch(QStringLiteral("arcs"), b.result, b.selection);
    QTemporaryDir dir;
    QVERIFY(batch.exportFiles(dir.path(), ExportOptions(), -1).ok());
    QCOMPARE(b.selection.layer(), 1);
    QCOMPARE(b.selection.head(), 2);
    QVERIFY(!b.selection.isHeadEnabled(0));
    QVERIFY(b.selection.isHeadEnabled(1));
}

void TestBatchExport::unknownView()
{
    Batch b;
    BatchExporter batch(QStringLiteral("nope"), b.result, b.selection);
    QVERIFY(!batch.isValid());
    QTemporaryDir dir;
    QVERIFY(batch.exportFiles(dir.path(), ExportOptions(), -1).error.contains(QLatin1String("nope")));
}

QTEST_MAIN(TestBatchExport)
#include "test_batchexport.moc"
