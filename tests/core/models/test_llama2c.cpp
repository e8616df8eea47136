// The real stories260K llama2.c checkpoint (shared fixtures): greedy generation from BOS must
// reproduce reference_greedy256.txt (the model card's run.c output) exactly, ids and text.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "models/llama2c.h"
#include "tokenizers/llama2ctokenizer.h"
#include "tokenizers/tokenizer.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <unordered_map>

using namespace attnviz;

namespace {

const std::string storiesDir = std::string(ATTNVIZ_SHARED_FIXTURES) + "/models/stories260K";

struct Reference
{
    std::vector<int> ids; // after BOS
    std::string text;
};

Reference readReference()
{
    std::ifstream in(storiesDir + "/reference_greedy256.txt", std::ios::binary);
    std::string idsLine;
    std::getline(in, idsLine);
    Reference r;
    std::istringstream ids(idsLine.substr(idsLine.find(':') + 1));
    for (int id; ids >> id;)
        r.ids.push_back(id);
    std::stringstream rest;
    rest << in.rdbuf();
    r.text = rest.str();
    const std::string prefix = "text: ";
    if (r.text.rfind(prefix, 0) == 0)
        r.text.erase(0, prefix.size());
    if (!r.text.empty() && r.text.back() == '\n')
        r.text.pop_back(); // the file's final newline
    return r;
}

const std::string tokPath = storiesDir + "/tok512.bin";

// A tokenizer.bin: int32 max length, then per piece float score, int32 length, bytes.
void writeTokenizerBin(const std::string& path, const std::vector<std::pair<std::string, float>>& pieces)
{
    std::ofstream out(path, std::ios::binary);
    std::int32_t maxLength = 0;
    for (const auto& [piece, score] : pieces)
        maxLength = std::max(maxLength, static_cast<std::int32_t>(piece.size()));
    out.write(reinterpret_cast<const char*>(&maxLength), 4);
    for (const auto& [piece, score] : pieces) {
        const std::int32_t length = static_cast<std::int32_t>(piece.size());
        out.write(reinterpret_cast<const char*>(&score), 4);
        out.write(reinterpret_cast<const char*>(&length), 4);
        out.write(piece.data(), length);
    }
}

// The straightforward quadratic encoder llama2.c's run.c uses (and AttnViz used before), kept
// here as the reference the fast one must match id for id and span for span.
struct RefPart
{
    int id, begin, end;
};
std::vector<RefPart> referenceEncode(const std::string& text)
{
    std::ifstream in(tokPath, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::unordered_map<std::string, int> ids;
    for (std::size_t pos = 4; pos < data.size();) {
        float score;
        std::int32_t length;
        std::memcpy(&score, data.data() + pos, 4);
        std::memcpy(&length, data.data() + pos + 4, 4);
        pieces.emplace_back(data.data() + pos + 8, static_cast<std::size_t>(length));
        scores.push_back(score);
        ids.emplace(pieces.back(), static_cast<int>(pieces.size()) - 1);
        pos += 8 + static_cast<std::size_t>(length);
    }
    const auto idOf = [&](const std::string& piece) {
        const auto it = ids.find(piece);
        return it == ids.end() ? -1 : it->second;
    };
    std::vector<RefPart> parts{{idOf(" "), 0, 0}};
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char lead = static_cast<unsigned char>(text[i]);
        std::size_t n = lead >= 0xf0 && lead < 0xf8 ? 4 : lead >= 0xf0 ? 1 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        n = std::min(n, text.size() - i);
        if (const int id = idOf(text.substr(i, n)); id >= 0) {
            parts.push_back({id, int(i), int(i + n)});
        } else {
            for (std::size_t b = 0; b < n; ++b)
                parts.push_back({static_cast<unsigned char>(text[i + b]) + 3, int(i + b), int(i + b + 1)});
        }
        i += n;
    }
    while (true) {
        float bestScore = -1e10f;
        std::size_t best = parts.size();
        int bestId = -1;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            const int id = idOf(pieces[parts[i].id] + pieces[parts[i + 1].id]);
            if (id >= 0 && scores[id] > bestScore) {
                bestScore = scores[id];
                best = i;
                bestId = id;
            }
        }
        if (best == parts.size())
            break;
        parts[best] = {bestId, parts[best].begin, parts[best + 1].end};
        parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    }
    return parts;
}

