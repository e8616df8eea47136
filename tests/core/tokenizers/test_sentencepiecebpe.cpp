// SentencePiece-style BPE (Llama layout) on two hand-made tokenizer.json fixtures with byte
// fallback: tests/data/tokenizers/tiny-llama (Prepend + Replace normalizer) and
// tiny-llama-metaspace (Metaspace pre-tokenizer, prepend "first"). Expected ids come from
// Tokenizers.js (tools/tokenizers/make_expected.mjs); spans and display strings by hand.
#include "tokenizertestutil.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testutil;

class TestSentencePieceBpe : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Tokenizer> m_tok;

    static void addReferenceRows(const char* fixture, const char* expected)
    {
        QTest::addColumn<QByteArray>("fixture");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("ids");
        QTest::addColumn<QByteArray>("decoded");
        const json::Value root = json::parseFile(testData(std::string("tokenizers/") + expected));
        for (const json::Value& c : root.find("cases")->asArray()) {
            const std::string& text = c.find("text")->asString();
            QTest::addRow("%s: %s", fixture, text.c_str())
                << QByteArray(fixture) << QByteArray::fromStdString(text) << printable(intsOf(*c.find("ids")))
                << QByteArray::fromStdString(c.find("decoded")->asString());
        }
    }

    static std::vector<std::string> displays(const std::vector<Token>& tokens)
    {
        std::vector<std::string> out;
        for (const Token& t : tokens)
            out.push_back(t.display);
        return out;
    }

    static std::vector<std::pair<int, int>> spans(const std::vector<Token>& tokens)
    {
        std::vector<std::pair<int, int>> out;
        for (const Token& t : tokens)
            out.emplace_back(t.begin, t.end);
        return out;
    }

private slots:
    void initTestCase() { m_tok = loadTokenizerJson(testData("tokenizers/tiny-llama/tokenizer.json")); }

    void referenceIds_data()
    {
        addReferenceRows("tiny-llama", "tiny_llama_expected.json");
        addReferenceRows("tiny-llama-metaspace", "tiny_llama_metaspace_expected.json");
    }

    void referenceIds()
    {
        QFETCH(QByteArray, fixture);
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, ids);
        QFETCH(QByteArray, decoded);
        const auto tok = loadTokenizerJson(testData("tokenizers/" + fixture.toStdString() + "/tokenizer.json"));
        const std::string s = text.toStdString();
        const std::vector<Token> tokens = tok->encodeForModel(s);
        QCOMPARE(printable(idsOf(tokens)), ids);
        checkSpans(s, tokens);
        QCOMPARE(QByteArray::fromStdString(tok->decode(idsOf(tokens))), decoded);
        QVERIFY(tokens[0].special); // BOS from the TemplateProcessing post-processor
    }

    void bosOnlyForModel()
    {
        QCOMPARE(idsOf(m_tok->encode("hello world")), (std::vector<int>{276, 281}));
        QCOMPARE(m_tok->decode({276, 281}), std::string("hello world")); // Strip removes the leading space
    }

    void spansAndDisplayWithByteFallback()
    {
        // "héllo": é is not in the vocabulary and falls back to <0xC3><0xA9>.
        const std::vector<Token> t = m_tok->encode("h\xC3\xA9llo");
        QCOMPARE(idsOf(t), (std::vector<int>{273, 198, 172, 272, 266}));
        QCOMPARE(t[1].piece, std::string("<0xC3>"));
        QCOMPARE(displays(t), (std::vector<std::string>{" h", "\\xC3", "\\xA9", "ll", "o"})); // each byte, honestly
        // ▁h covers the prepended ▁ (no input bytes) and "h"; both byte tokens cover all of é.
        QCOMPARE(spans(t), (std::vector<std::pair<int, int>>{{0, 1}, {1, 3}, {1, 3}, {3, 5}, {5, 6}}));
    }

    void spacesBecomeMetaspace()
    {
        const std::string text = "two  spaces";
        const std::vector<Token> t = m_tok->encode(text);
        QCOMPARE(t[3].piece, std::string("\xE2\x96\x81")); // "▁" for the first space
        QCOMPARE(t[3].display, std::string(" "));
        QCOMPARE((std::pair{t[3].begin, t[3].end}), (std::pair{3, 4}));
        QCOMPARE((std::pair{t[4].begin, t[4].end}), (std::pair{4, 5}));
        QCOMPARE(t[5].piece, std::string("<0x73>"));
        QCOMPARE(t[5].display, std::string("s"));
        QCOMPARE(t.back().end, static_cast<int>(text.size()));
    }

    void newlineAndPrependedMetaspace()
    {
        const std::vector<Token> t = m_tok->encode("\n");
        QCOMPARE(idsOf(t), (std::vector<int>{259, 13}));
        QCOMPARE(spans(t), (std::vector<std::pair<int, int>>{{0, 0}, {0, 1}})); // the ▁ was not typed
        QCOMPARE(t[1].display, std::string("\\n"));
    }

    void emojiBytes()
    {
        const std::vector<Token> t = m_tok->encode("a\xF0\x9F\x98\x80!");
        QCOMPARE(displays(t), (std::vector<std::string>{" a", "\\xF0", "\\x9F", "\\x98", "\\x80", "!"}));
        QCOMPARE(m_tok->tokenForId(243).display, std::string("\\xF0"));
        QCOMPARE(m_tok->tokenForId(243).piece, std::string("<0xF0>"));
        // A broken byte run decodes to one U+FFFD per byte token, like the ByteFallback decoder.
        QCOMPARE(m_tok->decode({287, 243, 162}), std::string("a\xEF\xBF\xBD\xEF\xBF\xBD"));
    }

    void sentencePair()
    {
        const std::vector<Token> t = m_tok->encodeForModel("hello", std::string_view("world"));
        QCOMPARE(idsOf(t), (std::vector<int>{1, 276, 1, 281}));
        QCOMPARE((std::vector<int>{t[0].segment, t[1].segment, t[2].segment, t[3].segment}),
                 (std::vector<int>{0, 0, 1, 1}));
        QCOMPARE((std::pair{t[3].begin, t[3].end}), (std::pair{0, 5})); // offsets into "world"
    }

    void vocabulary()
    {
        QCOMPARE(m_tok->idOf("<0x41>"), std::optional<int>(3 + 0x41));
        QCOMPARE(m_tok->idOf("\xE2\x96\x81hello"), std::optional<int>(276));
        QVERIFY(m_tok->tokenForId(1).special);
        QCOMPARE(m_tok->tokenForId(276).display, std::string(" hello"));
        QVERIFY_THROWS_EXCEPTION(TokenizerError, m_tok->tokenForId(m_tok->vocabSize()));
    }
};

QTEST_APPLESS_MAIN(TestSentencePieceBpe)
#include "test_sentencepiecebpe.moc"
