// BART encoder-decoder against the PyTorch reference (tests/data/models/bart): encoder, decoder
// and cross attention of every layer and head, encoder and decoder hidden states, logits, the
// cross-attention pipeline head; and run()'s three stacks.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/seq2seqmodel.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testing;

class TestBart : public QObject
{
    Q_OBJECT

private slots:
    void forwardMatchesReference();
    void runFillsThreeStacks();
    void blockRowFollowsTheResidualStream();
};

void TestBart::forwardMatchesReference()
{
    const json::Value ref = json::parseFile(modelCase("bart") + "/expected.json");
    const std::vector<int> src = intsOf(*ref.find("src_ids"));
    const std::vector<int> tgt = intsOf(*ref.find("ids"));
    const auto model = openModel(modelCase("bart"));
    QCOMPARE(model->info().family, std::string("seq2seq"));
    const auto* seq2seq = dynamic_cast<const Seq2SeqModel*>(model.get());
    QVERIFY(seq2seq != nullptr);
    const Index S = static_cast<Index>(src.size());
    const Index T = static_cast<Index>(tgt.size());
    std::vector<std::uint8_t> valid;
    for (int id : src)
        valid.push_back(id == 1 ? 0 : 1);
    Seq2SeqOptions options;
    options.masks[0] = buildMask(MaskSpec::padding(valid), S, S);
    options.masks[1] = buildMask(MaskSpec::causal(), T, T);
    options.masks[2] = buildMask(MaskSpec::padding(valid), T, S);
    options.pipelineStack = Seq2SeqStack::Cross;
    options.pipelineHead = std::make_pair(1, 2);
    const Seq2SeqResult r = seq2seq->network().forward(src, tgt, options);
    QVERIFY2(maxAbsDiff(r.attention[0].data, floatsOf(*ref.find("encoder_attention"))) < 1e-4f, "encoder attention");
    QVERIFY2(maxAbsDiff(r.attention[1].data, floatsOf(*ref.find("decoder_attention"))) < 1e-4f, "decoder attention");
    QVERIFY2(maxAbsDiff(r.attention[2].data, floatsOf(*ref.find("cross_attention"))) < 1e-4f, "cross attention");
    QVERIFY(maxAbsDiff(r.encoderHidden, matrixOf(*ref.find("encoder_hidden"), S)) < 1e-4f);
    QVERIFY(maxAbsDiff(r.hidden, matrixOf(*ref.find("hidden"), T)) < 1e-4f);
    QVERIFY(maxAbsDiff(r.logits, matrixOf(*ref.find("logits"), T)) < 1e-4f);
    const json::Value& p = *ref.find("pipeline");
    QVERIFY(maxAbsDiff(r.pipeline->capture.q, matrixOf(*p.find("q"), T)) < 1e-4f);
    QVERIFY(maxAbsDiff(r.pipeline->capture.k, matrixOf(*p.find("k"), S)) < 1e-4f);
    QVERIFY(maxAbsDiff(r.pipeline->capture.v, matrixOf(*p.find("v"), S)) < 1e-4f);
    QCOMPARE(r.pipeline->source.rows(), S); // keys come from the encoder output
}

