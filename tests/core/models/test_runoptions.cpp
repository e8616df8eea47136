// run() options on real checkpoints: head ablation, mask overrides, scaling, truncation to the
// context, cancellation, and bit-identical results for 1 and 2 OpenMP threads.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"
#include "tokenizers/tokenizer.h"

#include <QTest>

#include <omp.h>

#include <cstring>

using namespace attnviz;
using namespace attnviz::testing;

namespace {

const std::string stories = std::string(ATTNVIZ_SHARED_FIXTURES) + "/models/stories260K/stories260K.bin";

bool sameLayer(const AttentionTensor& a, const AttentionTensor& b, int layer)
{
    const std::size_t n = static_cast<std::size_t>(a.heads) * a.queries * a.keys;
    return std::memcmp(a.head(layer, 0), b.head(layer, 0), n * sizeof(float)) == 0;
}

// Valid ids for a vocabulary of `vocab` (> 100).
std::vector<int> storyIds(int count, int vocab = 512)
{
    std::vector<int> ids{1};
    for (int i = 1; i < count; ++i)
        ids.push_back(3 + (i * 37) % (vocab - 3));
    return ids;
}

} // namespace

class TestRunOptions : public QObject
{
    Q_OBJECT

private slots:
    void ablationChangesOnlyLaterLayers();
    void maskOverride();
    void scalingSwitch();
    void truncatesToContext();
    void cancelThrows();
    void rejectsBadPipelineHead();
    void cachedGenerationMatchesFullRecompute_data();
    void cachedGenerationMatchesFullRecompute();
    void identicalForOneAndTwoThreads_data();
    void identicalForOneAndTwoThreads();
    void attentionOnlySkipsTheTail_data();
    void attentionOnlySkipsTheTail();
};

void TestRunOptions::ablationChangesOnlyLaterLayers()
{
    const auto model = openModel(stories);
    RunRequest request;
    request.text = "Once upon a time, there was a little cat who liked the park.";
    const auto base = model->run(request);
    request.ablatedHeads = {{2, 3}};
    const auto ablated = model->run(request);
    const AttentionTensor& a = base->stacks[0].attention;
    const AttentionTensor& b = ablated->stacks[0].attention;
    for (int l = 0; l <= 2; ++l)
        QVERIFY2(sameLayer(a, b, l), "layers up to the ablated one must not change");
    for (int l = 3; l < 5; ++l)
        QVERIFY2(!sameLayer(a, b, l), "layers after the ablated head must change");
    QVERIFY(base->nextToken[0].probability != ablated->nextToken[0].probability);
    bool mentioned = false;
    for (const auto& n : ablated->notices)
        mentioned = mentioned || n.find("ablated") != std::string::npos;
    QVERIFY(mentioned);
}

void TestRunOptions::maskOverride()
{
    const auto model = openModel(stories);
    RunRequest request;
    request.text = "The dog ran to the park.";
    const auto causal = model->run(request);
    const AttentionTensor& c = causal->stacks[0].attention;
    const int T = c.queries;
    QCOMPARE(c.at(0, 0, 0, T - 1), 0.0f); // decoders are causal by default
    QCOMPARE(c.at(0, 0, 0, 0), 1.0f);

    request.mask = MaskOverride::None;
    const auto none = model->run(request);
    QVERIFY(none->stacks[0].attention.at(0, 0, 0, T - 1) > 0.0f);
    QVERIFY(!none->notices.empty());

    request.mask = MaskOverride::Custom;
    request.customMask = MaskMatrix::Identity(T, T);
    const auto diagonal = model->run(request);
    for (int q = 0; q < T; ++q)
        QCOMPARE(diagonal->stacks[0].attention.at(4, 7, q, q), 1.0f);

    request.customMask = MaskMatrix::Ones(T + 1, T + 1);
    QVERIFY_THROWS_EXCEPTION(InputError, model->run(request));
}

void TestRunOptions::scalingSwitch()
{
    const auto model = openModel(modelCase("gpt2"));
    RunRequest request;
    request.ids = std::vector<int>{5, 9, 17, 33, 65};
    const auto scaled = model->run(request);
    request.scale = false;
    const auto unscaled = model->run(request);
    QVERIFY(maxAbsDiff(scaled->stacks[0].attention.data, unscaled->stacks[0].attention.data) > 1e-3f);
}

void TestRunOptions::truncatesToContext()
{
    const auto model = openModel(modelCase("gpt2")); // n_positions 16
    RunRequest request;
    std::vector<int> ids;
    for (int i = 0; i < 20; ++i)
        ids.push_back(i);
    request.ids = ids;
    const auto result = model->run(request);
    QCOMPARE(result->tokens.size(), std::size_t(16));
    QCOMPARE(result->stacks[0].attention.queries, 16);
    bool told = false;
    for (const auto& n : result->notices)
        told = told || (n.find("truncated") != std::string::npos && n.find("16") != std::string::npos);
    QVERIFY2(told, "the truncation must be announced");

    const auto storiesModel = openModel(stories); // seq_len 512
    request.ids = storyIds(600);
    QCOMPARE(storiesModel->run(request)->tokens.size(), std::size_t(512));
}

void TestRunOptions::cancelThrows()
{
    const auto model = openModel(stories);
    std::atomic<bool> cancel{true};
    RunRequest request;
    request.text = "Hello";
    request.cancel = &cancel;
    QVERIFY_THROWS_EXCEPTION(Cancelled, model->run(request));
    QVERIFY_THROWS_EXCEPTION(Cancelled, model->generateGreedy({1}, 10, &cancel));
}

