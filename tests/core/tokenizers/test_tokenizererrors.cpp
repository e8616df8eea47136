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
        QTest::newRow("empty unigram") << QByteArray(R"({"model": {"type": "Unigram", "vocab": []}})")
                                       << QByteArray("the Unigram vocabulary is empty");
        QTest::newRow("wordlevel") << QByteArray(R"({"model": {"type": "WordLevel", "vocab": {}}})")
                                   << QByteArray("unsupported tokenizer model type \"WordLevel\"");
        QTest::newRow("no model") << QByteArray(R"({"version": "1.0"})") << QByteArray("no \"model\"");
        QTest::newRow("pre-tokenizer")
            << QByteArray(R"({"pre_tokenizer": {"type": "CharDelimiterSplit"}, "model": {"type": "BPE", "vocab": {}, "merges": []}})")
            << QByteArray("unsupported pre_tokenizer \"CharDelimiterSplit\"");
        QTest::newRow("digits without byte level")
            << QByteArray(R"({"pre_tokenizer": {"type": "Digits"}, "model": {"type": "BPE", "vocab": {}, "merges": []}})")
            << QByteArray("with ByteLevel only");
        QTest::newRow("plain BPE") << QByteArray(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})")
                                   << QByteArray("neither byte-level nor SentencePiece");
        QTest::newRow("bad merges")
            << QByteArray(R"({"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {}, "merges": [3]}})")
            << QByteArray("model.merges");
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

    // Numbers in tokenizer.json go through one checked conversion: an id of 1e20, -1 or 2.5 is a
    // TokenizerError naming the entry, never an out-of-range float-to-int cast (UB).
    void numbersAreChecked_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("message");
        const QByteArray wp = R"("model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2}})";
        const QByteArray sp = R"("normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
            "model": {"type": "BPE", "vocab": {"<unk>": 0, "\u2581": 1, "a": 2}, "merges": []})";
        QTest::newRow("vocab 1e20") << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1e20}}})")
                                    << QByteArray("\"a\"");
        QTest::newRow("vocab -1") << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": -1}}})")
                                  << QByteArray("\"a\"");
        QTest::newRow("vocab 2.5") << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 2.5}}})")
                                   << QByteArray("\"a\"");
        QTest::newRow("bpe vocab 1e20")
            << QByteArray(R"({"normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
                 "model": {"type": "BPE", "vocab": {"\u2581": 0, "a": 1e20}, "merges": []}})")
            << QByteArray("\"a\"");
        QTest::newRow("added id") << QByteArray(R"({"added_tokens": [{"id": 1e20, "content": "[X]"}], )" + wp + "}")
                                  << QByteArray("added_tokens");
        QTest::newRow("max chars")
            << QByteArray(R"({"model": {"type": "WordPiece", "max_input_chars_per_word": 1e300, "vocab": {"[UNK]": 0}}})")
            << QByteArray("max_input_chars_per_word");
        QTest::newRow("strip start")
            << QByteArray(R"({"decoder": {"type": "Strip", "content": " ", "start": 1e300}, )" + sp + "}")
            << QByteArray("start");
        QTest::newRow("strip sum") // each start is an int, their sum is not
            << QByteArray(R"({"decoder": {"type": "Sequence", "decoders": [{"type": "Strip", "content": " ", "start": 2000000000},
                 {"type": "Strip", "content": " ", "start": 2000000000}]}, )" + sp + "}")
            << QByteArray("start");
        QTest::newRow("template id")
            << QByteArray(R"({"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]",
                 "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "pair": [], "special_tokens": {"[CLS]":
                 {"id": "[CLS]", "ids": [1e20], "tokens": ["[CLS]"]}}}, )" + wp + "}")
            << QByteArray("ids");
        QTest::newRow("template type_id")
            << QByteArray(R"({"post_processor": {"type": "TemplateProcessing", "single": [{"Sequence": {"id": "A",
                 "type_id": 1e300}}], "pair": []}, )" + wp + "}")
            << QByteArray("type_id");
        QTest::newRow("template ids not numbers")
            << QByteArray(R"({"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]",
                 "type_id": 0}}], "pair": [], "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": ["x"], "tokens": [7]}}}, )" +
                   wp + "}")
            << QByteArray("ids");
        QTest::newRow("bert cls id")
            << QByteArray(R"({"post_processor": {"type": "BertProcessing", "cls": ["[CLS]", 1e20], "sep": ["[SEP]", 2]}, )" +
                   wp + "}")
            << QByteArray("cls");
    }

    void numbersAreChecked()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, message);
        const std::string path = write("numbers.json", json.toStdString());
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