void TestBart::runFillsThreeStacks()
{
    const json::Value ref = json::parseFile(modelCase("bart") + "/expected.json");
    const std::vector<int> src = intsOf(*ref.find("src_ids"));
    const auto model = openModel(modelCase("bart"));
    RunRequest request;
    request.ids = src;
    request.pipelineStack = 2;
    request.pipelineHead = std::make_pair(0, 1);
    const auto result = model->run(request);
    QCOMPARE(result->stacks.size(), std::size_t(3));
    QCOMPARE(result->stacks[0].name, std::string("encoder"));
    QCOMPARE(result->stacks[2].name, std::string("cross"));
    QVERIFY(result->stacks[2].keysFromSource);
    QCOMPARE(result->sourceTokens.size(), src.size());
    const AttentionTensor& cross = result->stacks[2].attention;
    QCOMPARE(cross.queries, static_cast<int>(result->tokens.size()));
    QCOMPARE(cross.keys, static_cast<int>(src.size()));
    QCOMPARE(cross.at(1, 3, 0, static_cast<int>(src.size()) - 1), 0.0f); // padding source token
    QCOMPARE(result->tokens.front().id, 2);                              // decoder_start_token_id
    QVERIFY(result->pipeline.has_value());
    QCOMPARE(result->pipeline->stack, 2);
    QVERIFY(!result->nextToken.empty());
    // The greedy translation the decoder read is what generateGreedy returns.
    const std::vector<int> generated = model->generateGreedy(src, 15);
    QCOMPARE(result->tokens.size(), generated.size() + 1);
}

void TestBart::blockRowFollowsTheResidualStream()
{
    // The pipeline's block row on every stack, against PyTorch's hidden states: this BART has no
    // final norms, so the last encoder layer's output is encoder_hidden and the last decoder
    // layer's is hidden.
    const json::Value ref = json::parseFile(modelCase("bart") + "/expected.json");
    const std::vector<int> src = intsOf(*ref.find("src_ids"));
    const std::vector<int> tgt = intsOf(*ref.find("ids"));
    const auto model = openModel(modelCase("bart"));
    const auto& network = dynamic_cast<const Seq2SeqModel&>(*model).network();
    const Index S = static_cast<Index>(src.size());
    const Index T = static_cast<Index>(tgt.size());
    std::vector<std::uint8_t> valid;
    for (int id : src)
        valid.push_back(id == 1 ? 0 : 1); // <pad>
    const auto capture = [&](Seq2SeqStack stack, int layer) {
        Seq2SeqOptions options;
        options.masks[0] = buildMask(MaskSpec::padding(valid), S, S);
        options.masks[1] = buildMask(MaskSpec::causal(), T, T);
        options.masks[2] = buildMask(MaskSpec::padding(valid), T, S);
        options.pipelineStack = stack;
        options.pipelineHead = std::make_pair(layer, 0);
        return *network.forward(src, tgt, options).pipeline;
    };
    const int lastEncoder = network.encoderLayers() - 1;
    const int lastDecoder = network.info().layers - 1;
    const PipelineCapture encoder = capture(Seq2SeqStack::Encoder, lastEncoder);
    QVERIFY(maxAbsDiff(encoder.blockOutput, matrixOf(*ref.find("encoder_hidden"), S)) < 1e-4f);
    QCOMPARE(encoder.residual.rows(), S);
    QVERIFY(encoder.restLabel.empty()); // the MLP's own output
    const PipelineCapture cross = capture(Seq2SeqStack::Cross, lastDecoder);
    const PipelineCapture self = capture(Seq2SeqStack::Decoder, lastDecoder);
    const Matrix hidden = matrixOf(*ref.find("hidden"), T);
    QVERIFY(maxAbsDiff(cross.blockOutput, hidden) < 1e-4f);
    QVERIFY(maxAbsDiff(self.blockOutput, hidden) < 1e-4f);
    // Cross-attention starts where the self-attention's add ends; after a self-attention head the
    // rest of the layer is cross-attention and the MLP, shown as what they add together.
    QCOMPARE(cross.residual, self.afterAttention);
    QVERIFY(self.restLabel.find("cross-attention") != std::string::npos);
    QVERIFY(maxAbsDiff(Matrix(self.afterAttention + self.mlpOutput), hidden) < 1e-4f);
    // A layer starts where the previous one ended.
    QCOMPARE(capture(Seq2SeqStack::Decoder, lastDecoder - 1).blockOutput, self.residual);
    QCOMPARE(capture(Seq2SeqStack::Encoder, lastEncoder - 1).blockOutput, encoder.residual);
}

QTEST_APPLESS_MAIN(TestBart)
#include "test_bart.moc"
