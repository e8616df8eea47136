// GPT-2 checkpoints against the PyTorch reference of tools/fixtures/make_model_fixtures.py:
// attention of every layer and head, final hidden states, logits and the pipeline head's Q/K/V.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"

#include "models/safetensors.h"

#include <QTest>

#include <cmath>

using namespace attnviz;
using namespace attnviz::testing;

class TestGpt2 : public QObject
{
    Q_OBJECT

private slots:
    void matchesReference_data();
    void matchesReference();
    void rejectsUnknownIds();
    void pipelineFollowsTheWholeBlock();
};

void TestGpt2::matchesReference_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<float>("tolerance");
    QTest::newRow("transformer. prefix, f32") << "gpt2" << 1e-4f;
    QTest::newRow("bare names + attn.bias buffers") << "gpt2_bare" << 1e-4f;
    QTest::newRow("f16 weights") << "gpt2_f16" << 1e-4f;
}

void TestGpt2::matchesReference()
{
    QFETCH(QString, name);
    QFETCH(float, tolerance);
    const Reference ref = loadReference(name.toStdString());
    const auto model = openModel(modelCase(name.toStdString()));
    QCOMPARE(model->info().family, std::string("gpt2"));
    QVERIFY(model->info().causal);

    RunRequest request;
    request.ids = ref.ids;
    request.pipelineHead = std::make_pair(ref.pipelineLayer, ref.pipelineHead);
    const auto result = model->run(request);
    QCOMPARE(result->stacks.size(), std::size_t(1));
    const AttentionTensor& att = result->stacks[0].attention;
    QCOMPARE(std::vector<int>({att.layers, att.heads, att.queries, att.keys}), ref.attentionShape);
    qInfo("max |attention - reference| = %.3g", static_cast<double>(maxAbsDiff(att.data, ref.attention)));
    QVERIFY2(maxAbsDiff(att.data, ref.attention) < tolerance, "attention weights differ from the reference");
    QCOMPARE(result->nextToken.size(), std::size_t(10));

    QVERIFY(result->pipeline.has_value());
    QVERIFY(maxAbsDiff(result->pipeline->capture.q, ref.q) < tolerance);
    QVERIFY(maxAbsDiff(result->pipeline->capture.k, ref.k) < tolerance);
    QVERIFY(maxAbsDiff(result->pipeline->capture.v, ref.v) < tolerance);
    // Q = X·W_Q + b: the shown slice reproduces Q up to the bias, which is the same for every row.
    const Matrix noBias = result->pipeline->x * result->pipeline->wq;
    const RowVector bias = ref.q.row(0) - noBias.row(0);
    QVERIFY(maxAbsDiff(Matrix(noBias.rowwise() + bias), ref.q) < 1e-4f);

    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    ForwardOptions options;
    options.mask =
        buildMask(MaskSpec::causal(), static_cast<Index>(ref.ids.size()), static_cast<Index>(ref.ids.size()));
    const ForwardResult forward = checkpoint->transformer().forward(ref.ids, {}, options);
    QVERIFY2(maxAbsDiff(forward.hidden, ref.hidden) < tolerance, "final hidden states differ");
    QVERIFY2(maxAbsDiff(forward.logits, ref.logits) < tolerance, "logits differ");

    // The top prediction after the last token is the reference's argmax.
    Index best = 0;
    ref.logits.row(ref.logits.rows() - 1).maxCoeff(&best);
    QCOMPARE(result->nextToken[0].id, static_cast<int>(best));
}

void TestGpt2::rejectsUnknownIds()
{
    const auto model = openModel(modelCase("gpt2"));
    RunRequest request;
    request.ids = std::vector<int>{1, 2, 96};
    QVERIFY_THROWS_EXCEPTION(InputError, model->run(request));
}

// The pipeline's view past attention: the residual stream entering the block, after attention's
// add, the MLP's contribution and the stream leaving the block. Checked against PyTorch: the
// last block's output through GPT-2's final layer norm (ln_f, applied here by hand from the
// checkpoint's own weights) is the reference's final hidden state; and each block's output is
// the next block's input.
void TestGpt2::pipelineFollowsTheWholeBlock()
{
    const Reference ref = loadReference("gpt2");
    const auto model = openModel(modelCase("gpt2"));
    const int layers = model->info().layers;
    std::vector<PipelineCapture> captures;
    for (int l = 0; l < layers; ++l) {
        RunRequest request;
        request.ids = ref.ids;
        request.pipelineHead = std::make_pair(l, 0);
        const auto result = model->run(request);
        QVERIFY(result->pipeline.has_value());
        captures.push_back(*result->pipeline);
    }
    for (int l = 0; l < layers; ++l) {
        const PipelineCapture& p = captures[std::size_t(l)];
        const auto t = Index(ref.ids.size());
        for (const Matrix* m : {&p.residual, &p.afterAttention, &p.mlpOutput, &p.blockOutput}) {
            QCOMPARE(m->rows(), t);
            QCOMPARE(m->cols(), Index(model->info().dModel));
        }
        // Pre-norm GPT-2: x + attention, then + MLP.
        QVERIFY(maxAbsDiff(p.afterAttention, Matrix(p.residual + p.output)) < 1e-5f);
        QVERIFY(maxAbsDiff(p.blockOutput, Matrix(p.afterAttention + p.mlpOutput)) < 1e-5f);
        if (l + 1 < layers)
            QVERIFY(maxAbsDiff(p.blockOutput, captures[std::size_t(l + 1)].residual) < 1e-5f);
    }
    const SafetensorsFile file(modelCase("gpt2") + "/model.safetensors");
    const std::vector<float> gain = file.readFloats(*file.find("transformer.ln_f.weight"));
    const std::vector<float> bias = file.readFloats(*file.find("transformer.ln_f.bias"));
    const Matrix& last = captures.back().blockOutput;
    Matrix normed(last.rows(), last.cols());
    for (Index i = 0; i < last.rows(); ++i) {
        double mean = 0.0, variance = 0.0;
        for (Index d = 0; d < last.cols(); ++d)
            mean += last(i, d);
        mean /= double(last.cols());
        for (Index d = 0; d < last.cols(); ++d)
            variance += (last(i, d) - mean) * (last(i, d) - mean);
        variance /= double(last.cols());
        for (Index d = 0; d < last.cols(); ++d)
            normed(i, d) = float((last(i, d) - mean) / std::sqrt(variance + 1e-5) * gain[std::size_t(d)] + bias[std::size_t(d)]);
    }
    QVERIFY2(maxAbsDiff(normed, ref.hidden) < 1e-4f, "the last block's output does not give the final hidden state");
}

QTEST_APPLESS_MAIN(TestGpt2)
#include "test_gpt2.moc"
