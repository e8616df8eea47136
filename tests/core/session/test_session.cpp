// Sessions (.attnviz): every field survives write → read, hostile or invalid files are refused
// with a message naming the problem, and the model hash notices a changed weight file.
#include "../util/filetestutil.h"
#include "session/modelhash.h"
#include "session/session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace attnviz;

namespace {

const QString kDecoder = QStringLiteral(ATTNVIZ_RESOURCES "/models/decoder");

// Every field away from its default, so a field the writer or reader forgets fails the test.
Session everyField()
{
    Session s;
    s.model = "/models/some folder/ünïcode";
    s.modelHash = "lanes64:0123456789abcdef";
    s.text = "The \"cat\"\n sat 😀 \\ on\tthe mat.";
    s.secondText = "Le chat.";
    s.view = "arcs";
    s.stack = 2;
    s.layer = 3;
    s.head = 1;
    s.query = 4;
    s.mask = MaskOverride::Custom;
    s.customMask = MaskMatrix::Ones(3, 4);
    s.customMask(0, 1) = 0;
    s.customMask(2, 3) = 0;
    s.customMaskRowIds = {5, 6, 7};
    s.customMaskColIds = {5, 6, 7, 8};
    s.customMaskStack = 1;
    s.scale = false;
    s.ablatedHeads = {{0, 1}, {3, 2}};
    s.headsOff = {0, 3};
    s.meanOfHeads = true;
    s.rollout = true;
    s.mergeSubwords = true;
    s.measure = "value-weighted";
    s.colorMap = "magma";
    s.sentenceBlock = "b-to-a";
    s.gridBadges = "attribution";
    s.sideView = "arcs";
    return s;
}

std::string errorOf(const std::string& text)
{
    try {
        parseSession(text);
    } catch (const SessionError& e) {
        return e.what();
    }
    return {};
}

std::string valid(const std::string& extra = {})
{
    return R"({"format": "attnviz-session", "version": 1, "model": {"spec": "builtin:decoder"})" + extra + "}";
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT
private slots:
    void roundTripKeepsEveryField()
    {
        const Session s = everyField();
        const Session back = parseSession(sessionToJson(s));
        QVERIFY(back == s);
        // operator== itself must see each difference, or the round trip above proves little.
        Session other = s;
        other.customMask(1, 1) = 0;
        QVERIFY(!(other == s));
        other = s;
        other.measure = "raw";
        QVERIFY(!(other == s));
        other = s;
        other.scale.reset();
        QVERIFY(!(other == s));
        for (std::string Session::*field : {&Session::sentenceBlock, &Session::gridBadges, &Session::sideView}) {
            other = s;
            other.*field = "changed";
            QVERIFY(!(other == s));
        }
        QCOMPARE(back.customMask(0, 1), std::uint8_t(0));
        QCOMPARE(back.customMask(0, 0), std::uint8_t(1));
    }

    void defaultsRoundTrip()
    {
        Session s;
        s.model = "builtin:decoder";
        const Session back = parseSession(sessionToJson(s));
        QVERIFY(back == s);
        QVERIFY(!back.scale);
        QCOMPARE(back.query, -1);
        QCOMPARE(back.measure, std::string("raw"));
        // A minimal hand-written file takes the same defaults.
        QVERIFY(parseSession(valid()) == s);
    }

    void fileRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.attnviz"));
        writeFile(path, QByteArray::fromStdString(sessionToJson(everyField())));
        QVERIFY(readSessionFile(path.toStdString()) == everyField());
    }

    // The hand-written fixture (also the fuzzer's seed) reads as written.
    void readsTheFixture()
    {
        const Session s = readSessionFile(ATTNVIZ_TEST_DATA "/sessions/decoder-custom-mask.attnviz");
        QCOMPARE(s.model, std::string("builtin:decoder"));
        QCOMPARE(s.layer, 2);
        QCOMPARE(s.query, 3);
        QCOMPARE(s.mask, MaskOverride::Custom);
        QCOMPARE(s.customMask.rows(), Index(3));
        QCOMPARE(s.customMask(2, 1), std::uint8_t(1));
        QCOMPARE(s.customMask(0, 1), std::uint8_t(0));
        QVERIFY(s.customMaskColIds == (std::vector<int>{1, 2, 3}));
        QCOMPARE(s.scale, std::optional<bool>(false));
        QVERIFY(s.ablatedHeads == (std::set<std::pair<int, int>>{{0, 3}, {1, 1}}));
        QVERIFY(s.headsOff == std::set<int>{2});
        QVERIFY(s.rollout);
        QCOMPARE(s.colorMap, std::string("magma"));
        QVERIFY(parseSession(sessionToJson(s)) == s);
    }

