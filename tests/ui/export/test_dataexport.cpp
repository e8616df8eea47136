// DataExporter and NpyWriter: .npy files parse back (header and values), CSV rows carry the
// result's weights and tokens, JSON is exactly attentionJson(), and the pipeline capture exports.
#include "engine/resultjson.h"
#include "export/dataexporter.h"
#include "export/npywriter.h"
#include "exporttestdata.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <cstring>

using namespace attnviz;

namespace {

struct Npy
{
    QString descr;
    bool fortran = true;
    std::vector<int> shape;
    std::vector<float> values;
    QString error;
};

// A reader written from the format description, independent of NpyWriter.
Npy parseNpy(const QByteArray& bytes)
{
    Npy npy;
    if (!bytes.startsWith(QByteArray("\x93NUMPY", 6)))
        return npy.error = QStringLiteral("bad magic"), npy;
    if (bytes.at(6) != 1 || bytes.at(7) != 0)
        return npy.error = QStringLiteral("not version 1.0"), npy;
    const int length = qFromLittleEndian<quint16>(bytes.constData() + 8);
    if ((10 + length) % 64 != 0)
        return npy.error = QStringLiteral("header not padded to 64"), npy;
    const QString header = QString::fromLatin1(bytes.mid(10, length));
    if (!header.endsWith(QLatin1Char('\n')))
        return npy.error = QStringLiteral("header without newline"), npy;
    const auto descr = QRegularExpression(QStringLiteral("'descr':\\s*'([^']*)'")).match(header);
    const auto fortran = QRegularExpression(QStringLiteral("'fortran_order':\\s*(True|False)")).match(header);
    const auto shape = QRegularExpression(QStringLiteral("'shape':\\s*\\(([^)]*)\\)")).match(header);
    if (!descr.hasMatch() || !fortran.hasMatch() || !shape.hasMatch())
        return npy.error = header, npy;
    npy.descr = descr.captured(1);
    npy.fortran = fortran.captured(1) == QLatin1String("True");
    std::size_t count = 1;
    for (const QString& d : shape.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        npy.shape.push_back(d.trimmed().toInt());
        count *= static_cast<std::size_t>(npy.shape.back());
    }
    const QByteArray data = bytes.mid(10 + length);
    if (static_cast<std::size_t>(data.size()) != count * 4)
        return npy.error = QStringLiteral("wrong data size"), npy;
    npy.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const quint32 bits = qFromLittleEndian<quint32>(data.constData() + i * 4);
        std::memcpy(&npy.values[i], &bits, 4);
    }
    return npy;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestDataExport : public QObject
{
    Q_OBJECT
private slots:
    void npyHeaderShapes();
    void npyRoundTripWholeTensor();
    void npyOneHead();
    void csvMatchesResult();
    void jsonMatchesCli();
    void pipelineFiles();
    void badHeadIsAnError();
    void refusesToOverwrite();
};

void TestDataExport::npyHeaderShapes()
{
    QCOMPARE(NpyWriter::headerDict({5}), QByteArray("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"));
    QCOMPARE(NpyWriter::headerDict({2, 3}), QByteArray("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
    const float v[3] = {1.5f, -2.0f, 0.25f};
    const Npy npy = parseNpy(NpyWriter::encode({3}, v));
    QVERIFY2(npy.error.isEmpty(), qPrintable(npy.error));
    QCOMPARE(npy.shape, std::vector<int>{3});
    QCOMPARE(npy.values, (std::vector<float>{1.5f, -2.0f, 0.25f}));
}

void TestDataExport::npyRoundTripWholeTensor()
{
    const auto r = exporttest::syntheticResult(2, 3);
    const Npy npy = parseNpy(DataExporter::attentionNpy(*r));
    QVERIFY2(npy.error.isEmpty(), qPrintable(npy.error));
    QCOMPARE(npy.descr, QStringLiteral("<f4"));
    QVERIFY(!npy.fortran);
    QCOMPARE(npy.shape, (std::vector<int>{2, 3, 4, 4}));
    const auto& data = r->stacks.front().attention.data;
    QCOMPARE(npy.values, std::vector<float>(data.begin(), data.end())); // bit for bit, C order
}

void TestDataExport::npyOneHead()
{
    const auto r = exporttest::syntheticResult(2, 3);
    const Npy npy = parseNpy(DataExporter::attentionNpy(*r, 0, 1, 2));
    QVERIFY2(npy.error.isEmpty(), qPrintable(npy.error));
    QCOMPARE(npy.shape, (std::vector<int>{1, 1, 4, 4}));
    const AttentionTensor& a = r->stacks.front().attention;
    for (int q = 0; q < 4; ++q) {
        for (int k = 0; k < 4; ++k)
            QCOMPARE(npy.values[std::size_t(q * 4 + k)], a.at(1, 2, q, k));
    }
}

void TestDataExport::csvMatchesResult()
{
    const auto r = exporttest::lessonResult();
    const QList<QByteArray> lines = DataExporter::attentionCsv(*r).trimmed().split('\n');
    const AttentionTensor& a = r->stacks.front().attention;
    QCOMPARE(lines.front(), QByteArray("layer,head,query,key,query_token,key_token,weight"));
    QCOMPARE(lines.size(), 1 + a.layers * a.heads * a.queries * a.keys);
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> f = lines[i].split(',');
        QCOMPARE(f.size(), 7);
        const int l = f[0].toInt(), h = f[1].toInt(), q = f[2].toInt(), k = f[3].toInt();
        QCOMPARE(f[4], '"' + QByteArray::fromStdString(r->tokens[std::size_t(q)].display) + '"');
        QCOMPARE(f[5], '"' + QByteArray::fromStdString(r->tokens[std::size_t(k)].display) + '"');
        QCOMPARE(f[6].toFloat(), a.at(l, h, q, k));
    }
}

void TestDataExport::jsonMatchesCli()
{
    const auto r = exporttest::lessonResult();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("attention.json"));
    QCOMPARE(DataExporter::exportToFile(*r, path, DataFormat::Json, false, false), QString());
    QCOMPARE(readAll(path), QByteArray::fromStdString(attentionJson(*r)) + '\n');
    const QJsonObject o = QJsonDocument::fromJson(readAll(path)).object();
    const double cell =
        o.value(QStringLiteral("attention")).toArray().at(0).toArray().at(0).toArray().at(1).toArray().at(0).toDouble();
    QVERIFY(std::abs(cell - double(r->stacks.front().attention.at(0, 0, 1, 0))) < 1e-6);
}

void TestDataExport::pipelineFiles()
{
    const auto r = exporttest::lessonResult(1);
    QVERIFY(r->pipeline);
    QTemporaryDir dir;
    const QString base = dir.filePath(QStringLiteral("head.npy"));
    QCOMPARE(DataExporter::exportToFile(*r, base, DataFormat::Npy, true, false), QString());
    const QStringList paths = DataExporter::plannedPaths(*r, base, DataFormat::Npy, true);
    QVERIFY(paths.contains(dir.filePath(QStringLiteral("head-q.npy"))));
    QVERIFY(paths.contains(dir.filePath(QStringLiteral("head-scores.npy"))));
    const Npy q = parseNpy(readAll(dir.filePath(QStringLiteral("head-q.npy"))));
    QVERIFY2(q.error.isEmpty(), qPrintable(q.error));
    const Matrix& Q = r->pipeline->capture.q;
    QCOMPARE(q.shape, (std::vector<int>{int(Q.rows()), int(Q.cols())}));
    QCOMPARE(q.values[1], Q(0, 1));

    const QString json = dir.filePath(QStringLiteral("head.json"));
    QCOMPARE(DataExporter::exportToFile(*r, json, DataFormat::Json, true, false), QString());
    const QJsonObject o = QJsonDocument::fromJson(readAll(json)).object();
    QCOMPARE(o.value(QStringLiteral("head")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("weights")).toArray().size(), int(r->tokens.size()));
    QCOMPARE(o.value(QStringLiteral("k")).toArray().at(2).toArray().at(0).toDouble(),
             double(r->pipeline->capture.k(2, 0)));

    const QByteArray csv = DataExporter::pipeline(*r, DataFormat::Csv).front().bytes;
    QVERIFY(csv.startsWith("matrix,row,col,value\n"));
    QVERIFY(csv.contains("\nv,3,1," + QByteArray::number(r->pipeline->capture.v(3, 1), 'g', 9) + '\n'));
}

void TestDataExport::badHeadIsAnError()
{
    const auto r = exporttest::syntheticResult(2, 3);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, DataExporter::attentionNpy(*r, 0, 0, 3));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, DataExporter::attentionCsv(*r, 0, 2, 0));
}

void TestDataExport::refusesToOverwrite()
{
    const auto r = exporttest::syntheticResult();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.csv"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("keep me");
    f.close();
    const QString error = DataExporter::exportToFile(*r, path, DataFormat::Csv, false, false);
    QVERIFY(error.contains(QLatin1String("already exists")));
    QCOMPARE(readAll(path), QByteArray("keep me"));
    QCOMPARE(DataExporter::exportToFile(*r, path, DataFormat::Csv, false, true), QString());
    QVERIFY(readAll(path).startsWith("layer,head"));
}

QTEST_MAIN(TestDataExport)
#include "test_dataexport.moc"
