// BERT (sentence pair with padding and a [MASK]) against the PyTorch reference: attention of
// every layer and head, final hidden states, masked-LM logits, and run()'s defaults (padding mask,
// segments from [SEP], masked-token predictions).

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"
#include "tokenizers/tokenizer.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

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
    void distilbertKeepsTheSecondSentence();
    void separatorIdsComeFromTheFiles();
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

// DistilBERT has no token types, yet reads sentence pairs ([CLS] A [SEP] B [SEP]); the second
// sentence used to be dropped without a word.
void TestBert::distilbertKeepsTheSecondSentence()
{
    QTemporaryDir dir;
    const std::string folder = copyModel(dir.path().toStdString(), "distilbert", "distilbert_vocab");
    { // the first 110 entries of the BERT fixture's vocabulary: the DistilBERT fixture's size
        std::ifstream in(modelCase("bert") + "/vocab.txt");
        std::ofstream out(folder + "/vocab.txt");
        std::string line;
        for (int i = 0; i < 110 && std::getline(in, line); ++i)
            out << line << "\n";
    }
    const auto model = openModel(folder);
    QVERIFY(model->info().takesSecondText);
    RunRequest request;
    request.text = "the cat sat";
    request.secondText = "a dog ran";
    const auto result = model->run(request); // kept: the range below must not outlive it
    std::vector<int> ids;
    for (const Token& t : result->tokens)
        ids.push_back(t.id);
    QCOMPARE(ids, std::vector<int>({2, 5, 6, 7, 3, 10, 11, 12, 3}));
}

// Without a tokenizer, sentence B starts after the [SEP] that config.json names (sep_token_id),
// not after a hard-coded 102; with neither, every token stays in sentence A and the user is told.
void TestBert::separatorIdsComeFromTheFiles()
{
    const Reference ref = loadReference("bert"); // [CLS] … [SEP] … [SEP] [PAD] with [SEP] = 3
    QTemporaryDir dir;
    const std::string bare = copyModel(dir.path().toStdString(), "bert", "bert_no_vocab");
    std::filesystem::remove(bare + "/vocab.txt");
    RunRequest request;
    request.ids = ref.ids;
    const auto unknown = openModel(bare)->run(request);
    for (const Token& t : unknown->tokens)
        QCOMPARE(t.segment, 0);
    bool told = false;
    for (const std::string& n : unknown->notices)
        told = told || n.find("sentence B") != std::string::npos;
    QVERIFY(told);

    const std::string named =
        copyModel(dir.path().toStdString(), "bert", "bert_sep_in_config", patchedConfig("bert", "sep_token_id", "3"));
    std::filesystem::remove(named + "/vocab.txt");
    const auto result = openModel(named)->run(request);
    for (std::size_t i = 0; i < ref.tokenTypes.size(); ++i)
        QCOMPARE(result->tokens[i].segment, ref.tokenTypes[i]);

    // Likewise the [MASK] whose predictions are shown (the fixture's is 4, bert-base's 103).
    request.topK = 3;
    QVERIFY(openModel(bare)->run(request)->maskedPredictions.empty());
    const std::string masked = copyModel(dir.path().toStdString(), "bert", "bert_mask_in_config",
                                         patchedConfig("bert", "mask_token_id", "4"));
    std::filesystem::remove(masked + "/vocab.txt");
    const auto predicted = openModel(masked)->run(request);
    QCOMPARE(predicted->maskedPredictions.size(), std::size_t(1));
    QCOMPARE(predicted->maskedPredictions[0].first, 2);
}

QTEST_APPLESS_MAIN(TestBert)
#include "test_bert.moc"
