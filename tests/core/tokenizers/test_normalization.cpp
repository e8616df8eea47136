// Unicode normalisation forms (NFC, NFD, NFKC, NFKD) in real tokenizers, on text in decomposed or
// compatibility form. Expected ids come from @huggingface/transformers
// (tools/tokenizers/make_normalization_expected.mjs → tests/data/tokenizers/normalization_expected.json):
// Qwen2.5's folder and GPT-NeoX's tokenizer.json as they are (NFC), and real vocabularies with the
// normalizer replaced by another form, since no fixture ships NFD, NFKC or NFKD.
#include "tokenizers/textnormalizer.h"
#include "tokenizers/tokenizerjson.h"
#include "tokenizertestutil.h"

#include <QTest>

#include <algorithm>

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

    // Every character of the text that is not whitespace lies inside some token's span: normalising
    // moved no token away from what it was made of. (Not for BERT, whose accent stripping drops marks.)
    static void checkCoverage(const std::string& text, const std::vector<Token>& tokens)
    {
        std::vector<bool> covered(text.size(), false);
        for (const Token& t : tokens)
            for (int i = std::max(t.begin, 0); i < t.end; ++i)
                covered[static_cast<std::size_t>(i)] = true;
        for (std::size_t pos = 0; pos < text.size();) {
            const unicode::Decoded d = unicode::decodeUtf8(text, pos);
            QVERIFY2(unicode::isWhitespace(d.cp) || covered[pos], (text + " at byte " + std::to_string(pos)).c_str());
            pos += static_cast<std::size_t>(d.length);
        }
    }

    static AlignedText normalized(std::string_view text, unicode::NormalForm form)
    {
        TextNormalizer n;
        n.addUnicodeForm(form);
        return n.apply(AlignedText::from(text, 0));
    }

    static void expectRefused(const std::string& tokenizerJson, const std::string& message)
    {
        try {
            tokenizerFromJson(json::parse(tokenizerJson));
            QFAIL(("accepted: " + tokenizerJson).c_str());
        } catch (const TokenizerError& e) {
            QVERIFY2(std::string(e.what()).find(message) != std::string::npos, e.what());
        }
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
            if (!entry.find("folder")->asString().starts_with("bert"))
                checkCoverage(text, tokens);
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

    void alignedTextKeepsOriginalSpans()
    {
        // A composite spans everything composed into it.
        const AlignedText nfc = normalized("xe\xCC\x81y", unicode::NormalForm::Nfc);
        QCOMPARE(nfc.text, std::string("x\xC3\xA9y"));
        QCOMPARE(nfc.spans, (std::vector<AlignedText::Span>{{0, 1}, {1, 4}, {1, 4}, {4, 5}}));
        // Each part of a decomposition points at the character it came from.
        const AlignedText nfkd = normalized("\xEF\xAC\x81!", unicode::NormalForm::Nfkd); // U+FB01 ﬁ
        QCOMPARE(nfkd.text, std::string("fi!"));
        QCOMPARE(nfkd.spans, (std::vector<AlignedText::Span>{{0, 3}, {0, 3}, {3, 4}}));
        // Marks put in canonical order both take their run, so spans never go backwards.
        const AlignedText nfd = normalized("q\xCC\x87\xCC\xA3", unicode::NormalForm::Nfd); // q U+0307 U+0323
        QCOMPARE(nfd.text, std::string("q\xCC\xA3\xCC\x87"));
        QCOMPARE(nfd.spans, (std::vector<AlignedText::Span>{{0, 1}, {1, 5}, {1, 5}, {1, 5}, {1, 5}}));
        // Unchanged characters keep their byte spans; an invalid byte stays and ends the run.
        const AlignedText bad = normalized("\xC3\xA9\xFF\xCC\x81", unicode::NormalForm::Nfc);
        QCOMPARE(bad.text, std::string("\xC3\xA9\xFF\xCC\x81"));
        QCOMPARE(bad.spans, (std::vector<AlignedText::Span>{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}}));
        // Hangul jamo compose into one syllable.
        const AlignedText han = normalized("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", unicode::NormalForm::Nfkc);
        QCOMPARE(han.text, std::string("\xED\x95\x9C"));
        QCOMPARE(han.spans, (std::vector<AlignedText::Span>{{0, 9}, {0, 9}, {0, 9}}));
    }

    void unimplementedOrderIsRefused()
    {
        const std::string wordPiece = R"("model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}})";
        expectRefused(R"({"normalizer": {"type": "Sequence", "normalizers": [{"type": "BertNormalizer"},
                          {"type": "NFC"}]},)" + wordPiece + "}",
                      "\"NFC\" after BertNormalizer");
        const std::string spBpe = R"("pre_tokenizer": null, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []})";
        expectRefused(R"({"normalizer": {"type": "Sequence", "normalizers": [{"type": "Replace",
                          "pattern": {"String": " "}, "content": "\u2581"}, {"type": "NFKC"}]},)" + spBpe + "}",
                      "\"NFKC\" after Prepend or Replace");
        const std::string byteLevel =
            R"("pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []})";
        expectRefused(R"({"normalizer": {"type": "Nmt"},)" + byteLevel + "}",
                      "\"Nmt\" is not implemented for byte-level BPE");
        // The byte-level path now reads its normalizer: NFKC folds the full-width letter.
        const auto tok = tokenizerFromJson(json::parse(R"({"normalizer": {"type": "NFKC"},)" + byteLevel + "}"));
        QCOMPARE(idsOf(tok->encode("\xEF\xBD\x81")), std::vector<int>{0}); // U+FF41 -> "a"
    }
};

QTEST_APPLESS_MAIN(TestNormalization)
#include "test_normalization.moc"
