// BERT WordPiece on the real bert-base-uncased files (tokenizer.json and vocab.txt). Expected ids
// come from tests/data/tokenizers/bert_expected.json, made by Tokenizers.js
// (tools/tokenizers/make_expected.mjs); spans and display strings are checked by hand.
#include "tokenizertestutil.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testutil;

class TestWordPiece : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Tokenizer> m_json; // from tokenizer.json
    std::unique_ptr<Tokenizer> m_txt;  // from vocab.txt, lowercase
    json::Value m_expected;

    static std::string slice(const std::string& text, const Token& t) { return text.substr(t.begin, t.end - t.begin); }

private slots:
    void initTestCase()
    {
        m_json = loadTokenizerJson(sharedFixture("tokenizers/bert-base-uncased/tokenizer.json"));
        m_txt = loadWordPieceTokenizer(sharedFixture("tokenizers/bert-base-uncased/vocab.txt"), true);
        m_expected = json::parseFile(testData("tokenizers/bert_expected.json"));
    }

    void referenceIds_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("ids");
        QTest::addColumn<QByteArray>("decoded");
        for (const json::Value& c : m_expected.find("cases")->asArray()) {
            const std::string& text = c.find("text")->asString();
            QTest::newRow(text.substr(0, 40).c_str()) << QByteArray::fromStdString(text) << printable(intsOf(*c.find("ids")))
                                                      << QByteArray::fromStdString(c.find("decoded")->asString());
        }
    }

    void referenceIds()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, ids);
        QFETCH(QByteArray, decoded);
        const std::string s = text.toStdString();
        for (const Tokenizer* tok : {m_json.get(), m_txt.get()}) {
            const std::vector<Token> tokens = tok->encodeForModel(s);
            QCOMPARE(printable(idsOf(tokens)), ids);
            checkSpans(s, tokens);
            QCOMPARE(QByteArray::fromStdString(tok->decode(idsOf(tokens))), decoded);
        }
    }

    void sentencePairs_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<QByteArray>("ids");
        QTest::addColumn<QByteArray>("types");
        for (const json::Value& c : m_expected.find("pairs")->asArray())
            QTest::newRow(c.find("text")->asString().c_str())
                << QByteArray::fromStdString(c.find("text")->asString())
                << QByteArray::fromStdString(c.find("second")->asString()) << printable(intsOf(*c.find("ids")))
                << printable(intsOf(*c.find("token_type_ids")));
    }

    void sentencePairs()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(QByteArray, ids);
        QFETCH(QByteArray, types);
        for (const Tokenizer* tok : {m_json.get(), m_txt.get()}) {
            const std::vector<Token> tokens = tok->encodeForModel(a.toStdString(), b.toStdString());
            QCOMPARE(printable(idsOf(tokens)), ids);
            std::vector<int> segments;
            for (const Token& t : tokens)
                segments.push_back(t.segment);
            QCOMPARE(printable(segments), types);
            // Spans of sentence B tokens point into B.
            for (const Token& t : tokens)
                if (t.segment == 1 && !t.special)
                    QVERIFY(t.end <= b.size());
        }
    }

    void pairStructure()
    {
        const std::vector<Token> t = m_json->encodeForModel("hi", std::string_view("there"));
        QCOMPARE(t.size(), std::size_t(5));
        QVERIFY(t[0].special && t[2].special && t[4].special);
        QCOMPARE(t[0].piece, std::string("[CLS]"));
        QCOMPARE((std::vector<int>{t[0].begin, t[0].end}), (std::vector<int>{-1, -1}));
        QCOMPARE((std::vector<int>{t[3].begin, t[3].end, t[3].segment}), (std::vector<int>{0, 5, 1}));
        QCOMPARE(t[4].segment, 1);
    }

    void spansPointIntoOriginalText()
    {
        // "Ångström" lowers and loses its accents, yet spans cover the original bytes.
        const std::string text = "Caf\xC3\xA9 \xC3\x85ngstr\xC3\xB6m, \xE6\x97\xA5\xE6\x9C\xAC!";
        const std::vector<Token> t = m_json->encode(text);
        QCOMPARE(t.size(), std::size_t(7));
        QCOMPARE(t[0].piece, std::string("cafe"));
        QCOMPARE(slice(text, t[0]), std::string("Caf\xC3\xA9"));
        QCOMPARE(t[1].piece, std::string("ang"));
        QCOMPARE(slice(text, t[1]), std::string("\xC3\x85ng"));
        QCOMPARE(t[2].piece, std::string("##strom"));
        QCOMPARE(t[2].display, std::string("strom"));
        QCOMPARE(slice(text, t[2]), std::string("str\xC3\xB6m"));
        QCOMPARE(slice(text, t[3]), std::string(","));
        QCOMPARE(slice(text, t[4]), std::string("\xE6\x97\xA5")); // 日 as its own word
        QCOMPARE(slice(text, t[5]), std::string("\xE6\x9C\xAC"));
        QCOMPARE(slice(text, t[6]), std::string("!"));
        for (const Token& token : t)
            QCOMPARE(token.segment, 0);
    }

    void unknownAndLongWords()
    {
        const std::string text = "\xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD " + std::string(101, 'a') + " " + std::string(100, 'a');
        const std::vector<Token> t = m_json->encode(text);
        QCOMPARE(t[0].piece, std::string("[UNK]"));
        QCOMPARE(slice(text, t[0]), text.substr(0, 8)); // the whole emoji word
        QCOMPARE(t[1].piece, std::string("[UNK]"));     // 101 characters: too long
        QCOMPARE(t[1].end - t[1].begin, 101);
        QVERIFY(t[2].piece != "[UNK]");                 // 100 characters still split into pieces
    }

    void controlCharactersAreDropped()
    {
        QCOMPARE(idsOf(m_json->encode(std::string("he\x01llo\xE2\x80\x8B", 10))), idsOf(m_json->encode("hello")));
        QCOMPARE(idsOf(m_json->encode(std::string("a\0b", 3))), idsOf(m_json->encode("ab")));
    }

    void maskTokenTypedInText()
    {
        const std::vector<Token> t = m_json->encode("the [MASK] sat");
        QCOMPARE(idsOf(t), (std::vector<int>{1996, 103, 2938}));
        QVERIFY(t[1].special);
        QCOMPARE((std::pair{t[1].begin, t[1].end}), (std::pair{4, 10}));
    }

    void tokenForId()
    {
        QCOMPARE(m_json->tokenForId(15687).piece, std::string("##strom"));
        QCOMPARE(m_json->tokenForId(15687).display, std::string("strom"));
        QVERIFY(m_json->tokenForId(101).special);
        QVERIFY(!m_json->tokenForId(7592).special);
        QCOMPARE(m_json->vocabSize(), 30522);
        QCOMPARE(m_txt->vocabSize(), 30522);
        QCOMPARE(m_json->idOf("hello"), std::optional<int>(7592));
        QVERIFY_THROWS_EXCEPTION(TokenizerError, m_json->tokenForId(30522));
    }

    void casedVocabularyKeepsCase()
    {
        // Without lower-casing "Hello" is not in the uncased vocabulary: it must not match "hello".
        const auto cased = loadWordPieceTokenizer(sharedFixture("tokenizers/bert-base-uncased/vocab.txt"), false);
        const std::vector<Token> t = cased->encode("Hello caf\xC3\xA9");
        QVERIFY(t[0].id != 7592);
        QCOMPARE(t[0].begin, 0);
        QCOMPARE(t.back().end, 11); // "café" ends after the two bytes of é
    }

    void folderLoader()
    {
        const auto tok = loadTokenizerFromFolder(sharedFixture("tokenizers/bert-base-uncased"));
        QCOMPARE(idsOf(tok->encodeForModel("Hello world")), (std::vector<int>{101, 7592, 2088, 102}));
    }
};

QTEST_APPLESS_MAIN(TestWordPiece)
#include "test_wordpiece.moc"