void TestRunOptions::rejectsBadPipelineHead()
{
    const auto model = openModel(stories);
    RunRequest request;
    request.text = "Hi";
    request.pipelineHead = std::make_pair(5, 0);
    QVERIFY_THROWS_EXCEPTION(InputError, model->run(request));
    request.pipelineHead = std::make_pair(4, 7);
    const auto result = model->run(request);
    QVERIFY(result->pipeline.has_value());
    QCOMPARE(result->pipeline->wk.cols(), Index(8));
    QVERIFY(result->pipeline->note.find("grouped-query") != std::string::npos);
}

void TestRunOptions::cachedGenerationMatchesFullRecompute_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("steps");
    QTest::newRow("gpt2 fixture (context 16)") << QString::fromStdString(modelCase("gpt2")) << 30;
    QTest::newRow("llama fixture") << QString::fromStdString(modelCase("llama")) << 20;
    QTest::newRow("stories260K") << QString::fromStdString(stories) << 40;
}

void TestRunOptions::cachedGenerationMatchesFullRecompute()
{
    QFETCH(QString, spec);
    QFETCH(int, steps);
    const auto model = openModel(spec.toStdString());
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    const std::vector<int> prompt{1, 7, 42};
    const std::vector<int> cached = model->generateGreedy(prompt, steps);
    // The base class reruns the whole sequence for every token.
    const std::vector<int> full = checkpoint->transformer().Transformer::generateGreedy(prompt, steps, nullptr);
    QVERIFY(!cached.empty());
    QCOMPARE(cached, full);
    const int context = model->info().maxTokens;
    QVERIFY(static_cast<int>(prompt.size() + cached.size()) <= context + 1);
}

void TestRunOptions::identicalForOneAndTwoThreads_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("tokens");
    QTest::newRow("stories260K, 300 tokens (parallel kernels)") << QString::fromStdString(stories) << 300;
    QTest::newRow("llama fixture") << QString::fromStdString(modelCase("llama")) << 12;
    QTest::newRow("built-in GPT-2 decoder, 64 tokens")
        << QString::fromStdString(std::string(ATTNVIZ_RESOURCES) + "/models/decoder") << 64;
    QTest::newRow("bert fixture") << QString::fromStdString(modelCase("bert")) << 12;
}

void TestRunOptions::identicalForOneAndTwoThreads()
{
    QFETCH(QString, spec);
    QFETCH(int, tokens);
    const auto model = openModel(spec.toStdString());
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    const std::vector<int> ids = storyIds(tokens, model->tokenizer() ? model->tokenizer()->vocabSize() : 100);
    ForwardOptions options;
    options.mask = buildMask(MaskSpec::causal(), tokens, tokens);
    options.pipelineHead = std::make_pair(1, 1);

    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    const ForwardResult one = checkpoint->transformer().forward(ids, {}, options);
    omp_set_num_threads(2);
    const ForwardResult two = checkpoint->transformer().forward(ids, {}, options);
    omp_set_num_threads(saved);

    QCOMPARE(one.attention.data.size(), two.attention.data.size());
    QVERIFY(std::memcmp(one.attention.data.data(), two.attention.data.data(),
                        one.attention.data.size() * sizeof(float)) == 0);
    QVERIFY(one.hidden == two.hidden);
    QVERIFY(one.logits.size() > 0 && one.logits == two.logits);
    QVERIFY(one.pipeline->capture.scores == two.pipeline->capture.scores);
}

void TestRunOptions::attentionOnlySkipsTheTail_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("built-in GPT-2 decoder") << QString::fromStdString(std::string(ATTNVIZ_RESOURCES) + "/models/decoder");
    QTest::newRow("stories260K (llama2.c)") << QString::fromStdString(stories);
}

// finalHidden = false stops the last layer after its attention: same weights, bit for bit, and the
// pipeline of the last layer still gets its W_O output.
void TestRunOptions::attentionOnlySkipsTheTail()
{
    QFETCH(QString, spec);
    const auto model = openModel(spec.toStdString());
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    const int layers = checkpoint->transformer().info().layers;
    const std::vector<int> ids = storyIds(40, model->tokenizer() ? model->tokenizer()->vocabSize() : 512);
    ForwardOptions options;
    options.mask = buildMask(MaskSpec::causal(), 40, 40);
    options.pipelineHead = std::make_pair(layers - 1, 0);
    const ForwardResult full = checkpoint->transformer().forward(ids, {}, options);
    options.finalHidden = false;
    options.logits = LogitRows::None;
    const ForwardResult lean = checkpoint->transformer().forward(ids, {}, options);

    QCOMPARE(lean.attention.data.size(), full.attention.data.size());
    QVERIFY(std::memcmp(lean.attention.data.data(), full.attention.data.data(),
                        full.attention.data.size() * sizeof(float)) == 0);
    QCOMPARE(lean.hidden.size(), Index(0));
    QVERIFY(full.hidden.size() > 0);
    QVERIFY(lean.pipeline && full.pipeline);
    QVERIFY(lean.pipeline->output.size() > 0 && lean.pipeline->output == full.pipeline->output);
}

QTEST_APPLESS_MAIN(TestRunOptions)
#include "test_runoptions.moc"
