// Unicode normalisation forms (NFC, NFD, NFKC, NFKD) in real tokenizers, on text in decomposed or
// compatibility form. Expected ids come from @huggingface/transformers
// (tools/tokenizers/make_normalization_expected.mjs → tests/data/tokenizers/normalization_expected.json):
// Qwen2.5's folder and GPT-NeoX's tokenizer.json as they are (NFC), and real vocabularies with the
// normalizer replaced by another form, since no fixture ships NFD, NFKC or NFKD.
#include "tokenizers/tokenizerjson.h"
#include "tokenizertestutil.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testutil;

class TestNormalization : public QObject
{
    Q_OBJECT

    // The fixture's tokenizer.json with its "normalizer" replaced by `normalizer`.
    static std::unique_ptr<Tokenizer> withNormalizer(const std::string& folder, const json::Value& normalizer)
    {
        const json::Value file = json::parseFile(sharedFixture("tokenizers/" + folder + "/tokenizer.json"));
        json::Object root;
        for (const auto& [key, value] : file.asObject())
            root.emplace_back(key, key == "normalizer" ? normalizer : value);
        return tokenizerFromJson(json::Value(std::move(root)));
    }

    static std::unique_ptr<Tokenizer> tokenizerOf(const json::Value& model)
    {
        const std::string& folder = model.find("folder")->asString();
        if (const json::Value* normalizer = model.find("normalizer"))
            return withNormalizer(folder, *normalizer);
        return loadTokenizerFromFolder(sharedFixture("tokenizers/" + folder));
    }

    static std::string spanText(const std::string& text, const Token& t)
    {
        return text.substr(static_cast<std::size_t>(t.begin), static_cast<std::size_t>(t.end - t.begin));
    }

private slots:
    void referenceIds_data()
    {
        QTest::addColumn<QByteArray>("model");
        const json::Value root = json::parseFile(testData("tokenizers/normalization_expected.json"));
        for (const auto& [name, model] : root.find("models")->asObject())
            QTest::newRow(name.c_str()) << QByteArray::fromStdString(name);
    }

    void referenceIds()
    {
        QFETCH(QByteArray, model);
        const json::Value root = json::parseFile(testData("tokenizers/normalization_expected.json"));
        const json::Value& entry = *root.find("models")->find(model.toStdString());
        const auto tok = tokenizerOf(entry);
        int count = 0;
        for (const json::Value& c : entry.find("cases")->asArray()) {
            const std::string& text = c.find("text")->asString();
            const std::vector<Token> tokens = tok->encodeForModel(text);
            QVERIFY2(printable(idsOf(tokens)) == printable(intsOf(*c.find("ids"))),
                     (text + ": " + printable(idsOf(tokens)).toStdString()).c_str());
            checkSpans(text, tokens);
            ++count;
        }
        QCOMPARE(count, 33);
    }

    void composedCharacterSpansItsSources()
    {
        // Under NFC "e" + U+0301 becomes "é": the token holding it covers both original characters,
        // and so do the Hangul syllables composed from conjoining jamo.
        const auto qwen = loadTokenizerFromFolder(sharedFixture("tokenizers/qwen2.5"));
        const std::string cafe = "cafe\xCC\x81";
        const std::vector<Token> tokens = qwen->encode(cafe);
        QVERIFY(!tokens.empty());
        QCOMPARE(tokens.back().end, static_cast<int>(cafe.size()));
        QVERIFY(spanText(cafe, tokens.back()).ends_with("e\xCC\x81"));
        const std::string jamo = "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"; // U+1112 U+1161 U+11AB = 한
        const std::vector<Token> han = qwen->encode(jamo);
        QCOMPARE(han.size(), std::size_t(1));
        QCOMPARE(han[0].begin, 0);
        QCOMPARE(han[0].end, static_cast<int>(jamo.size()));
        QCOMPARE(idsOf(han), idsOf(qwen->encode("\xED\x95\x9C"))); // the precomposed syllable
    }
};

QTEST_APPLESS_MAIN(TestNormalization)
#include "test_normalization.moc"
