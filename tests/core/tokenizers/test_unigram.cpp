// SentencePiece tokenizers on real files of ../shared/fixtures/tokenizers: T5's tokenizer.json,
// ALBERT's spiece.model and CamemBERT's sentencepiece.bpe.model (read by the protobuf reader,
// laid out as Hugging Face's converters do), Mistral's tokenizer.json and, on its own, its BPE
// tokenizer.model; and the hand-made tests/data/tokenizers/tiny-unigram. Expected ids come from
// @huggingface/transformers (tools/tokenizers/make_unigram_expected.mjs); spans, refusals and
// the charsmap lookup by hand.
#include "tokenizertestutil.h"

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "tokenizers/precompiledcharsmap.h"
#include "tokenizers/sentencepiecemodel.h"
#include "tokenizers/tokenizerjson.h"
#include "util/base64.h"
#include "util/regularfile.h"

#include <QTest>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace attnviz;
using namespace attnviz::testutil;

namespace {

std::string folderOf(const std::string& model)
{
    return sharedFixture("tokenizers/" + model);
}

std::string readBytes(const std::string& path)
{
    return RegularFile(path).readAll(std::size_t(64) << 20);
}

// A protobuf field: tag varint, then (length-delimited) length + bytes.
std::string varint(std::uint64_t v)
{
    std::string out;
    do {
        out += static_cast<char>((v & 0x7F) | (v >= 0x80 ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return out;
}
std::string field(int number, const std::string& payload)
{
    return varint(static_cast<std::uint64_t>(number) << 3 | 2) + varint(payload.size()) + payload;
}

} // namespace

class TestUnigram : public QObject
{
    Q_OBJECT

private:
    std::map<std::string, std::unique_ptr<Tokenizer>> m_toks;

    const Tokenizer& tok(const std::string& model)
    {
        auto& t = m_toks[model];
        if (!t && model == "mistral.model") // the BPE .model read without its tokenizer.json
            t = loadSentencePieceModel(folderOf("mistral") + "/tokenizer.model");
        else if (!t && model == "tiny-unigram") // hand-made, written by the script
            t = loadTokenizerFromFolder(testData("tokenizers/tiny-unigram"));
        else if (!t)
            t = loadTokenizerFromFolder(folderOf(model));
        return *t;
    }

private slots:
    void referenceIds_data()
    {
        QTest::addColumn<QByteArray>("model");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("ids");
        QTest::addColumn<QByteArray>("decoded");
        const json::Value root = json::parseFile(testData("tokenizers/unigram_expected.json"));
        for (const auto& [model, cases] : root.find("models")->asObject())
            for (const std::string& reader : model == "mistral" ? std::vector<std::string>{model, "mistral.model"}
                                                                : std::vector<std::string>{model})
                for (const json::Value& c : cases.find("cases")->asArray()) {
                    const std::string& text = c.find("text")->asString();
                    QTest::addRow("%s: %s", reader.c_str(), text.c_str())
                        << QByteArray::fromStdString(reader) << QByteArray::fromStdString(text)
                        << printable(intsOf(*c.find("ids")))
                        << QByteArray::fromStdString(c.find("decoded")->asString());
                }
    }

    void referenceIds()
    {
        QFETCH(QByteArray, model);
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, ids);
        QFETCH(QByteArray, decoded);
        const std::string s = text.toStdString();
        const std::vector<Token> tokens = tok(model.toStdString()).encodeForModel(s);
        QCOMPARE(printable(idsOf(tokens)), ids);
        checkSpans(s, tokens);
        QCOMPARE(QByteArray::fromStdString(tok(model.toStdString()).decode(idsOf(tokens))), decoded);
    }

    void referencePairs()
    {
        const json::Value root = json::parseFile(testData("tokenizers/unigram_expected.json"));
        int count = 0;
        for (const auto& [model, cases] : root.find("models")->asObject())
            for (const json::Value& c : cases.find("pairs")->asArray())
                for (const std::string& reader : model == "mistral" ? std::vector<std::string>{model, "mistral.model"}
                                                                    : std::vector<std::string>{model}) {
                    const std::vector<Token> tokens =
                        tok(reader).encodeForModel(c.find("text")->asString(), c.find("second")->asString());
                    QCOMPARE(printable(idsOf(tokens)), printable(intsOf(*c.find("ids"))));
                    ++count;
                }
        QCOMPARE(count, 12);
    }

    void spansPointAtTheOriginalText()
    {
        // ALBERT lower-cases, strips accents and collapses spaces; spans still cover what was typed.
        const std::string text = "  Café  NAÏVE";
        const std::vector<Token> tokens = tok("albert").encode(text);
        QCOMPARE(tokens.size(), std::size_t(2));
        QCOMPARE(tokens[0].piece, std::string("\xE2\x96\x81"
                                              "cafe"));
        QCOMPARE(text.substr(static_cast<std::size_t>(tokens[0].begin),
                             static_cast<std::size_t>(tokens[0].end - tokens[0].begin)),
                 std::string("Café"));
        // "▁naive" starts at the spaces its "▁" came from.
        QCOMPARE(text.substr(static_cast<std::size_t>(tokens[1].begin)), std::string("  NAÏVE"));
        QCOMPARE(tokens[0].display, std::string(" cafe"));
        // A T5 sentinel is an added token: matched in the raw text, special, its own span.
        const std::string masked = "a <extra_id_0> b";
        const std::vector<Token> t5 = tok("t5").encode(masked);
        const auto sentinel = std::find_if(t5.begin(), t5.end(), [](const Token& t) { return t.special; });
        QVERIFY(sentinel != t5.end());
        QCOMPARE(sentinel->piece, std::string("<extra_id_0>"));
        QCOMPARE(sentinel->begin, 2);
        QCOMPARE(sentinel->end, 14);
    }

    void fairseqOffsets()
    {
        // CamemBERT's ids are the .model's shifted by 4, XLM-RoBERTa's by 1 (fairseq specials first).
        const Tokenizer& cam = tok("camembert");
        QCOMPARE(cam.idOf("<s>NOTUSED"), std::optional<int>(0));
        QCOMPARE(cam.idOf("<unk>"), std::optional<int>(3));
        QCOMPARE(cam.idOf("<s>"), std::optional<int>(5));
        QCOMPARE(cam.idOf("<mask>"), std::optional<int>(32004));
        QCOMPARE(cam.vocabSize(), 32005);
        const SentencePieceModel m =
            parseSentencePieceModel(readBytes(folderOf("camembert") + "/sentencepiece.bpe.model"));
        QCOMPARE(cam.idOf(m.pieces[10].piece), std::optional<int>(14));
        SentencePieceLayout xlmr;
        xlmr.family = SentencePieceLayout::Family::XlmRoberta;
        const auto x = tokenizerFromSentencePiece(m, xlmr);
        QCOMPARE(x->idOf("<pad>"), std::optional<int>(1));
        QCOMPARE(x->idOf(m.pieces[10].piece), std::optional<int>(11));
        QCOMPARE(x->idOf("<mask>"), std::optional<int>(x->vocabSize() - 1));
    }

    void modelFileFields()
    {
        const SentencePieceModel albert = parseSentencePieceModel(readBytes(folderOf("albert") + "/spiece.model"));
        QCOMPARE(albert.pieces.size(), std::size_t(30000));
        QCOMPARE(albert.unkId, 1);
        QCOMPARE(albert.pieces[2].piece, std::string("[CLS]"));
        QVERIFY(albert.pieces[2].type == SentencePieceModel::PieceType::Control);
        QVERIFY(albert.modelType == SentencePieceModel::ModelType::Unigram);
        QCOMPARE(albert.normalizerName, std::string("nmt_nfkc"));
        QCOMPARE(albert.precompiledCharsmap.size(), std::size_t(237539));
        const SentencePieceModel mistral = parseSentencePieceModel(readBytes(folderOf("mistral") + "/tokenizer.model"));
        QVERIFY(mistral.modelType == SentencePieceModel::ModelType::Bpe);
        try {
            tokenizerFromSentencePiece(mistral, SentencePieceLayout());
            QFAIL("a BPE .model was accepted for ALBERT");
        } catch (const TokenizerError& e) {
            QVERIFY2(std::string(e.what()).find("Llama-family folders only") != std::string::npos, e.what());
        }
    }

    void charsmapLookup()
    {
        // nmt_nfkc: "ﬁ" -> "fi", full-width "Ａ" -> "A"; plain ASCII has no rule.
        const SentencePieceModel albert = parseSentencePieceModel(readBytes(folderOf("albert") + "/spiece.model"));
        const PrecompiledCharsmap map(albert.precompiledCharsmap);
        QCOMPARE(map.longestPrefix("\xEF\xAC\x81x").length, std::size_t(3));
        QCOMPARE(std::string(map.longestPrefix("\xEF\xAC\x81x").replacement), std::string("fi"));
        QCOMPARE(std::string(map.longestPrefix("\xEF\xBC\xA1").replacement), std::string("A"));
        QCOMPARE(map.longestPrefix("abc").length, std::size_t(0));
    }

    void malformedModelFilesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("empty") << QByteArray() << QByteArray("no pieces");
        QTest::newRow("truncated varint") << QByteArray("\x0a\xff", 2) << QByteArray("truncated varint");
        QTest::newRow("length past the end") << QByteArray("\x0a\x10\x0a\x01", 4) << QByteArray("past the end");
        QTest::newRow("wrong wire type") << QByteArray("\x08\x01", 2) << QByteArray("wire type");
        QTest::newRow("group wire type") << QByteArray("\x0b", 1) << QByteArray("wire type 3");
        const std::string piece = field(1, field(1, "a"));
        const std::string badUnk = piece + field(2, std::string("\xc0\x02\x05", 3)); // unk_id 5 of 1 piece
        QTest::newRow("unk outside") << QByteArray::fromStdString(badUnk) << QByteArray("unk_id 5");
        const std::string badType = field(1, field(1, "a") + std::string("\x18\x09", 2));
        QTest::newRow("bad piece type") << QByteArray::fromStdString(badType) << QByteArray("piece type 9");
        const std::string badMap = piece + field(3, field(2, std::string("\xff\x00\x00\x00", 4)));
        QTest::newRow("charsmap size") << QByteArray::fromStdString(badMap) << QByteArray("precompiled_charsmap");
    }

    void malformedModelFilesAreRefused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, message);
        try {
            const SentencePieceModel m = parseSentencePieceModel(bytes.toStdString());
            tokenizerFromSentencePiece(m, SentencePieceLayout{SentencePieceLayout::Family::XlmRoberta});
            QFAIL("accepted");
        } catch (const TokenizerError& e) {
            QVERIFY2(std::string(e.what()).find(message.toStdString()) != std::string::npos, e.what());
        }
    }

    void emptyPiecesAreNeverAddedTokens()
    {
        // An empty control piece, also named by tokenizer_config.json: an empty added token would
        // match everywhere, so it is left out and encoding still ends. CamemBERT ids: 5 is "".
        const auto piece = [](const std::string& text, char type) {
            return field(1, (text.empty() ? std::string() : field(1, text)) + std::string("\x18", 1) + type);
        };
        const std::string model = piece("<unk>", 2) + piece("", 3) + piece("<s>", 3) + piece("</s>", 3) + piece("a", 1);
        SentencePieceLayout layout;
        layout.family = SentencePieceLayout::Family::Camembert;
        layout.configTokens.push_back({5, "", true, false, false});
        const auto tok = tokenizerFromSentencePiece(parseSentencePieceModel(model), layout);
        QCOMPARE(idsOf(tok->encode("aa")), (std::vector<int>{3, 8, 8})); // unknown "▁", "a", "a"
    }

    void modelFolderWithOnlySpieceModel()
    {
        // The tiny ALBERT checkpoint beside the real spiece.model: the folder gets its tokenizer.
        const std::filesystem::path dir = std::filesystem::temp_directory_path() / "attnviz_test_unigram_albert";
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        for (const char* name : {"config.json", "model.safetensors"})
            std::filesystem::copy_file(testData("models/albert/") + name, dir / name);
        for (const char* name : {"spiece.model", "tokenizer_config.json"})
            std::filesystem::copy_file(folderOf("albert") + "/" + name, dir / name);
        const std::unique_ptr<AttentionModel> model = openModel(dir.string());
        QVERIFY(model->tokenizer() != nullptr);
        QCOMPARE(idsOf(model->tokenizer()->encodeForModel("Hello world")),
                 idsOf(tok("albert").encodeForModel("Hello world")));
        std::filesystem::remove_all(dir);
    }

    void t5LayoutFromARebuiltSpieceModel()
    {
        // No T5 spiece.model is among the fixtures: this one is rebuilt from T5's tokenizer.json
        // (its 32,000 pieces, scores and charsmap), then read through the T5 layout beside T5's
        // tokenizer_config.json; it must give the reference ids of that tokenizer.json.
        const json::Value t5 = json::parseFile(folderOf("t5") + "/tokenizer.json");
        const auto& vocab = t5.find("model")->find("vocab")->asArray();
        std::string model;
        for (std::size_t i = 0; i < 32000; ++i) {
            const float score = static_cast<float>(vocab[i].asArray()[1].asNumber());
            std::uint32_t bits = 0;
            std::memcpy(&bits, &score, sizeof bits);
            std::string piece = field(1, vocab[i].asArray()[0].asString()) + '\x15';
            for (int b = 0; b < 4; ++b)
                piece += static_cast<char>((bits >> (8 * b)) & 0xFF);
            piece += std::string("\x18") + static_cast<char>(i < 2 ? 3 : i == 2 ? 2 : 1);
            model += field(1, piece);
        }
        model += field(2, std::string("\x18\x01\xc0\x02\x02", 5)); // model_type Unigram, unk_id 2
        const std::string charsmap = *decodeBase64(t5.find("normalizer")->find("precompiled_charsmap")->asString());
        model += field(3, field(2, charsmap));
        const std::filesystem::path dir = std::filesystem::temp_directory_path() / "attnviz_test_unigram_t5";
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "spiece.model", std::ios::binary) << model;
        std::filesystem::copy_file(folderOf("t5") + "/tokenizer_config.json", dir / "tokenizer_config.json");
        const auto rebuilt = loadTokenizerFromFolder(dir.string());
        std::filesystem::remove_all(dir);
        QCOMPARE(rebuilt->vocabSize(), 32100);
        QCOMPARE(rebuilt->idOf("<extra_id_0>"), std::optional<int>(32099));
        const json::Value root = json::parseFile(testData("tokenizers/unigram_expected.json"));
        for (const json::Value& c : root.find("models")->find("t5")->find("cases")->asArray())
            QCOMPARE(printable(idsOf(rebuilt->encodeForModel(c.find("text")->asString()))),
                     printable(intsOf(*c.find("ids"))));
    }

    void folderWithoutKnownFamilyIsRefused()
    {
        const std::filesystem::path dir = std::filesystem::temp_directory_path() / "attnviz_test_unigram_folder";
        std::filesystem::create_directories(dir);
        std::filesystem::copy_file(folderOf("albert") + "/spiece.model", dir / "spiece.model",
                                   std::filesystem::copy_options::overwrite_existing);
        std::ofstream(dir / "tokenizer_config.json") << R"({"tokenizer_class": "XLNetTokenizer"})";
        try {
            loadTokenizerFromFolder(dir.string());
            QFAIL("accepted");
        } catch (const TokenizerError& e) {
            QVERIFY2(std::string(e.what()).find("ALBERT, XLM-RoBERTa, CamemBERT, T5 and Llama") != std::string::npos,
                     e.what());
            QVERIFY2(std::string(e.what()).find("spiece.model") != std::string::npos, e.what());
        }
        std::filesystem::remove_all(dir);
    }

    void unsupportedNormalizerIsRefused()
    {
        json::Value root =
            json::parse(R"({"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0], ["a", -1]]},
            "normalizer": {"type": "Nmt"}})");
        try {
            tokenizerFromJson(root);
            QFAIL("accepted");
        } catch (const TokenizerError& e) {
            QVERIFY2(std::string(e.what()).find("\"Nmt\"") != std::string::npos, e.what());
        }
    }

    void byteFallbackAndFusedUnknowns()
    {
        // A hand-made model: "ab" wins over "a" + "b"; unknown runs fuse; with byte fallback
        // they become <0xNN> pieces.
        std::string vocab = R"([["<unk>", 0], ["a", -1], ["b", -1], ["ab", -1.5], ["\u2581", -1])";
        for (int b = 0; b < 256; ++b) {
            char name[32];
            std::snprintf(name, sizeof name, R"(, ["<0x%02X>", -5])", b);
            vocab += name;
        }
        vocab += "]";
        const auto make = [&](bool fallback) {
            return tokenizerFromJson(json::parse(R"({"model": {"type": "Unigram", "unk_id": 0, "byte_fallback": )" +
                                                 std::string(fallback ? "true" : "false") + R"(, "vocab": )" + vocab +
                                                 R"(}, "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581",
                                                 "prepend_scheme": "never"}})"));
        };
        QCOMPARE(idsOf(make(false)->encode("abxyb")), (std::vector<int>{3, 0, 2}));
        QCOMPARE(idsOf(make(true)->encode("abé")), (std::vector<int>{3, 5 + 0xC3, 5 + 0xA9}));
        QCOMPARE(make(true)->decode({3, 5 + 0xC3, 5 + 0xA9}), std::string("abé"));
        QCOMPARE(make(true)->decode({3, 5 + 0xC3}), std::string("ab\xEF\xBF\xBD")); // half a character
    }

    void base64()
    {
        QCOMPARE(decodeBase64("aGk="), std::optional<std::string>("hi"));
        QCOMPARE(decodeBase64("aGlh"), std::optional<std::string>("hia"));
        QCOMPARE(decodeBase64("aA=="), std::optional<std::string>("h"));
        QCOMPARE(decodeBase64("aGk"), std::nullopt);
        QCOMPARE(decodeBase64("a=Gk"), std::nullopt);
    }
};

QTEST_APPLESS_MAIN(TestUnigram)
#include "test_unigram.moc"
