// The tokenizer embedded in GGUF files, on real vocabularies: GPT-2 (byte-level BPE, pre "gpt-2"),
// Qwen2.5 (pre "qwen2", chat tokens) and Mistral (SentencePiece "llama" with scores and byte
// tokens), converted to vocab-only GGUF files at test time by tools/gguf/make_vocab_gguf.py (the
// ctest fixture gguf_vocab_files). Expected ids come from llama.cpp itself
// (tests/data/tokenizers/gguf_vocab_expected.json, tools/gguf/make_vocab_expected.py); the same
// texts through AttnViz's tokenizer.json / folder path of the same files must agree wherever
// llama.cpp and Hugging Face do. Then the refusals, each naming the key.

#include "base/modelloaderror.h"
#include "models/gguffile.h"
#include "models/gguftokenizer.h"
#include "tokenizers/tokenizer.h"
#include "util/json.h"

#include <QTest>

#include <cstring>
#include <filesystem>
#include <map>

using namespace attnviz;

namespace {

std::string vocabFile(const std::string& name) { return std::string(ATTNVIZ_GGUF_VOCAB_DIR) + "/" + name + ".gguf"; }
std::string testData(const std::string& rel) { return std::string(ATTNVIZ_TEST_DATA) + "/" + rel; }
std::string sharedFixture(const std::string& rel) { return std::string(ATTNVIZ_SHARED_FIXTURES) + "/" + rel; }

std::vector<int> intsOf(const json::Value& array)
{
    std::vector<int> out;
    for (const json::Value& v : array.asArray())
        out.push_back(static_cast<int>(v.asNumber()));
    return out;
}

QByteArray printable(const std::vector<int>& ids)
{
    QByteArray s = "[";
    for (std::size_t i = 0; i < ids.size(); ++i)
        s += (i ? ", " : "") + QByteArray::number(ids[i]);
    return s + "]";
}

// ---- a small GGUF builder for the refusals ----
std::string le(std::uint64_t v, int n)
{
    std::string out;
    for (int i = 0; i < n; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return out;
}
std::string gstr(std::string_view s) { return le(s.size(), 8) + std::string(s); }
std::string kvString(std::string_view key, std::string_view value) { return gstr(key) + le(8, 4) + gstr(value); }
std::string kvU32(std::string_view key, std::uint32_t v) { return gstr(key) + le(4, 4) + le(v, 4); }
std::string kvStrings(std::string_view key, const std::vector<std::string>& items)
{
    std::string out = gstr(key) + le(9, 4) + le(8, 4) + le(items.size(), 8);
    for (const std::string& s : items)
        out += gstr(s);
    return out;
}
std::string kvInts(std::string_view key, const std::vector<std::int32_t>& items)
{
    std::string out = gstr(key) + le(9, 4) + le(5, 4) + le(items.size(), 8);
    for (std::int32_t v : items)
        out += le(static_cast<std::uint32_t>(v), 4);
    return out;
}
std::string gguf(const std::vector<std::string>& kvs)
{
    std::string out = "GGUF" + le(3, 4) + le(0, 8) + le(kvs.size(), 8);
    for (const std::string& k : kvs)
        out += k;
    return out;
}

} // namespace

class TestGgufTokenizer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void matchesLlamaCpp_data();
    void matchesLlamaCpp();
    void agreesWithTheTokenizerJsonPath_data();
    void agreesWithTheTokenizerJsonPath();
    void specialTokensAndDecoding();
    void refusesWhatItCannotRead_data();
    void refusesWhatItCannotRead();

private:
    json::Value m_expected;
};

void TestGgufTokenizer::initTestCase()
{
    for (const char* name : {"gpt2", "qwen2.5", "mistral"}) {
        QVERIFY2(std::filesystem::exists(vocabFile(name)),
                 qPrintable(QString::fromStdString(vocabFile(name)) +
                            " is missing: ctest runs the gguf_vocab_files fixture first (or run "
                            "tools/gguf/make_vocab_gguf.py ../shared/fixtures/tokenizers " ATTNVIZ_GGUF_VOCAB_DIR ")"));
    }
    m_expected = json::parseFile(testData("tokenizers/gguf_vocab_expected.json"));
}

