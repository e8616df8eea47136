// The core's JSON reader/writer: values, escapes, error positions, limits.
#include "util/json.h"

#include "../util/filetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace attnviz;

// Declared first: moc cannot scan past the raw string literals below.
class TestJson : public QObject
{
    Q_OBJECT
private slots:
    void parsesScalarsAndContainers();
    void decodesEscapesAndSurrogates();
    void keepsDuplicateKeysInOrder();
    void passesRawBytesThroughUnchecked();
    void rejectsMalformedInput_data();
    void rejectsMalformedInput();
    void reportsLineAndColumn();
    void writerRoundTrips();
    void typeMismatchThrows();
    void controlCharactersAreEscapedInErrors();
    void readTextFileRefusesNonFiles_data();
    void readTextFileRefusesNonFiles();
    void readTextFileRefusesAFifoWithoutBlocking();
    void readTextFileIsBounded();
    void streamingWriterMatchesString_data();
    void streamingWriterMatchesString();
};


void TestJson::parsesScalarsAndContainers()
{
    const json::Value v = json::parse(R"( {"a": [1, -2.5e1, true, null], "b": {"c": "x"}} )");
    QVERIFY(v.isObject());
    const auto& a = v.find("a")->asArray();
    QCOMPARE(a.size(), std::size_t(4));
    QCOMPARE(a[0].asNumber(), 1.0);
    QCOMPARE(a[1].asNumber(), -25.0);
    QVERIFY(a[2].asBool());
    QVERIFY(a[3].isNull());
    QCOMPARE(v.find("b")->find("c")->asString(), std::string("x"));
    QVERIFY(v.find("missing") == nullptr);
    QCOMPARE(v.asObject().front().first, std::string("a")); // document order kept
}

void TestJson::decodesEscapesAndSurrogates()
{
    const json::Value v = json::parse(R"("tab\t \"q\" \u00e9 \ud83d\ude00")");
    QCOMPARE(v.asString(), std::string("tab\t \"q\" \xc3\xa9 \xf0\x9f\x98\x80"));
}

// Unchanged since before issue 15: every member is kept, in order, and find() returns the first.
void TestJson::keepsDuplicateKeysInOrder()
{
    const json::Value v = json::parse(R"({"a": 1, "b": 2, "a": 3})");
    const json::Object& o = v.asObject();
    QCOMPARE(o.size(), std::size_t(3));
    QCOMPARE(o[2].first, std::string("a"));
    QCOMPARE(o[2].second.asNumber(), 3.0);
    QCOMPARE(v.find("a")->asNumber(), 1.0);
}

// Unchanged: the reader does not validate UTF-8 inside strings (invalid bytes, overlong forms and
// UTF-8-encoded surrogates come through as they are; messages escape them). Only \u escapes are
// checked, so a lone surrogate there is an error (rejectsMalformedInput).
void TestJson::passesRawBytesThroughUnchecked()
{
    const std::string raw = "\xff \xc3\x28 \xc0\xaf \xed\xa0\x80";
    QCOMPARE(json::parse("\"" + raw + "\"").asString(), raw);
    QCOMPARE(json::parse("{\"" + raw + "\": 1}").asObject().front().first, raw);
}

void TestJson::rejectsMalformedInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << "" << "unexpected end";
    QTest::newRow("trailing comma") << "[1,]" << "unexpected character";
    QTest::newRow("unterminated") << R"({"a": "x)" << "unterminated string";
    QTest::newRow("trailing text") << "1 2" << "after the JSON value";
    QTest::newRow("bad number") << "01" << "after the JSON value";
    QTest::newRow("lone surrogate") << R"("\ud800")" << "surrogate";
    QTest::newRow("lone low surrogate") << R"("\udc00")" << "unpaired surrogate";
    QTest::newRow("high then not low") << R"("\ud800\u0041")" << "invalid low surrogate";
    QTest::newRow("missing colon") << R"({"a" 1})" << "expected ':'";
    QTest::newRow("too deep") << QString(600, '[') << "nesting deeper";
}

void TestJson::rejectsMalformedInput()
{
    QFETCH(QString, text);
    QFETCH(QString, reason);
    try {
        json::parse(text.toStdString());
        QFAIL("no error");
    } catch (const json::ParseError& e) {
        QVERIFY2(QString(e.what()).contains(reason), e.what());
        QVERIFY(QString(e.what()).startsWith("line 1, column"));
    }
}

void TestJson::reportsLineAndColumn()
{
    try {
        json::parse("{\n  \"a\": tru\n}");
        QFAIL("no error");
    } catch (const json::ParseError& e) {
        QCOMPARE(e.line(), std::size_t(2));
        QCOMPARE(e.column(), std::size_t(8));
    }
}

