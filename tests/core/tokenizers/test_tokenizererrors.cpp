// Loader error paths: every failure is a TokenizerError whose message names the file and the
// problem; nothing crashes.
#include "tokenizertestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace attnviz;
using namespace attnviz::testutil;

class TestTokenizerErrors : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string write(const char* name, const std::string& content)
    {
        const std::string path = m_dir.filePath(QString::fromUtf8(name)).toStdString();
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    // Runs f, which must throw TokenizerError mentioning every one of `parts`.
    template <typename F>
    static void expectError(F&& f, std::initializer_list<std::string> parts)
    {
        try {
            f();
        } catch (const TokenizerError& e) {
            const std::string what = e.what();
            for (const char c : what) // file content is escaped: one line, no terminal control codes
                QVERIFY2(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f, what.c_str());
            for (const std::string& part : parts)
                QVERIFY2(what.find(part) != std::string::npos, ("'" + part + "' not in: " + what).c_str());
            return;
        }
        QFAIL("no TokenizerError thrown");
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void missingFiles()
    {
        const std::string missing = m_dir.filePath("nope.json").toStdString();
        expectError([&] { loadTokenizerJson(missing); }, {missing + ": no such file"});
        expectError([&] { loadGpt2Tokenizer(missing, missing); }, {missing});
        expectError([&] { loadWordPieceTokenizer(missing, true); }, {missing});
        expectError([&] { loadTokenizerFromFolder(m_dir.path().toStdString()); }, {"no tokenizer.json"});
    }

    void malformedJson()
    {
        const std::string path = write("bad.json", "{\"model\": {\"type\": \"BPE\", ");
        expectError([&] { loadTokenizerJson(path); }, {path, "invalid JSON", "line 1"});
        const std::string vocab = write("vocab.json", "[1, 2]");
        const std::string merges = write("merges.txt", "#version: 0.2\na b\n");
        expectError([&] { loadGpt2Tokenizer(vocab, merges); }, {vocab, "not a JSON object"});
    }

    void unsupportedComponents_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unigram") << QByteArray(R"({"model": {"type": "Unigram", "vocab": []}})")
                                 << QByteArray("unsupported tokenizer model type \"Unigram\"");
        QTest::newRow("no model") << QByteArray(R"({"version": "1.0"})") << QByteArray("no \"model\"");
        QTest::newRow("pre-tokenizer")
            << QByteArray(R"({"pre_tokenizer": {"type": "Digits"}, "model": {"type": "BPE", "vocab": {}, "merges": []}})")
            << QByteArray("unsupported pre_tokenizer \"Digits\"");
        QTest::newRow("plain BPE") << QByteArray(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})")
                                   << QByteArray("neither byte-level nor SentencePiece");
        QTest::newRow("bad merges")
            << QByteArray(R"({"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {}, "merges": [3]}})")
            << QByteArray("model.merges");
        QTest::newRow("missing bytes")
            << QByteArray(R"({"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})")
            << QByteArray("lacks the symbol of byte");
        QTest::newRow("wordpiece unk")
            << QByteArray(R"({"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"a": 0}}})")
            << QByteArray("\"[UNK]\" is not in the vocabulary");
        QTest::newRow("post-processor")
            << QByteArray(R"({"post_processor": {"type": "Magic"}, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}})")
            << QByteArray("unsupported post_processor type \"Magic\"");
        // File content quoted in a message is escaped: no terminal control sequence, one line.
        QTest::newRow("ESC in a type")
            << QByteArray("{\"pre_tokenizer\": {\"type\": \"\\u001b[2J\\nx\"}, "
                          "\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}")
            << QByteArray("unsupported pre_tokenizer \"\\x1b[2J\\nx\"");
    }

    void unsupportedComponents()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, message);
        const std::string path = write("tokenizer.json", json.toStdString());
        expectError([&] { loadTokenizerJson(path); }, {path, message.toStdString()});
    }

    void badMergesLine()
    {
        const std::string vocab = write("v.json", R"({"a": 0})");
        const std::string merges = write("m.txt", "#version: 0.2\nabc\n");
        expectError([&] { loadGpt2Tokenizer(vocab, merges); }, {merges, "\"abc\""});
    }

    void emptyVocabTxt()
    {
        const std::string vocab = write("vocab.txt", "\n\n");
        expectError([&] { loadWordPieceTokenizer(vocab, true); }, {vocab, "empty"});
    }
};

QTEST_APPLESS_MAIN(TestTokenizerErrors)
#include "test_tokenizererrors.moc"
