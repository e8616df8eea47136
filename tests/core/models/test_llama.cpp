// Llama-family checkpoints (Llama with GQA and rope_theta 500000 and an untied head, bf16 weights,
// a sharded checkpoint, Qwen2 with q/k/v biases and a tied head) against the PyTorch reference.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testing;

class TestLlama : public QObject
{
    Q_OBJECT

private slots:
    void matchesReference_data();
    void matchesReference();
};

void TestLlama::matchesReference_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("family");
    // clang-format off
    QTest::newRow("llama GQA 4/2, theta 5e5, untied") << "llama" << "llama";
    QTest::newRow("llama bf16") << "llama_bf16" << "llama";
    QTest::newRow("llama sharded index") << "llama_sharded" << "llama";
    QTest::newRow("qwen2 qkv bias, tied") << "qwen2" << "qwen2";
    QTest::newRow("llama3 rope_scaling") << "llama3_rope_scaling" << "llama";
    // clang-format on
}

void TestLlama::matchesReference()
{
    QFETCH(QString, name);
    QFETCH(QString, family);
    const float tolerance = 1e-4f;
    const Reference ref = loadReference(name.toStdString());
    const auto model = openModel(modelCase(name.toStdString()));
    QCOMPARE(model->info().family, family.toStdString());

    RunRequest request;
    request.ids = ref.ids;
    request.pipelineHead = std::make_pair(ref.pipelineLayer, ref.pipelineHead);
    const auto result = model->run(request);
    const AttentionTensor& att = result->stacks.at(0).attention;
    QCOMPARE(std::vector<int>({att.layers, att.heads, att.queries, att.keys}), ref.attentionShape);
    qInfo("max |attention - reference| = %.3g", static_cast<double>(maxAbsDiff(att.data, ref.attention)));
    QVERIFY2(maxAbsDiff(att.data, ref.attention) < tolerance, "attention weights differ from the reference");

    // Q and K after RoPE; the head's K/V are those of its group (GQA).
    QVERIFY(result->pipeline.has_value());
    QVERIFY(maxAbsDiff(result->pipeline->capture.q, ref.q) < tolerance);
    QVERIFY(maxAbsDiff(result->pipeline->capture.k, ref.k) < tolerance);
    QVERIFY(maxAbsDiff(result->pipeline->capture.v, ref.v) < tolerance);
    QVERIFY(result->pipeline->note.find("RoPE") != std::string::npos);
    QCOMPARE(result->pipeline->wq.rows(), Index(model->info().dModel));
    QCOMPARE(result->pipeline->wo.rows(), Index(model->info().dModel)); // heads*hd == d here

    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    ForwardOptions options;
    const Index T = static_cast<Index>(ref.ids.size());
    options.mask = buildMask(MaskSpec::causal(), T, T);
    const ForwardResult forward = checkpoint->transformer().forward(ref.ids, {}, options);
    QVERIFY2(maxAbsDiff(forward.hidden, ref.hidden) < tolerance, "final hidden states differ");
    QVERIFY2(maxAbsDiff(forward.logits, ref.logits) < tolerance, "logits differ");
}

QTEST_APPLESS_MAIN(TestLlama)
#include "test_llama.moc"
