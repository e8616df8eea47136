// The real stories260K llama2.c checkpoint (shared fixtures): greedy generation from BOS must
// reproduce reference_greedy256.txt (the model card's run.c output) exactly, ids and text.

#include "engine/attentionmodel.h"
#include "models/llama2c.h"
#include "models/llama2ctokenizer.h"
#include "tokenizers/tokenizer.h"

#include <QDir>
#include <QTest>

#include <chrono>
#include <fstream>
#include <sstream>

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

} // namespace

class TestLlama2c : public QObject
{
    Q_OBJECT

private slots:
    void header();
    void greedyMatchesReference();
    void tokenizerRoundTrip();
    void rejectsTruncatedCheckpoint();
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

QTEST_APPLESS_MAIN(TestLlama2c)
#include "test_llama2c.moc"
