// The measures beyond raw attention (engine/readouts.h) against an independent computation: hand
// worked cases, and the float64 PyTorch values tools/fixtures/make_measure_fixtures.py stored for
// fixture checkpoints (tests/data/measures): value-weighted attention per head and per layer,
// the logit lens after every layer, and direct logit attribution, within the forward pass's 1e-4.

#include "engine/attentionmodel.h"
#include "modelfixture.h"
#include "models/readoutlimits.h"
#include "models/residualreadings.h"
#include "registry/modelregistry.h"
#include "stats/attentionflow.h"
#include "stats/derive.h"
#include "stats/rollout.h"
#include "stats/headimportance.h"
#include "stats/valueweighted.h"

#include <QTest>

#include <cmath>

using namespace attnviz;
using namespace attnviz::testing;

namespace {

constexpr float tolerance = 1e-4f;

struct MeasureReference
{
    std::vector<int> ids;
    std::vector<int> vwShape, layerShape, lensShape; // (L, H, T, S), (L, T, S), (L, T, V)
    std::vector<float> vw, vwLayer, lens, alti;
    std::vector<int> altiShape; // (L, T, S)
    std::vector<float> flow;    // (T, T) through every layer
    const json::Value* attribution = nullptr;
    json::Value root;
};

MeasureReference loadMeasures(const std::string& name)
{
    MeasureReference r;
    r.root = json::parseFile(std::string(ATTNVIZ_TEST_DATA) + "/measures/" + name + ".json");
    r.ids = intsOf(*r.root.find("ids"));
    r.vwShape = intsOf(*r.root.find("value_weighted_shape"));
    r.vw = floatsOf(*r.root.find("value_weighted"));
    r.layerShape = intsOf(*r.root.find("value_weighted_layer_shape"));
    r.vwLayer = floatsOf(*r.root.find("value_weighted_layer"));
    r.lensShape = intsOf(*r.root.find("lens_shape"));
    r.lens = floatsOf(*r.root.find("lens_logits"));
    r.attribution = r.root.find("attribution");
    r.altiShape = intsOf(*r.root.find("alti_shape"));
    r.alti = floatsOf(*r.root.find("alti"));
    r.flow = floatsOf(*r.root.find("flow"));
    return r;
}

std::shared_ptr<AttentionResult> runMeasured(const std::string& name, const std::vector<int>& ids,
                                             const std::set<std::pair<int, int>>& ablated = {})
{
    const auto model = openModel(modelCase(name));
    RunRequest request;
    request.ids = ids;
    request.measure = Measure::ValueWeighted;
    request.logitLens = true;
    request.attribution = true;
    request.ablatedHeads = ablated;
    return runWithStatistics(*model, request);
}

// |a − b| ≤ tolerance × max(1, |b|): the norms reach a few units.
bool close(float a, double b)
{
    return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

} // namespace

class TestMeasures : public QObject
{
    Q_OBJECT

private slots:
    void valueWeightingByHand()
    {
        // One layer, two heads, two tokens. Key 0's value is written as f_0 = (3, 0) by head 0 and
        // f_1 = (0, 4) by head 1; key 1's as (1, 0) and (1, 0).
        AttentionStack s;
        s.attention.resize(1, 2, 2, 2);
        const float w[] = {1.0f, 0.0f, 0.5f, 0.5f,   // head 0: rows (1, 0), (0.5, 0.5)
                           1.0f, 0.0f, 0.25f, 0.75f}; // head 1
        std::copy(std::begin(w), std::end(w), s.attention.data.begin());
        s.valueGram = {9, 0, 0, 16,  // key 0: <f_h, f_g> for h, g in {0, 1}
                       1, 1, 1, 1};  // key 1
        QVERIFY(applyValueWeighting(s, {}));
        QCOMPARE(s.measure, Measure::ValueWeighted);
        // Head 0, row 1: 0.5·3 = 1.5 and 0.5·1 = 0.5, total 2 → shares 0.75, 0.25.
        QCOMPARE(s.attention.at(0, 0, 1, 0), 0.75f);
        QCOMPARE(s.attention.at(0, 0, 1, 1), 0.25f);
        QCOMPARE(s.measureRowTotals[1], 2.0f);
        // Head 1, row 1: 0.25·4 = 1 and 0.75·1 = 0.75, total 1.75.
        QVERIFY(std::abs(s.attention.at(0, 1, 1, 0) - 1.0f / 1.75f) < 1e-6f);
        QCOMPARE(s.measureRowTotals[3], 1.75f);
        // The layer, row 1: ‖0.5·(3,0) + 0.25·(0,4)‖ = ‖(1.5, 1)‖ = √3.25 and ‖0.5·(1,0) + 0.75·(1,0)‖ = 1.25.
        const float a = std::sqrt(3.25f), b = 1.25f;
        QVERIFY(std::abs(s.layerMeasureRowTotals[1] - (a + b)) < 1e-5f);
        QVERIFY(std::abs(s.layerMeasure.at(0, 0, 1, 0) - a / (a + b)) < 1e-6f);
        QVERIFY(s.valueGram.empty());

        // Head 1 ablated: the layer is head 0 alone.
        AttentionStack t;
        t.attention.resize(1, 2, 2, 2);
        std::copy(std::begin(w), std::end(w), t.attention.data.begin());
        t.valueGram = {9, 0, 0, 16, 1, 1, 1, 1};
        QVERIFY(applyValueWeighting(t, {{0, 1}}));
        QVERIFY(std::abs(t.layerMeasureRowTotals[1] - 2.0f) < 1e-6f);

        // Without a Gram of the right size nothing changes.
        AttentionStack u;
        u.attention.resize(1, 2, 2, 2);
        u.valueGram = {1, 2, 3};
        QVERIFY(!applyValueWeighting(u, {}));
        QCOMPARE(u.measure, Measure::Raw);
    }

