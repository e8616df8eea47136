// T5 beyond the data-driven reference test: its relative-position buckets against values worked
// out by hand from the formula at T5's own defaults (32 buckets, distance 128), and run() on a T5
// folder: no start token before the source, the decoder starting from pad, the encoder-decoder
// capture limit.

#include "engine/attentionmodel.h"
#include "models/seq2seqmodel.h"
#include "models/t5.h"
#include "modelfixture.h"
#include "registry/modelregistry.h"

#include <QTemporaryDir>
#include <QTest>

using namespace attnviz;
using namespace attnviz::testing;

class TestT5 : public QObject
{
    Q_OBJECT

private slots:
    void bucketsAtTheDefaults_data()
    {
        QTest::addColumn<int>("relative"); // key position − query position
        QTest::addColumn<bool>("bidirectional");
        QTest::addColumn<int>("bucket");
        // Bidirectional: 16 buckets a side, exact below 8; 8 + ⌊ln(n/8) / ln(16) · 8⌋ above.
        QTest::newRow("self") << 0 << true << 0;
        QTest::newRow("one before") << -1 << true << 1;
        QTest::newRow("one after") << 1 << true << 17;
        QTest::newRow("7 before: last exact") << -7 << true << 7;
        QTest::newRow("20 before: ln 2.5 / ln 16 · 8 = 2.64") << -20 << true << 10;
        QTest::newRow("200 after: capped at 15 + 16") << 200 << true << 31;
        // Causal (decoder): 32 buckets for the past, exact below 16; later keys share bucket 0.
        QTest::newRow("causal later key") << 5 << false << 0;
        QTest::newRow("causal 15 before") << -15 << false << 15;
        QTest::newRow("causal 100 before: ln 6.25 / ln 8 · 16 = 14.1") << -100 << false << 30;
        QTest::newRow("causal 1000 before: capped") << -1000 << false << 31;
    }
    void bucketsAtTheDefaults()
    {
        QFETCH(int, relative);
        QFETCH(bool, bidirectional);
        QFETCH(int, bucket);
        QCOMPARE(t5RelativeBucket(relative, bidirectional, 32, 128), bucket);
    }

    void runFramesTheSourceAsT5Does()
    {
        const json::Value ref = json::parseFile(modelCase("t5") + "/expected.json");
        const std::vector<int> src = intsOf(*ref.find("src_ids"));
        // A short context keeps the greedy translation (a random model never says </s>) short.
        QTemporaryDir dir;
        const auto model = openModel(copyModel(dir.path().toStdString(), "t5", "t5_short", patchedConfig("t5", "n_positions", "12")));
        QVERIFY(model->info().encoderDecoder);
        RunRequest request;
        request.ids = src;
        const auto result = model->run(request);
        QCOMPARE(result->stacks.size(), std::size_t(3));
        QCOMPARE(result->sourceTokens.size(), src.size()); // ids are taken as they are
        QCOMPARE(result->tokens.front().id, 0);             // decoder_start_token_id = pad
        const std::vector<int> generated = model->generateGreedy(src, 100);
        QCOMPARE(result->tokens.size(), generated.size() + 1); // the decoder read the greedy translation
        QVERIFY(result->tokens.size() <= 12);
        bool noted = false;
        for (const std::string& n : result->notices)
            noted = noted || n.find("relative position") != std::string::npos;
        QVERIFY(noted); // the user learns why Q·Kᵀ is not divided by √d_k
    }

    // The model's own translation stops at twice the source (plus 10): an untrained model never
    // says </s>, and running to the end of T5's 512 positions took minutes under the sanitizers.
    void ownTranslationIsBounded()
    {
        const json::Value ref = json::parseFile(modelCase("t5") + "/expected.json");
        RunRequest request;
        request.ids = intsOf(*ref.find("src_ids"));
        const auto result = openModel(modelCase("t5"))->run(request);
        QVERIFY(result->tokens.size() <= 2 * request.ids->size() + 11);
        QVERIFY(result->tokens.size() > 1);
    }

    // The encoder-decoder path bounds what it keeps as the decoder path does (it used not to).
    void captureIsBounded()
    {
        for (const char* name : {"t5", "bart"}) {
            const auto model = openModel(modelCase(name));
            const auto& net = dynamic_cast<const Seq2SeqModel&>(*model).network();
            const double n = seq2seqCaptureLimit(net);
            const double floats = n * n *
                                  (net.encoderLayers() * net.encoderHeads() + 2.0 * net.info().layers * net.info().heads);
            QVERIFY2(floats <= 268435456.0, name); // 2^28 floats = 1 GB
            QVERIFY2((n + 1) * (n + 1) * (net.encoderLayers() + 2.0 * net.info().layers) *
                             std::max(net.encoderHeads(), net.info().heads) > 268435456.0,
                     name); // and not needlessly short
        }
    }

    void blockRowChainsThroughTheLayers()
    {
        // T5's layers are pre-norm sums: each part of the pipeline's block row adds to the last,
        // cross-attention starts where self-attention's add ends, and a layer where the last ended.
        // (test_bart checks the same row against PyTorch's hidden states.)
        const json::Value ref = json::parseFile(modelCase("t5") + "/expected.json");
        const std::vector<int> src = intsOf(*ref.find("src_ids"));
        const std::vector<int> tgt = intsOf(*ref.find("ids"));
        const auto model = openModel(modelCase("t5"));
        const auto& net = dynamic_cast<const Seq2SeqModel&>(*model).network();
        const auto capture = [&](Seq2SeqStack stack, int layer) {
            Seq2SeqOptions options;
            const Index S = Index(src.size()), T = Index(tgt.size());
            options.masks[0] = buildMask(MaskSpec::none(), S, S);
            options.masks[1] = buildMask(MaskSpec::causal(), T, T);
            options.masks[2] = buildMask(MaskSpec::none(), T, S);
            options.pipelineStack = stack;
            options.pipelineHead = std::make_pair(layer, 0);
            return *net.forward(src, tgt, options).pipeline;
        };
        const int last = net.info().layers - 1;
        const PipelineCapture self = capture(Seq2SeqStack::Decoder, last);
        const PipelineCapture cross = capture(Seq2SeqStack::Cross, last);
        QCOMPARE(Index(self.blockOutput.rows()), Index(tgt.size()));
        QVERIFY(maxAbsDiff(Matrix(cross.residual + cross.output), cross.afterAttention) < 1e-5f);
        QVERIFY(maxAbsDiff(Matrix(cross.afterAttention + cross.mlpOutput), cross.blockOutput) < 1e-5f);
        QCOMPARE(cross.residual, self.afterAttention);
        QCOMPARE(self.blockOutput, cross.blockOutput);
        QCOMPARE(capture(Seq2SeqStack::Decoder, last - 1).blockOutput, self.residual);
        const PipelineCapture encoder = capture(Seq2SeqStack::Encoder, 0);
        QVERIFY(maxAbsDiff(Matrix(encoder.afterAttention + encoder.mlpOutput), encoder.blockOutput) < 1e-5f);
    }
};

QTEST_APPLESS_MAIN(TestT5)
#include "test_t5.moc"