void TestJson::writerRoundTrips()
{
    json::Writer w;
    w.beginObject().key("f").value(0.1f).key("nan").value(std::numeric_limits<float>::quiet_NaN());
    w.key("s").value("a\"b\n").key("list").beginArray().value(1).value(true).null().endArray().endObject();
    QCOMPARE(QString::fromStdString(w.str()), QString(R"({"f":0.1,"nan":null,"s":"a\"b\n","list":[1,true,null]})"));
    const json::Value back = json::parse(w.str());
    QCOMPARE(static_cast<float>(back.find("f")->asNumber()), 0.1f);
    QCOMPARE(back.find("s")->asString(), std::string("a\"b\n"));
}

void TestJson::typeMismatchThrows()
{
    const json::Value v = json::parse("[1]");
    QVERIFY_THROWS_EXCEPTION(std::logic_error, v.asObject());
}

void TestJson::controlCharactersAreEscapedInErrors()
{
    // A NUL or ESC byte in the text used to be pasted into what() raw: the message stopped at the NUL.
    for (const std::string& text : {std::string("[\0]", 3), std::string("[\x1b[31m]")}) {
        try {
            json::parse(text);
            QFAIL("no error");
        } catch (const json::ParseError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find(text[1] == '\0' ? "\\x00" : "\\x1b") != std::string::npos, what.c_str());
            QVERIFY2(what.find('\x1b') == std::string::npos, what.c_str());
        }
    }
}

void TestJson::readTextFileRefusesNonFiles_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("directory") << "directory" << "is a directory, not a file";
    QTest::newRow("/dev/zero") << "device" << "is a character device, not a file";
    QTest::newRow("symlink loop") << "loop" << "too many levels of symbolic links (a symlink loop?)";
    QTest::newRow("NUL bytes") << "binary" << "a binary file, not text (a NUL byte at offset 2)";
}

void TestJson::readTextFileRefusesNonFiles()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const std::string path = dir.filePath("config.json").toStdString();
    if (kind == "directory") {
        std::filesystem::create_directory(path);
    } else if (kind == "device") {
        std::filesystem::create_symlink("/dev/zero", path);
    } else if (kind == "loop") {
        std::filesystem::create_symlink(path, path);
    } else {
        std::ofstream(path, std::ios::binary) << std::string("{\"\0\": 1}", 8);
    }
    try {
        json::parseFile(path);
        QFAIL("no error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
        QVERIFY2(QString(e.what()).contains("config.json"), e.what());
    }
}

void TestJson::readTextFileRefusesAFifoWithoutBlocking()
{
    QTemporaryDir dir;
    const std::string fifo = test::makeFifo(dir, "lesson.json");
    ATTNVIZ_VERIFY_REFUSES_FIFO([fifo] { json::parseFile(fifo); }, fifo, "is a FIFO (named pipe), not a file");
}

void TestJson::readTextFileIsBounded()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("config.json").toStdString();
    std::ofstream(path) << "[1]";
    std::filesystem::resize_file(path, std::size_t(1) << 30); // sparse: 1 GiB of zeros costs no disk
    try {
        json::parseFile(path);
        QFAIL("no error");
    } catch (const std::runtime_error& e) {
        QVERIFY2(QString(e.what()).contains("1073741824 bytes, more than the 16 MiB"), e.what());
    }
}

void TestJson::streamingWriterMatchesString_data()
{
    QTest::addColumn<bool>("pretty");
    QTest::newRow("compact") << false;
    QTest::newRow("pretty") << true;
}

// The CLI streams big results; the text must be the same as the in-memory writer's, across the
// writer's internal flushes (several 64 KiB chunks here, one-line arrays included).
void TestJson::streamingWriterMatchesString()
{
    QFETCH(bool, pretty);
    const auto write = [](json::Writer& w) {
        w.beginObject().key("rows").beginArray();
        for (int i = 0; i < 3000; ++i) {
            w.beginArray(true);
            for (int j = 0; j < 10; ++j) w.value(float(i) / float(j + 1));
            w.endArray();
        }
        w.endArray().key("empty").beginArray().endArray().key("end").value("x").endObject();
    };
    json::Writer whole(pretty);
    write(whole);
    std::ostringstream sink;
    json::Writer streamed(sink, pretty);
    write(streamed);
    QVERIFY(streamed.str().size() < whole.str().size()); // it did flush on the way
    streamed.flush();
    QVERIFY(whole.str().size() > 3 * 64 * 1024);
    QVERIFY(sink.str() == whole.str());
}

QTEST_APPLESS_MAIN(TestJson)
#include "test_json.moc"