// Varied texts: words of the stories, punctuation, digits, newlines, runs of spaces, characters
// outside the vocabulary (byte fallback), invalid and truncated UTF-8.
std::string randomText(std::mt19937& rng, std::size_t words)
{
    static const std::vector<std::string> atoms = {
        "Once", " upon", " a", " time", ",", ".", " Lily", " saw", " the", " big", " ball", "!", "?", "\n", "  ",
        "   ", "\t", "Ω", "é", "😀", "中文", "~", "\x80", "\xe2\x96", "\xff", "0", "12", " and", "ed", "ing", "\"",
        "'", "-", " ", "a", "b", "z", "Q", "XYZ", "the"};
    std::uniform_int_distribution<std::size_t> pick(0, atoms.size() - 1);
    std::string out;
    for (std::size_t i = 0; i < words; ++i)
        out += atoms[pick(rng)];
    return out;
}

} // namespace

class TestLlama2c : public QObject
{
    Q_OBJECT

private slots:
    void header();
    void greedyMatchesReference();
    void tokenizerRoundTrip();
    void rejectsTruncatedCheckpoint();
    void fastEncoderMatchesReference();
    void hundredThousandCharacters();
    void longInputIsCutToTheContext();
    void vocabularyWithoutByteTokens();
    void byteTokensShowTheirBytes();
};

void TestLlama2c::header()
{
    const auto model = openModel(storiesDir + "/stories260K.bin");
    const ModelInfo info = model->info();
    QCOMPARE(info.family, std::string("llama2c"));
    QCOMPARE(info.layers, 5);
    QCOMPARE(info.heads, 8);
    QCOMPARE(info.dModel, 64);
    QCOMPARE(info.maxTokens, 512);
    QVERIFY(info.takesText);
    QVERIFY(model->tokenizer() != nullptr);
    QCOMPARE(model->tokenizer()->vocabSize(), 512);
}

void TestLlama2c::greedyMatchesReference()
{
    const Reference ref = readReference();
    QCOMPARE(ref.ids.size(), std::size_t(256));
    const auto model = openModel(storiesDir + "/stories260K.bin");
    const auto started = std::chrono::steady_clock::now();
    const std::vector<int> ids = model->generateGreedy({Llama2cTokenizer::bosId}, 256);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    qInfo("stories260K: %zu tokens in %.3f s (%.0f tokens/s)", ids.size(), seconds, ids.size() / seconds);
    QCOMPARE(ids, ref.ids);
    std::vector<int> withBos{Llama2cTokenizer::bosId};
    withBos.insert(withBos.end(), ids.begin(), ids.end());
    QCOMPARE(model->tokenizer()->decode(withBos), ref.text);
}

void TestLlama2c::tokenizerRoundTrip()
{
    const auto model = openModel(storiesDir + "/stories260K.bin");
    const Tokenizer& tok = *model->tokenizer();
    const std::string text = "Once upon a time, Lily saw a big ball.";
    const std::vector<Token> tokens = tok.encodeForModel(text);
    QCOMPARE(tokens.front().id, Llama2cTokenizer::bosId);
    QVERIFY(tokens.front().special);
    std::vector<int> ids;
    for (const Token& t : tokens)
        ids.push_back(t.id);
    QCOMPARE(tok.decode(ids), text);
    QCOMPARE(std::vector<int>(ids.begin(), ids.begin() + 5), std::vector<int>({1, 403, 407, 261, 378}));
    // Spans point back into the text: "upon" is token 2 (" upon", span covering "upon" and its space).
    QCOMPARE(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin), std::string(" upon"));
    // Characters missing from the vocabulary fall back to bytes and still round-trip.
    const std::string unusual = "Ω~";
    std::vector<int> unusualIds;
    for (const Token& t : tok.encodeForModel(unusual))
        unusualIds.push_back(t.id);
    QCOMPARE(tok.decode(unusualIds), unusual);
}

