// BERT (sentence pair with padding and a [MASK]) against the PyTorch reference: attention of
// every layer and head, final hidden states, masked-LM logits, and run()'s defaults (padding mask,
// segments from [SEP], masked-token predictions).

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"
#include "tokenizers/tokenizer.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testing;

class TestBert : public QObject
{
    Q_OBJECT

private slots:
    void forwardMatchesReference();
    void runUsesPaddingMaskAndSegments();
    void runsText();
    void distilbertMatchesReference();
};

void TestBert::forwardMatchesReference()
{
    const Reference ref = loadReference("bert");
    const auto model = openModel(modelCase("bert"));
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    const Index T = static_cast<Index>(ref.ids.size());
    std::vector<std::uint8_t> valid;
    for (int id : ref.ids)
        valid.push_back(id == 0 ? 0 : 1);
    ForwardOptions options;
    options.mask = buildMask(MaskSpec::padding(valid), T, T);
    options.pipelineHead = std::make_pair(ref.pipelineLayer, ref.pipelineHead);
    const ForwardResult forward = checkpoint->transformer().forward(ref.ids, ref.tokenTypes, options);
    QVERIFY2(maxAbsDiff(forward.attention.data, ref.attention) < 1e-4f, "attention differs");
    QVERIFY2(maxAbsDiff(forward.hidden, ref.hidden) < 1e-4f, "hidden states differ");
    QVERIFY2(maxAbsDiff(forward.logits, ref.logits) < 1e-4f, "MLM logits differ");
    QVERIFY(maxAbsDiff(forward.pipeline->capture.q, ref.q) < 1e-4f);
    QVERIFY(maxAbsDiff(forward.pipeline->capture.k, ref.k) < 1e-4f);
    QVERIFY(maxAbsDiff(forward.pipeline->capture.v, ref.v) < 1e-4f);

    // Token types matter: all-zero segments give different states.
    const ForwardResult wrongTypes = checkpoint->transformer().forward(ref.ids, {}, options);
    QVERIFY(maxAbsDiff(wrongTypes.hidden, ref.hidden) > 1e-3f);
}

void TestBert::runUsesPaddingMaskAndSegments()
{
    const Reference ref = loadReference("bert");
    const auto model = openModel(modelCase("bert"));
    QVERIFY(!model->info().causal);
    RunRequest request;
    request.ids = ref.ids;
    request.topK = 3;
    const auto result = model->run(request);
    for (std::size_t i = 0; i < ref.tokenTypes.size(); ++i)
        QCOMPARE(result->tokens[i].segment, ref.tokenTypes[i]);
    QVERIFY2(maxAbsDiff(result->stacks.at(0).attention.data, ref.attention) < 1e-4f, "run() attention differs");
    const AttentionTensor& att = result->stacks[0].attention;
    const int T = att.queries;
    for (int q = 0; q < T; ++q)
        QCOMPARE(att.at(1, 0, q, T - 1), 0.0f); // the last token is [PAD]

    QCOMPARE(result->maskedPredictions.size(), std::size_t(1));
    QCOMPARE(result->maskedPredictions[0].first, 2);
    const auto& predictions = result->maskedPredictions[0].second;
    QCOMPARE(predictions.size(), std::size_t(3));
    Index best = 0;
    ref.logits.row(2).maxCoeff(&best);
    QCOMPARE(predictions[0].id, static_cast<int>(best));
    QVERIFY(predictions[0].probability >= predictions[1].probability);

    // "What if" with no mask: padding keys now get weight.
    request.mask = MaskOverride::None;
    const auto unmasked = model->run(request);
    QVERIFY(unmasked->stacks[0].attention.at(1, 0, 0, T - 1) > 0.0f);
}

void TestBert::runsText()
{
    const auto model = openModel(modelCase("bert"));
    QVERIFY2(model->tokenizer() != nullptr, "the fixture's vocab.txt did not load");
    QVERIFY(model->info().takesSecondText);
    RunRequest request;
    request.text = "the cat [MASK] on the mat";
    request.secondText = "a dog ran";
    const auto result = model->run(request);
    std::vector<int> ids;
    for (const Token& t : result->tokens)
        ids.push_back(t.id);
    QCOMPARE(ids, std::vector<int>({2, 5, 6, 4, 8, 5, 9, 3, 10, 11, 12, 3}));
    QCOMPARE(result->tokens[8].segment, 1);
    QCOMPARE(result->maskedPredictions.size(), std::size_t(1));
    QCOMPARE(result->maskedPredictions[0].first, 3);
}

void TestBert::distilbertMatchesReference()
{
    const Reference ref = loadReference("distilbert");
    const auto model = openModel(modelCase("distilbert"));
    QCOMPARE(model->info().family, std::string("distilbert"));
    QVERIFY(!model->info().takesSecondText);
    RunRequest request;
    request.ids = ref.ids;
    request.pipelineHead = std::make_pair(ref.pipelineLayer, ref.pipelineHead);
    const auto result = model->run(request); // default mask: the [PAD] key is masked
    QVERIFY2(maxAbsDiff(result->stacks.at(0).attention.data, ref.attention) < 1e-4f, "attention differs");
    QVERIFY(maxAbsDiff(result->pipeline->capture.q, ref.q) < 1e-4f);
    QVERIFY(maxAbsDiff(result->pipeline->capture.v, ref.v) < 1e-4f);
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    ForwardOptions options;
    const Index T = static_cast<Index>(ref.ids.size());
    std::vector<std::uint8_t> valid;
    for (int id : ref.ids)
        valid.push_back(id == 0 ? 0 : 1);
    options.mask = buildMask(MaskSpec::padding(valid), T, T);
    const ForwardResult forward = checkpoint->transformer().forward(ref.ids, {}, options);
    QVERIFY2(maxAbsDiff(forward.hidden, ref.hidden) < 1e-4f, "hidden states differ");
    QVERIFY2(maxAbsDiff(forward.logits, ref.logits) < 1e-4f, "MLM logits differ");
}

QTEST_APPLESS_MAIN(TestBert)
#include "test_bert.moc"