void TestGgufTokenizer::matchesLlamaCpp_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");
    for (const auto& [model, cases] : m_expected.find("models")->asObject()) {
        int i = 0;
        for (const json::Value& c : cases.asArray()) {
            const std::vector<int> ids = intsOf(*c.find("ids"));
            QByteArray packed(reinterpret_cast<const char*>(ids.data()), static_cast<qsizetype>(ids.size() * sizeof(int)));
            const std::string name = model + " " + std::to_string(i++);
            QTest::newRow(name.c_str()) << QString::fromStdString(model)
                                        << QString::fromStdString(c.find("text")->asString()) << packed;
        }
    }
}

void TestGgufTokenizer::matchesLlamaCpp()
{
    QFETCH(QString, model);
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);
    static std::map<QString, std::pair<std::unique_ptr<GgufFile>, std::unique_ptr<Tokenizer>>> cache;
    auto& entry = cache[model];
    if (!entry.second) {
        entry.first = std::make_unique<GgufFile>(vocabFile(model.toStdString()));
        entry.second = tokenizerFromGguf(*entry.first);
    }
    std::vector<int> want(static_cast<std::size_t>(expected.size()) / sizeof(int));
    if (!want.empty())
        std::memcpy(want.data(), expected.constData(), static_cast<std::size_t>(expected.size()));
    const std::string utf8 = text.toStdString();
    const std::vector<int> got = idsOf(entry.second->encodeForModel(utf8));
    QVERIFY2(got == want, qPrintable("got " + printable(got) + " want " + printable(want)));
    // Spans stay inside the text and in order.
    std::size_t last = 0;
    for (const Token& t : entry.second->encodeForModel(utf8)) {
        if (t.begin < 0)
            continue;
        QVERIFY(static_cast<std::size_t>(t.begin) >= last && static_cast<std::size_t>(t.end) <= utf8.size());
        last = static_cast<std::size_t>(t.begin);
    }
}

// The same texts through the tokenizer.json / folder path (verified against Hugging Face): the two
// agree except where llama.cpp itself differs from Hugging Face, listed here.
void TestGgufTokenizer::agreesWithTheTokenizerJsonPath_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("gpt2") << "gpt2";
    QTest::newRow("qwen2.5") << "qwen2.5";
    QTest::newRow("mistral") << "mistral";
}

void TestGgufTokenizer::agreesWithTheTokenizerJsonPath()
{
    QFETCH(QString, model);
    const std::string name = model.toStdString();
    const GgufFile file(vocabFile(name));
    const auto fromGguf = tokenizerFromGguf(file);
    std::unique_ptr<Tokenizer> reference;
    if (name == "gpt2") {
        reference = loadGpt2Tokenizer(sharedFixture("tokenizers/gpt2/encoder.json"),
                                      sharedFixture("tokenizers/gpt2/vocab.bpe"));
    } else if (name == "qwen2.5") {
        reference = loadTokenizerFromFolder(sharedFixture("tokenizers/qwen2.5"));
    } else {
        // The .model as Hugging Face lays it out with the folder's tokenizer_config.json (legacy
        // false: "▁" only at the very start). llama.cpp puts one after every special token too, and
        // keeps a leading space as its own "▁" piece: those cases differ (printed below).
        reference = loadSentencePieceModel(sharedFixture("tokenizers/mistral/tokenizer.model"));
    }
    QCOMPARE(fromGguf->vocabSize(), reference->vocabSize());
    int compared = 0;
    for (const json::Value& c : m_expected.find("models")->find(name)->asArray()) {
        const std::string text = c.find("text")->asString();
        const std::vector<int> gguf = idsOf(fromGguf->encodeForModel(text));
        const std::vector<int> ref = idsOf(reference->encodeForModel(text));
        const std::vector<int> llama = intsOf(*c.find("ids"));
        QVERIFY2(gguf == llama, qPrintable(QString::fromStdString(text)));
        if (ref == llama)
            ++compared;
        else
            qInfo("%s: llama.cpp and the Hugging Face path differ on %s: %s vs %s", name.c_str(),
                  QByteArray::fromStdString(text).toPercentEncoding(" ").constData(), printable(llama).constData(),
                  printable(ref).constData());
    }
    QVERIFY2(compared >= 15, qPrintable(QString::number(compared)));
}