void TestLlama2c::rejectsTruncatedCheckpoint()
{
    std::ifstream in(storiesDir + "/stories260K.bin", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string path = QDir::tempPath().toStdString() + "/attnviz_truncated_stories.bin";
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    try {
        loadLlama2cNetwork(path);
        QFAIL("a truncated checkpoint loaded");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("truncated") != std::string::npos, e.what());
    }
    // A header with absurd sizes is refused before anything is allocated.
    const std::int32_t header[7] = {1 << 30, 1 << 30, 1 << 20, 7, 3, 32000, 1 << 30};
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(header), sizeof header);
    try {
        loadLlama2cNetwork(path);
        QFAIL("an implausible header was accepted");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("not a llama2.c checkpoint") != std::string::npos, e.what());
    }
    std::remove(path.c_str());
}

void TestLlama2c::fastEncoderMatchesReference()
{
    const Llama2cTokenizer tok(tokPath, 512);
    std::mt19937 rng(20240601);
    std::vector<std::string> texts = {readReference().text, "a", " ", "  leading", "trailing  ", "\n\n", "Ω~"};
    for (int i = 0; i < 300; ++i)
        texts.push_back(randomText(rng, 1 + i % 60));
    for (const std::string& text : texts) {
        const std::vector<RefPart> expected = referenceEncode(text);
        const std::vector<Token> tokens = tok.encode(text);
        QCOMPARE(tokens.size(), expected.size());
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            QCOMPARE(tokens[i].id, expected[i].id);
            QCOMPARE(tokens[i].begin, expected[i].begin);
            QCOMPARE(tokens[i].end, expected[i].end);
        }
    }
}

void TestLlama2c::hundredThousandCharacters()
{
    const Llama2cTokenizer tok(tokPath, 512);
    std::mt19937 rng(7);
    std::string text = readReference().text;
    while (text.size() < 100000)
        text += randomText(rng, 50);
    const auto started = std::chrono::steady_clock::now();
    const std::vector<Token> tokens = tok.encode(text);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    qInfo("%zu bytes -> %zu tokens in %.3f s", text.size(), tokens.size(), seconds);
    QVERIFY2(seconds < 5.0, "the quadratic merge loop is back"); // generous: the fast one takes milliseconds
    QCOMPARE(tokens.back().end, static_cast<int>(text.size()));
}

void TestLlama2c::longInputIsCutToTheContext()
{
    // With the model's context (512 tokens) given, only a prefix of a long text is tokenised, and
    // the tokens the model can see are the same as those of the whole text.
    const Llama2cTokenizer whole(tokPath, 512);
    const Llama2cTokenizer capped(tokPath, 512, 512);
    std::mt19937 rng(11);
    for (int round = 0; round < 5; ++round) {
        std::string text;
        while (text.size() < 200000)
            text += randomText(rng, 50);
        const std::vector<Token> all = whole.encodeForModel(text);
        const std::vector<Token> cut = capped.encodeForModel(text);
        QVERIFY2(cut.size() > 512 && cut.size() < all.size() / 4, std::to_string(cut.size()).c_str());
        QVERIFY(cut.back().end < static_cast<int>(text.size())); // it stopped early, visibly
        for (std::size_t i = 0; i < 512; ++i) {
            QCOMPARE(cut[i].id, all[i].id);
            QCOMPARE(cut[i].end, all[i].end);
        }
    }
    // Through the model: the notice gives the count as a lower bound, as the rest was not tokenised.
    const auto model = openModel(storiesDir + "/stories260K.bin");
    RunRequest request;
    request.text = randomText(rng, 50000);
    const auto result = model->run(request);
    QCOMPARE(result->tokens.size(), std::size_t(512));
    QVERIFY(!result->notices.empty());
    QVERIFY2(result->notices.front().find("input truncated: it has at least ") == 0, result->notices.front().c_str());
    // Short texts are not affected.
    const std::string shortText = readReference().text;
    QCOMPARE(capped.encodeForModel(shortText).size(), whole.encodeForModel(shortText).size());
}