    void refusesInvalid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "" << "not valid JSON";
        QTest::newRow("not json") << "{\"format\": " << "not valid JSON";
        QTest::newRow("array") << "[1, 2]" << "not an AttnViz session";
        QTest::newRow("other format") << R"({"format": "lesson", "version": 1})" << "not an AttnViz session";
        QTest::newRow("newer version")
            << R"({"format": "attnviz-session", "version": 2, "model": {"spec": "x"}})" << "newer AttnViz";
        QTest::newRow("version text")
            << R"({"format": "attnviz-session", "version": "1", "model": {"spec": "x"}})" << "version";
        QTest::newRow("no model") << R"({"format": "attnviz-session", "version": 1})" << "\"model\" is missing";
        QTest::newRow("empty spec")
            << R"({"format": "attnviz-session", "version": 1, "model": {"spec": ""}})" << "model.spec";
        QTest::newRow("unknown member") << QString::fromStdString(valid(R"(, "layr": 2)")) << "unknown member \"layr\"";
        QTest::newRow("twice") << QString::fromStdString(valid(R"(, "layer": 2, "layer": 3)")) << "given twice";
        QTest::newRow("negative layer") << QString::fromStdString(valid(R"(, "layer": -1)")) << "layer";
        QTest::newRow("huge head") << QString::fromStdString(valid(R"(, "head": 1e300)")) << "head";
        QTest::newRow("fractional query") << QString::fromStdString(valid(R"(, "query": 1.5)")) << "query";
        QTest::newRow("query below -1") << QString::fromStdString(valid(R"(, "query": -2)")) << "query";
        QTest::newRow("text number") << QString::fromStdString(valid(R"(, "text": 5)")) << "text must be a string";
        QTest::newRow("bad mask mode")
            << QString::fromStdString(valid(R"(, "mask": {"mode": "diagonal"})")) << "mask.mode";
        QTest::newRow("mask cell 2")
            << QString::fromStdString(valid(R"(, "mask": {"mode": "custom", "cells": ["10", "12"]})"))
            << "mask.cells[1] holds \"2\"";
        QTest::newRow("ragged mask")
            << QString::fromStdString(valid(R"(, "mask": {"mode": "custom", "cells": ["10", "1"]})"))
            << "mask.cells[1] must be a string of 2";
        QTest::newRow("no rows") << QString::fromStdString(valid(R"(, "mask": {"cells": []})")) << "at least one row";
        QTest::newRow("ids without cells")
            << QString::fromStdString(valid(R"(, "mask": {"rowIds": [1]})")) << "need mask.cells";
        QTest::newRow("row ids count")
            << QString::fromStdString(valid(R"(, "mask": {"cells": ["1", "1"], "rowIds": [4]})"))
            << "one id per row";
        QTest::newRow("negative id")
            << QString::fromStdString(valid(R"(, "mask": {"cells": ["1"], "colIds": [-4]})")) << "mask.colIds[0]";
        QTest::newRow("scale") << QString::fromStdString(valid(R"(, "scale": true)")) << "scale must be";
        QTest::newRow("ablated triple") << QString::fromStdString(valid(R"(, "ablated": [[1, 2, 3]])"))
                                        << "ablated[0] must be [layer, head]";
        QTest::newRow("ablated object") << QString::fromStdString(valid(R"(, "ablated": {})")) << "ablated must be";
        std::string manyHeads = ", \"headsOff\": [0";
        for (int h = 1; h <= 16384; ++h)
            manyHeads += "," + std::to_string(h);
        QTest::newRow("too many heads off") << QString::fromStdString(valid(manyHeads + "]")) << "more than 16384";
        QTest::newRow("flag text") << QString::fromStdString(valid(R"(, "rollout": "yes")")) << "rollout must be";
        QTest::newRow("long view") << QString::fromStdString(valid(", \"view\": \"" + std::string(100, 'x') + "\""))
                                   << "view is longer";
    }

    void refusesInvalid()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const std::string error = errorOf(text.toStdString());
        QVERIFY2(!error.empty(), "accepted");
        QVERIFY2(QString::fromStdString(error).contains(message), error.c_str());
    }

    void refusesHostileFiles()
    {
        QTemporaryDir dir;
        auto errorReading = [](const QString& path) {
            try {
                readSessionFile(path.toStdString());
            } catch (const SessionError& e) {
                return std::string(e.what());
            }
            return std::string();
        };
        const std::string missing = errorReading(dir.filePath(QStringLiteral("missing.attnviz")));
        QVERIFY(missing.find("missing.attnviz") != std::string::npos);
        QVERIFY(!errorReading(dir.path()).empty()); // a folder
        // Larger than any session: refused before it is read whole.
        const QString big = dir.filePath(QStringLiteral("big.attnviz"));
        {
            std::ofstream out(big.toStdString());
            out << valid().substr(0, valid().size() - 1) << ", \"text\": \"";
            out << std::string(std::size_t(17) << 20, 'a') << "\"}";
        }
        QVERIFY(!errorReading(big).empty());
        // A million members: refused at once (duplicates are found with a set, not by pairs).
        std::string many = valid().substr(0, valid().size() - 1);
        for (int i = 0; i < 1000000; ++i)
            many += ",\"k" + std::to_string(i) + "\":0";
        QElapsedTimer timer;
        timer.start();
        QVERIFY(errorOf(many + ",\"k7\":1}").find("given twice") != std::string::npos);
        QVERIFY(errorOf(many + "}").find("unknown member") != std::string::npos);
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        // Deep nesting and binary bytes are errors, not crashes.
        const QString deep = dir.filePath(QStringLiteral("deep.attnviz"));
        writeFile(deep, QByteArray(100000, '['));
        QVERIFY(!errorReading(deep).empty());
        const QString binary = dir.filePath(QStringLiteral("binary.attnviz"));
        writeFile(binary, QByteArray("{\"format\"\0\x01\x02", 13));
        QVERIFY(!errorReading(binary).empty());
        const std::string fifoPath = test::makeFifo(dir, "fifo.attnviz");
        const std::optional<std::string> fifo =
            test::errorWithin([fifoPath]() { readSessionFile(fifoPath); }, fifoPath);
        QVERIFY2(fifo && !fifo->empty(), "a FIFO must be refused, not waited on");
    }

    void refusesATooLargeMaskOnWrite()
    {
        Session s;
        s.model = "builtin:decoder";
        s.customMask = MaskMatrix::Ones(5000, 5000);
        QVERIFY_THROWS_EXCEPTION(SessionError, sessionToJson(s));
    }

    void relativeModelFollowsTheSession()
    {
        Session s;
        s.model = "../models/tiny";
        QCOMPARE(sessionModelSpec(s, "/work/sessions/a.attnviz"), std::string("/work/models/tiny"));
        s.model = "builtin:decoder";
        QCOMPARE(sessionModelSpec(s, "/work/sessions/a.attnviz"), std::string("builtin:decoder"));
        s.model = "/abs/model.gguf";
        QCOMPARE(sessionModelSpec(s, "/work/sessions/a.attnviz"), std::string("/abs/model.gguf"));
    }

    void hashIsStableAndSeesEveryByte()
    {
        // Pinned: a session saved today must match tomorrow's build of the same model.
        QCOMPARE(hashBytes("attnviz session", 15), std::uint64_t(8949112241708153049ull));
        std::vector<unsigned char> bytes(1000003);
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<unsigned char>(i * 7 + 3);
        const std::uint64_t base = hashBytes(bytes.data(), bytes.size());
        for (std::size_t at : {std::size_t(0), std::size_t(17), bytes.size() / 2, bytes.size() - 1}) {
            bytes[at] ^= 1;
            QVERIFY2(hashBytes(bytes.data(), bytes.size()) != base, qPrintable(QString::number(at)));
            bytes[at] ^= 1;
        }
        QCOMPARE(hashBytes(bytes.data(), bytes.size()), base);
        QVERIFY(hashBytes("a", 1) != hashBytes("a\0", 2)); // zero padding is not the same content
        // Two words swapped between lanes is a different file.
        const char ab[] = "AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDD", ba[] = "BBBBBBBBAAAAAAAACCCCCCCCDDDDDDDD";
        QVERIFY(hashBytes(ab, 32) != hashBytes(ba, 32));
    }

    void builtinModelHash()
    {
        const std::vector<std::string> files = modelFiles("builtin:decoder");
        QCOMPARE(files.size(), std::size_t(2)); // config.json, model.safetensors
        QVERIFY(QString::fromStdString(files[0]).endsWith(QLatin1String("config.json")));
        QVERIFY(QString::fromStdString(files[1]).endsWith(QLatin1String("model.safetensors")));
        const std::string hash = modelContentHash("builtin:decoder");
        QVERIFY(QString::fromStdString(hash).startsWith(QLatin1String("lanes64:")));
        QCOMPARE(hash.size(), std::size_t(8 + 16));
        QCOMPARE(modelContentHash("builtin:decoder"), hash);
        QVERIFY(modelContentHash("builtin:encoder") != hash);
    }

    void hashNoticesAChangedModel()
    {
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("decoder"));
        QVERIFY(QDir().mkpath(model));
        for (const QString name : {"config.json", "model.safetensors", "tokenizer.json"})
            QVERIFY(QFile::copy(kDecoder + QLatin1Char('/') + name, model + QLatin1Char('/') + name));
        const std::string spec = model.toStdString();
        const std::string saved = modelContentHash(spec);
        QCOMPARE(saved, modelContentHash("builtin:decoder")); // a copy is the same model
        // One weight byte in the middle changes: same size, so only reading every byte sees it.
        QFile weights(model + QStringLiteral("/model.safetensors"));
        QVERIFY(weights.open(QIODevice::ReadWrite));
        const qint64 middle = weights.size() / 2;
        QVERIFY(weights.seek(middle));
        char byte = 0;
        QVERIFY(weights.getChar(&byte));
        QVERIFY(weights.seek(middle));
        QVERIFY(weights.putChar(char(byte ^ 0x10)));
        weights.close();
        QVERIFY(modelContentHash(spec) != saved);
        const std::string gone = dir.filePath(QStringLiteral("gone")).toStdString();
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, modelContentHash(gone));
        std::atomic<bool> cancel{true};
        QCOMPARE(modelContentHash(spec, &cancel), std::string());
    }
};

QTEST_APPLESS_MAIN(TestSession)
#include "test_session.moc"