    void valueWeightedMatchesTorch_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"gpt2", "qwen2", "bert"})
            QTest::newRow(n) << QString(n);
    }

    void valueWeightedMatchesTorch()
    {
        QFETCH(QString, name);
        const MeasureReference ref = loadMeasures(name.toStdString());
        const auto result = runMeasured(name.toStdString(), ref.ids);
        const AttentionStack& s = result->stacks.at(0);
        QCOMPARE(s.measure, Measure::ValueWeighted);
        const AttentionTensor& a = s.attention;
        QCOMPARE((std::vector<int>{a.layers, a.heads, a.queries, a.keys}), ref.vwShape);
        std::size_t at = 0;
        for (int l = 0; l < a.layers; ++l) {
            for (int h = 0; h < a.heads; ++h) {
                for (int i = 0; i < a.queries; ++i) {
                    const float total = s.measureRowTotals[static_cast<std::size_t>(a.slotOf(l, h) * a.queries + i)];
                    double shares = 0.0;
                    for (int j = 0; j < a.keys; ++j, ++at) {
                        const float value = a.at(l, h, i, j) * total;
                        shares += a.at(l, h, i, j);
                        QVERIFY2(close(value, ref.vw[at]), qPrintable(QString("L%1 H%2 (%3,%4): %5 vs %6")
                                                                      .arg(l).arg(h).arg(i).arg(j).arg(value).arg(ref.vw[at])));
                    }
                    QVERIFY(std::abs(shares - 1.0) < 1e-5 || total == 0.0f);
                }
            }
        }
        const AttentionTensor& layer = s.layerMeasure;
        QCOMPARE(layer.layers, a.layers);
        at = 0;
        for (int l = 0; l < a.layers; ++l) {
            for (int i = 0; i < a.queries; ++i) {
                const float total = s.layerMeasureRowTotals[static_cast<std::size_t>(l * a.queries + i)];
                for (int j = 0; j < a.keys; ++j, ++at)
                    QVERIFY2(close(layer.at(l, 0, i, j) * total, ref.vwLayer[at]), qPrintable(QString("layer %1").arg(l)));
            }
        }
    }

    void altiByHand()
    {
        // One head, two tokens, d = 2 (worked in the comments): y_0 = (2, 1), y_1 = (2.5, 0.5).
        const float a[] = {1.0f, 0.0f, 0.5f, 0.5f};
        Matrix f(2, 2), x(2, 2);
        f << 1, 0, 0, 1;   // what the head writes for keys 0 and 1
        x << 1, 1, 2, 0;   // the residual stream
        const Matrix sum = x + Matrix(Eigen::Map<const Matrix>(a, 2, 2) * f);
        const Matrix c = altiContributions({a}, {f}, x, sum, nullptr);
        // Row 0: T_0(x_0) = (2, 1) = y_0, so c_00 = 3 and key 1 is masked. Row 1: T_1(x_0) = (0.5, 0)
        // is 2.5 from y_1 (c = 0.5), T_1(x_1) = (2, 0.5) is 0.5 from it (c = 2.5).
        QCOMPARE(c(0, 0), 1.0f);
        QCOMPARE(c(0, 1), 0.0f);
        QVERIFY(std::abs(c(1, 0) - 1.0f / 6.0f) < 1e-6f);
        QVERIFY(std::abs(c(1, 1) - 5.0f / 6.0f) < 1e-6f);
    }

    void altiMatchesTorch_data() { valueWeightedMatchesTorch_data(); }

    void altiMatchesTorch()
    {
        QFETCH(QString, name);
        const MeasureReference ref = loadMeasures(name.toStdString());
        const auto model = openModel(modelCase(name.toStdString()));
        RunRequest request;
        request.ids = ref.ids;
        const auto raw = runWithStatistics(*model, request);
        request.measure = Measure::Alti;
        request.rollout = RunRequest::Rollout{0, std::vector<bool>(static_cast<std::size_t>(model->info().heads), true)};
        const auto result = runWithStatistics(*model, request);
        const AttentionStack& s = result->stacks.at(0);
        QCOMPARE(s.measure, Measure::Alti);
        // ALTI is per layer: the heads' maps stay the raw weights.
        QVERIFY(s.attention.data == raw->stacks[0].attention.data);
        const AttentionTensor& c = s.layerMeasure;
        QCOMPARE((std::vector<int>{c.layers, c.queries, c.keys}), ref.altiShape);
        std::size_t at = 0;
        for (int l = 0; l < c.layers; ++l)
            for (int i = 0; i < c.queries; ++i)
                for (int j = 0; j < c.keys; ++j, ++at)
                    QVERIFY2(close(c.at(l, 0, i, j), ref.alti[at]),
                             qPrintable(QString("L%1 (%2,%3): %4 vs %5").arg(l).arg(i).arg(j).arg(c.at(l, 0, i, j)).arg(ref.alti[at])));
        // Its rollout multiplies the layers as they are: R_1 = C_1 · C_0.
        QVERIFY(result->rollout && result->rollout->layers.size() == static_cast<std::size_t>(c.layers));
        const Matrix c0 = Eigen::Map<const Matrix>(c.head(0, 0), c.queries, c.keys);
        const Matrix c1 = Eigen::Map<const Matrix>(c.head(1, 0), c.queries, c.keys);
        QVERIFY(maxAbsDiff(result->rollout->layers[1], Matrix(c1 * c0)) < 1e-5f);
    }

    void attentionFlowByHand()
    {
        // One head, two tokens: Â = 0.5·A + 0.5·I = [[1, 0], [0.25, 0.75]] in each of two layers.
        AttentionTensor a;
        a.resize(2, 1, 2, 2);
        const float w[] = {1.0f, 0.0f, 0.5f, 0.5f, 1.0f, 0.0f, 0.5f, 0.5f};
        std::copy(std::begin(w), std::end(w), a.data.begin());
        const Matrix one = attentionFlow(a, 0, {true});
        QVERIFY(std::abs(one(1, 0) - 0.25f) < 1e-6f && std::abs(one(1, 1) - 0.75f) < 1e-6f && one(0, 1) == 0.0f);
        // Through both: from input 0 to token 1, the paths 0→0→1 and 0→1→1 carry 0.25 each (the
        // minimum cut), while the rollout multiplies them to 0.4375.
        const Matrix two = attentionFlow(a, 1, {true});
        QVERIFY(std::abs(two(1, 0) - 0.5f) < 1e-6f);
        QVERIFY(std::abs(attentionRollout(a, 1, {true})(1, 0) - 0.4375f) < 1e-6f);
        QVERIFY(!attentionFlowAffordable(64, 11));
        QVERIFY(attentionFlowAffordable(16, 11));
    }

    void attentionFlowMatchesNetworkx_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("gpt2") << QString("gpt2");
        QTest::newRow("qwen2") << QString("qwen2");
    }

    void attentionFlowMatchesNetworkx()
    {
        QFETCH(QString, name);
        const MeasureReference ref = loadMeasures(name.toStdString());
        const auto model = openModel(modelCase(name.toStdString()));
        RunRequest request;
        request.ids = ref.ids;
        request.measure = Measure::Flow;
        const int L = model->info().layers;
        request.flow = RunRequest::Flow{0, std::vector<bool>(static_cast<std::size_t>(model->info().heads), true), L - 1};
        const auto result = runWithStatistics(*model, request);
        QVERIFY(result->flow && result->flow->covers(0, request.flow->heads, L - 1));
        const Matrix& f = result->flow->flow;
        const Matrix expected = Eigen::Map<const Matrix>(ref.flow.data(), f.rows(), f.cols());
        QVERIFY2(maxAbsDiff(f, expected) < tolerance, qPrintable(QString::number(maxAbsDiff(f, expected))));
    }

    void logitLensMatchesTorch_data() { valueWeightedMatchesTorch_data(); }

    void logitLensMatchesTorch()
    {
        QFETCH(QString, name);
        const MeasureReference ref = loadMeasures(name.toStdString());
        const auto result = runMeasured(name.toStdString(), ref.ids);
        QVERIFY(result->logitLens.has_value());
        const LogitLens& lens = *result->logitLens;
        const int L = ref.lensShape[0], T = ref.lensShape[1], V = ref.lensShape[2];
        QCOMPARE(lens.layers, L);
        QCOMPARE(static_cast<int>(lens.positions.size()), T); // small enough to read every position
        for (int l = 0; l < L; ++l) {
            for (int t = 0; t < T; ++t) {
                const float* row = ref.lens.data() + (static_cast<std::size_t>(l) * T + t) * V;
                double z = 0.0;
                const float peak = *std::max_element(row, row + V);
                for (int v = 0; v < V; ++v)
                    z += std::exp(static_cast<double>(row[v] - peak));
                for (int k = 0; k < lens.top; ++k) {
                    const Prediction& p = lens.at(l, t, k);
                    QVERIFY(close(p.logit, row[p.id]));
                    QVERIFY(std::abs(p.probability - std::exp(row[p.id] - peak) / z) < 1e-5);
                }
                QCOMPARE(lens.at(l, t, 0).id, static_cast<int>(std::max_element(row, row + V) - row));
            }
        }
    }

    void attributionMatchesTorch_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("gpt2") << QString("gpt2");
        QTest::newRow("qwen2") << QString("qwen2");
    }

    void attributionMatchesTorch()
    {
        QFETCH(QString, name);
        const MeasureReference ref = loadMeasures(name.toStdString());
        const auto result = runMeasured(name.toStdString(), ref.ids);
        QVERIFY(result->attribution.has_value());
        const LogitAttribution& a = *result->attribution;
        const json::Value& parts = *ref.attribution->find("parts");
        QCOMPARE(a.target, static_cast<int>(ref.attribution->find("target")->asNumber()));
        QCOMPARE(a.position, static_cast<int>(ref.ids.size()) - 1);
        const double logit = ref.attribution->find("logit")->asNumber();
        QVERIFY(close(a.logit, logit));
        QVERIFY2(close(a.total(), logit), "the parts must add up to the logit");
        QVERIFY(close(a.embedding, parts.find("embedding")->asNumber()));
        QVERIFY(close(a.finalBias, parts.find("final_bias")->asNumber()));
        for (int l = 0; l < a.layers; ++l) {
            const std::string layer = "L" + std::to_string(l);
            for (int h = 0; h < a.heads; ++h)
                QVERIFY(close(a.headAt(l, h), parts.find(layer + ".H" + std::to_string(h))->asNumber()));
            QVERIFY(close(a.attentionBias[static_cast<std::size_t>(l)], parts.find(layer + ".bias")->asNumber()));
            QVERIFY(close(a.mlp[static_cast<std::size_t>(l)], parts.find(layer + ".mlp")->asNumber()));
        }
    }

    void attributionOfAnAblatedHeadIsZeroAndStillAddsUp()
    {
        const MeasureReference ref = loadMeasures("gpt2");
        const auto result = runMeasured("gpt2", ref.ids, {{1, 2}});
        const LogitAttribution& a = *result->attribution;
        QCOMPARE(a.headAt(1, 2), 0.0f);
        QVERIFY(std::abs(a.total() - a.logit) <= tolerance * std::max(1.0f, std::abs(a.logit)));
        // The ablated head's share went somewhere: the logit is not the unablated one.
        QVERIFY(std::abs(a.logit - ref.attribution->find("logit")->asNumber()) > 1e-3 ||
                a.target != static_cast<int>(ref.attribution->find("target")->asNumber()));
    }

    void attributionIsRefusedWhereUndefined()
    {
        const MeasureReference ref = loadMeasures("bert");
        const auto result = runMeasured("bert", ref.ids);
        QVERIFY(!result->attribution);
        const bool said = std::any_of(result->notices.begin(), result->notices.end(), [](const std::string& n) {
            return n.rfind("direct logit attribution is not defined", 0) == 0;
        });
        QVERIFY(said);
    }

    void headImportanceIsTheLogProbabilityChange()
    {
        const auto model = openModel(modelCase("gpt2"));
        RunRequest base;
        base.ids = loadMeasures("gpt2").ids;
        base.ablatedHeads = {{0, 1}};
        int calls = 0, last = 0;
        const HeadImportance importance = headImportance(*model, base, [&](int done, int total) {
            ++calls;
            last = done;
            QCOMPARE(total, 8);
        });
        QCOMPARE(calls, 8);
        QCOMPARE(last, 8);
        QVERIFY(std::isnan(importance.at(0, 1))); // already ablated by the request
        // An independent reading: every probability of the next token (the vocabulary is 96).
        const auto logP = [&](const std::set<std::pair<int, int>>& ablated) {
            RunRequest r = base;
            r.ablatedHeads = ablated;
            r.topK = 96;
            const auto result = model->run(r); // held: the loop reads its predictions
            for (const Prediction& p : result->nextToken)
                if (p.id == importance.target) return std::log(static_cast<double>(p.probability));
            return std::nan("");
        };
        const double before = logP({{0, 1}});
        QVERIFY2(std::abs(importance.baseLogProbability - before) < 1e-4, qPrintable(QString("%1 vs %2").arg(importance.baseLogProbability).arg(before)));
        for (const auto& [l, h] : std::vector<std::pair<int, int>>{{0, 0}, {1, 2}, {1, 3}}) {
            const double change = logP({{0, 1}, {l, h}}) - before;
            QVERIFY2(std::abs(importance.at(l, h) - change) < 1e-4, qPrintable(QString("L%1 H%2").arg(l).arg(h)));
        }
        // The target is the unablated-by-importance run's top prediction.
        RunRequest top = base;
        QCOMPARE(importance.target, model->run(top)->nextToken.front().id);
    }

    void headImportanceStopsWhenCancelled()
    {
        const auto model = openModel(modelCase("gpt2"));
        std::atomic<bool> cancel{false};
        RunRequest base;
        base.ids = loadMeasures("gpt2").ids;
        base.cancel = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, headImportance(*model, base, [&](int done, int) {
            if (done == 3) cancel = true;
        }));
    }

    void readingsAreBoundedWithAReason()
    {
        // GPT-2 small and the Qwen2.5-0.5B shape.
        TransformerInfo gpt2;
        gpt2.layers = 12, gpt2.heads = 12, gpt2.dModel = 768, gpt2.vocab = 50257;
        TransformerInfo qwen;
        qwen.layers = 24, qwen.heads = 14, qwen.dModel = 896, qwen.vocab = 151936;
        std::vector<std::string> notices;
        QVERIFY(altiAffordable(gpt2, 190, notices) && notices.empty());
        QVERIFY(!altiAffordable(gpt2, 191, notices));
        QVERIFY(QString::fromStdString(notices.back()).contains("up to 190 tokens"));
        QVERIFY(valueWeightingAffordable(qwen, 4096, notices));
        QVERIFY(!valueWeightingAffordable(qwen, 16384, notices));
        QVERIFY(QString::fromStdString(notices.back()).contains("up to 10699 tokens"));
        QCOMPARE(lensRows(gpt2, 40, 39, notices).size(), std::size_t(40)); // 12 × 40 × 50257 < 2^25
        QCOMPARE(lensRows(gpt2, 64, 12, notices), std::vector<Index>{12});
        QVERIFY(QString::fromStdString(notices.back()).startsWith("logit lens read at position 12 only"));
    }

    void rawRequestsCarryNothingExtra()
    {
        const auto model = openModel(modelCase("gpt2"));
        RunRequest request;
        request.ids = loadMeasures("gpt2").ids;
        const auto result = runWithStatistics(*model, request);
        QCOMPARE(result->stacks.at(0).measure, Measure::Raw);
        QVERIFY(result->stacks.at(0).valueGram.empty());
        QVERIFY(!result->logitLens && !result->attribution);
    }
};

QTEST_GUILESS_MAIN(TestMeasures)
#include "test_measures.moc"