void TestLlama2c::vocabularyWithoutByteTokens()
{
    // vocab_size 8: no <0xNN> pieces at ids 3..258. llama2.c's "byte + 3" fallback would index
    // past the piece table; a character with no piece and no byte token must become <unk> (id 0).
    QTemporaryDir dir;
    const std::string path = dir.filePath("tokenizer.bin").toStdString();
    writeTokenizerBin(path, {{"<unk>", 0}, {"\n<s>\n", 0}, {"\n</s>\n", 0}, {" ", 0}, {"a", 0}, {"b", 0},
                             {"ab", 1}, {" ab", 2}});
    const Llama2cTokenizer tok(path, 8);
    const std::string text = "ab\xe2\x82\xac" "zab"; // "ab€zab"
    const std::vector<Token> tokens = tok.encode(text);
    std::vector<int> ids;
    for (const Token& t : tokens)
        ids.push_back(t.id);
    QCOMPARE(ids, std::vector<int>({7, 0, 0, 6}));
    QCOMPARE(tokens[1].begin, 2); // the <unk> spans the whole character
    QCOMPARE(tokens[1].end, 5);
    QVERIFY(tokens[1].special);
    QCOMPARE(tok.decode({1, 7, 0, 0, 6}), std::string("ab" "ab"));
    QVERIFY_THROWS_EXCEPTION(TokenizerError, tok.tokenForId(8));
    QVERIFY_THROWS_EXCEPTION(TokenizerError, tok.tokenForId(125)); // "z" + 3
    // The same through a checkpoint whose header says vocab_size 8.
    const std::int32_t header[7] = {2, 2, 1, 1, 1, 8, 4};
    std::vector<float> weights(8 * 2 + 2 + 4 * 4 + 2 + 3 * 4 + 2 + 2 * 4, 0.5f); // ... freq_cis real + imag
    std::ofstream bin(dir.filePath("model.bin").toStdString(), std::ios::binary);
    bin.write(reinterpret_cast<const char*>(header), sizeof header);
    bin.write(reinterpret_cast<const char*>(weights.data()), static_cast<std::streamsize>(weights.size() * 4));
    bin.close();
    const auto model = openModel(dir.filePath("model.bin").toStdString());
    std::vector<int> modelIds;
    for (const Token& t : model->tokenizer()->encodeForModel("zz"))
        modelIds.push_back(t.id);
    QCOMPARE(modelIds, std::vector<int>({1, 3, 0, 0})); // BOS, the dummy-prefix space, <unk>, <unk>
}

void TestLlama2c::byteTokensShowTheirBytes()
{
    // <0xNN> pieces are labelled as every other byte-level tokenizer labels bytes: a newline as
    // "\\n" (not a line break in a label), part of a character as "\\xCE", ASCII as itself.
    const Llama2cTokenizer tok(tokPath, 512);
    const auto byteId = [](int byte) { return byte + 3; }; // llama2.c's <0x00> is id 3
    QCOMPARE(tok.tokenForId(byteId('\n')).display, std::string("\\n"));
    QCOMPARE(tok.tokenForId(byteId(0x01)).display, std::string("\\x01"));
    QCOMPARE(tok.tokenForId(byteId(0xCE)).display, std::string("\\xCE"));
    QCOMPARE(tok.tokenForId(byteId('~')).display, std::string("~"));
    // "Ω" is not in the vocabulary: its two bytes, each labelled by itself, wherever they stand.
    const std::vector<Token> tokens = tok.encode("\xCE\xA9 \xCE\xA9");
    std::vector<std::string> shown;
    for (const Token& t : tokens)
        shown.push_back(t.display);
    QCOMPARE(std::count(shown.begin(), shown.end(), std::string("\\xCE")), 2);
    QCOMPARE(std::count(shown.begin(), shown.end(), std::string("\\xA9")), 2);
}

QTEST_APPLESS_MAIN(TestLlama2c)
#include "test_llama2c.moc"