void TestGgufTokenizer::specialTokensAndDecoding()
{
    {
        const GgufFile file(vocabFile("mistral"));
        const auto tok = tokenizerFromGguf(file);
        const std::vector<Token> t = tok->encodeForModel("[INST] hi [/INST]");
        QCOMPARE(t.front().id, 1); // add_bos_token
        QCOMPARE(t.front().piece, std::string("<s>"));
        QCOMPARE(t[1].piece, std::string("[INST]"));
        QVERIFY(t[1].special);
        QCOMPARE(tok->decode(idsOf(tok->encode("Hello world"))), std::string("Hello world"));
        QCOMPARE(*tok->idOf("<0x0A>"), 781); // after v0.3's 768 control tokens
        // An emoji missing from the vocabulary falls back to byte tokens.
        const std::vector<Token> emoji = tok->encode("\xF0\x9F\xA6\x96");
        QVERIFY(emoji.size() >= 2);
    }
    {
        const GgufFile file(vocabFile("qwen2.5"));
        const auto tok = tokenizerFromGguf(file);
        QCOMPARE(tok->vocabSize(), 151665);
        const std::vector<Token> t = tok->encodeForModel("<|im_start|>user");
        QCOMPARE(t.front().id, 151644); // no BOS (add_bos_token false)
        QVERIFY(t.front().special);
        QCOMPARE(tok->decode(idsOf(tok->encode("\xe4\xbd\xa0\xe5\xa5\xbd world 123"))),
                 std::string("\xe4\xbd\xa0\xe5\xa5\xbd world 123"));
        // <tool_call> is user-defined: matched in the text, but not special.
        const std::vector<Token> call = tok->encode("<tool_call>");
        QCOMPARE(call.size(), std::size_t(1));
        QVERIFY(!call[0].special);
    }
    {
        const GgufFile file(vocabFile("gpt2"));
        const auto tok = tokenizerFromGguf(file);
        QCOMPARE(tok->vocabSize(), 50257);
        QCOMPARE(idsOf(tok->encodeForModel("Hello")), (std::vector<int>{15496})); // no BOS for "gpt-2"
        QCOMPARE(tok->tokenForId(50256).piece, std::string("<|endoftext|>"));
    }
}

