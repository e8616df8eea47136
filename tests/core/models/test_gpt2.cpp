// GPT-2 checkpoints against the PyTorch reference of tools/fixtures/make_model_fixtures.py:
// attention of every layer and head, final hidden states, logits and the pipeline head's Q/K/V.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testing;

class TestGpt2 : public QObject
{
    Q_OBJECT

private slots:
    void matchesReference_data();
    void matchesReference();
    void rejectsUnknownIds();
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

QTEST_APPLESS_MAIN(TestGpt2)
#include "test_gpt2.moc"
