// The attention budget (engine/captureplan.h): a run keeps every map when they fit, else whole
// layers around the one shown, else heads of that layer; the maps it keeps are exactly those of a
// full capture, the predictions do not change, and only an input whose single map cannot fit is cut.

#include "engine/captureplan.h"
#include "modelfixture.h"
#include "registry/modelregistry.h"

#include <QTest>

#include <algorithm>

using namespace attnviz;
using namespace attnviz::testing;

namespace {

std::vector<int> heldIndices(const std::vector<bool>& heads)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < heads.size(); ++i)
        if (heads[i]) out.push_back(static_cast<int>(i));
    return out;
}

} // namespace

class TestCaptureBudget : public QObject
{
    Q_OBJECT
private slots:
    void plansWhatFits()
    {
        // 4 layers × 3 heads of 10² floats = 4800 bytes in all.
        CapturePlan all = planCapture(4, 3, 10, 0, 0, 4800);
        QVERIFY(all.heads.empty() && all.notice.empty() && all.tokens == 10);
        // Room for 7 maps: two whole layers, around layer 3 (the last two).
        CapturePlan layers = planCapture(4, 3, 10, 3, 0, 7 * 400);
        QCOMPARE(heldIndices(layers.heads), (std::vector<int>{6, 7, 8, 9, 10, 11}));
        QVERIFY2(layers.notice.find("layers 2–3 of 4") != std::string::npos, layers.notice.c_str());
        // Around layer 1 with room for two layers: layers 0–1.
        QCOMPARE(heldIndices(planCapture(4, 3, 10, 1, 0, 6 * 400).heads), (std::vector<int>{0, 1, 2, 3, 4, 5}));
        // Room for 2 maps: two heads of the focused layer, around the focused head.
        CapturePlan heads = planCapture(4, 3, 10, 2, 2, 2 * 400 + 399);
        QCOMPARE(heldIndices(heads.heads), (std::vector<int>{7, 8}));
        QVERIFY2(heads.notice.find("layer 2 heads 1–2 of 3") != std::string::npos, heads.notice.c_str());
        // Not even one map: the input is cut to the longest whose map fits (20² × 4 = 1600 bytes).
        CapturePlan cut = planCapture(4, 3, 50, 9, 9, 1600);
        QCOMPARE(cut.tokens, 20);
        QCOMPARE(heldIndices(cut.heads), (std::vector<int>{11})); // focus clamped to layer 3 head 2
        QVERIFY2(cut.notice.find("input truncated to 20 tokens") != std::string::npos, cut.notice.c_str());
        // Degenerate shapes keep everything they have.
        QVERIFY(planCapture(0, 3, 10, 0, 0, 1).heads.empty());
        QCOMPARE(planCapture(2, 2, 0, 0, 0, 1).tokens, 0);
    }

    void keptMapsAreThoseOfAFullRun()
    {
        const auto model = openModel(modelCase("gpt2")); // 2 layers × 4 heads
        const Reference ref = loadReference("gpt2");
        RunRequest request;
        request.ids = ref.ids;
        const auto full = model->run(request);
        const AttentionTensor& a = full->stacks[0].attention;
        const std::size_t perMap = std::size_t(a.queries) * a.keys * sizeof(float);

        request.pipelineHead = std::make_pair(1, 0);
        request.attentionBudgetBytes = 5 * perMap; // one layer of four heads
        const auto partial = model->run(request);
        const AttentionTensor& b = partial->stacks[0].attention;
        QCOMPARE(b.heldHeads(), 4);
        for (int h = 0; h < 4; ++h) {
            QVERIFY(!b.holds(0, h) && b.holds(1, h));
            QVERIFY(std::equal(a.head(1, h), a.head(1, h) + perMap / 4, b.head(1, h))); // bit for bit
        }
        QCOMPARE(b.data.size(), 4 * perMap / 4);
        QVERIFY(std::any_of(partial->notices.begin(), partial->notices.end(),
                            [](const std::string& n) { return n.find("keeping the attention maps of layer 1 of 2") != std::string::npos; }));
        // What the model predicts does not depend on what is kept.
        QCOMPARE(partial->nextToken.size(), full->nextToken.size());
        for (std::size_t i = 0; i < full->nextToken.size(); ++i) {
            QCOMPARE(partial->nextToken[i].id, full->nextToken[i].id);
            QCOMPARE(partial->nextToken[i].logit, full->nextToken[i].logit);
        }
        // The pipeline of a kept head still matches its map.
        QVERIFY(partial->pipeline && partial->pipeline->layer == 1);

        request.pipelineHead = std::make_pair(0, 3);
        request.attentionBudgetBytes = 2 * perMap; // two heads of layer 0, around head 3
        const auto two = model->run(request);
        const AttentionTensor& c = two->stacks[0].attention;
        QCOMPARE(c.heldHeads(), 2);
        QVERIFY(c.holds(0, 2) && c.holds(0, 3) && !c.holds(0, 1) && !c.holds(1, 3));
        QVERIFY(std::equal(a.head(0, 2), a.head(0, 2) + perMap / 4, c.head(0, 2)));
    }
};

QTEST_GUILESS_MAIN(TestCaptureBudget)
#include "test_capturebudget.moc"