void TestGgufTokenizer::refusesWhatItCannotRead_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("parts");
    const auto row = [](const char* name, const std::string& b, QStringList parts) {
        QTest::newRow(name) << QByteArray(b.data(), static_cast<qsizetype>(b.size())) << parts;
    };
    const std::vector<std::string> tokens{"a", "b", "ab", "\xc4\xa0"};
    row("no tokenizer", gguf({kvString("general.architecture", "llama")}), {"tokenizer.ggml.model", "no tokenizer"});
    row("unknown model", gguf({kvString("tokenizer.ggml.model", "rwkv"), kvStrings("tokenizer.ggml.tokens", tokens)}),
        {"\"tokenizer.ggml.model\"", "\"rwkv\""});
    row("model not a string", gguf({kvU32("tokenizer.ggml.model", 2)}), {"\"tokenizer.ggml.model\"", "uint32"});
    row("unknown pre", gguf({kvString("tokenizer.ggml.model", "gpt2"), kvString("tokenizer.ggml.pre", "deepseek-coder"),
                              kvStrings("tokenizer.ggml.tokens", tokens), kvStrings("tokenizer.ggml.merges", {"a b"})}),
        {"\"tokenizer.ggml.pre\"", "\"deepseek-coder\""});
    row("default pre", gguf({kvString("tokenizer.ggml.model", "gpt2"), kvString("tokenizer.ggml.pre", "default"),
                              kvStrings("tokenizer.ggml.tokens", tokens), kvStrings("tokenizer.ggml.merges", {"a b"})}),
        {"\"tokenizer.ggml.pre\"", "\"default\""});
    row("no pre", gguf({kvString("tokenizer.ggml.model", "gpt2"), kvStrings("tokenizer.ggml.tokens", tokens),
                         kvStrings("tokenizer.ggml.merges", {"a b"})}),
        {"\"tokenizer.ggml.pre\""});
    row("no merges", gguf({kvString("tokenizer.ggml.model", "gpt2"), kvString("tokenizer.ggml.pre", "gpt-2"),
                            kvStrings("tokenizer.ggml.tokens", tokens)}),
        {"\"tokenizer.ggml.merges\""});
    row("no tokens", gguf({kvString("tokenizer.ggml.model", "llama")}), {"\"tokenizer.ggml.tokens\""});
    row("tokens not strings", gguf({kvString("tokenizer.ggml.model", "llama"), kvInts("tokenizer.ggml.tokens", {1, 2})}),
        {"\"tokenizer.ggml.tokens\"", "array of int32"});
    row("types too short", gguf({kvString("tokenizer.ggml.model", "llama"), kvStrings("tokenizer.ggml.tokens", tokens),
                                  kvInts("tokenizer.ggml.token_type", {1, 1})}),
        {"\"tokenizer.ggml.token_type\"", "2 entries for 4 tokens"});
    row("scores too long", gguf({kvString("tokenizer.ggml.model", "llama"), kvStrings("tokenizer.ggml.tokens", tokens),
                                  kvInts("tokenizer.ggml.scores", {0, 0, 0, 0, 0})}),
        {"\"tokenizer.ggml.scores\"", "5 entries for 4 tokens"});
    row("bos outside", gguf({kvString("tokenizer.ggml.model", "llama"), kvStrings("tokenizer.ggml.tokens", tokens),
                              kvU32("tokenizer.ggml.bos_token_id", 9)}),
        {"\"tokenizer.ggml.bos_token_id\"", "9", "4 tokens"});
    row("unknown outside", gguf({kvString("tokenizer.ggml.model", "llama"), kvStrings("tokenizer.ggml.tokens", tokens),
                                  kvU32("tokenizer.ggml.unknown_token_id", 4)}),
        {"\"tokenizer.ggml.unknown_token_id\""});
    row("eos outside (gpt2)", gguf({kvString("tokenizer.ggml.model", "gpt2"), kvString("tokenizer.ggml.pre", "gpt-2"),
                                     kvStrings("tokenizer.ggml.tokens", tokens), kvStrings("tokenizer.ggml.merges", {"a b"}),
                                     kvU32("tokenizer.ggml.eos_token_id", 100)}),
        {"\"tokenizer.ggml.eos_token_id\"", "100"});
}

void TestGgufTokenizer::refusesWhatItCannotRead()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, parts);
    const std::string copy(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    try {
        const GgufFile file("tok.gguf", {reinterpret_cast<const std::uint8_t*>(copy.data()), copy.size()});
        (void)tokenizerFromGguf(file);
    } catch (const ModelLoadError& e) {
        const QString m = QString::fromUtf8(e.what());
        QVERIFY2(m.startsWith("tok.gguf: "), e.what());
        for (const QString& p : parts)
            QVERIFY2(m.contains(p), qPrintable(m + "  [lacks: " + p + "]"));
        return;
    }
    QFAIL("accepted");
}

QTEST_APPLESS_MAIN(TestGgufTokenizer)
#include "test_gguftokenizer.moc"
