// Attention rollout against values worked out by hand (two tokens, two layers), head selection,
// errors, and the shape of a real model's rollout (causal, rows summing to 1).

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "stats/rollout.h"

#include <QTest>

using namespace attnviz;

namespace {

// A (layers, heads, 2, 2) tensor from row-major 2 x 2 matrices, layer by layer, head by head.
AttentionTensor tensor(int layers, int heads, const std::vector<std::vector<float>>& matrices)
{
    AttentionTensor a;
    a.resize(layers, heads, 2, 2);
    for (std::size_t m = 0; m < matrices.size(); ++m)
        std::copy(matrices[m].begin(), matrices[m].end(), a.data.begin() + static_cast<std::ptrdiff_t>(4 * m));
    return a;
}

bool near(const Matrix& m, std::initializer_list<float> expected)
{
    Index i = 0;
    for (float e : expected) {
        if (std::abs(m(i / m.cols(), i % m.cols()) - e) > 1e-6f)
            return false;
        ++i;
    }
    return true;
}

} // namespace

class TestRollout : public QObject
{
    Q_OBJECT
private slots:
    void handWorkedTwoLayers();
    void averagesTheChosenHeads();
    void fullyMaskedRowKeepsItself();
    void rejectsBadInput();
    void realDecoderIsCausalAndNormalised();
};

void TestRollout::handWorkedTwoLayers()
{
    // Â0 = 0.5·[[1,0],[0.5,0.5]] + 0.5·I = [[1,0],[0.25,0.75]]
    // Â1 = 0.5·[[1,0],[0.8,0.2]] + 0.5·I = [[1,0],[0.4,0.6]]
    // R1 = Â1·Â0 = [[1,0],[0.4 + 0.6·0.25, 0.6·0.75]] = [[1,0],[0.55,0.45]]
    const AttentionTensor a = tensor(2, 1, {{1, 0, 0.5f, 0.5f}, {1, 0, 0.8f, 0.2f}});
    QVERIFY(near(attentionRollout(a, 0), {1, 0, 0.25f, 0.75f}));
    QVERIFY(near(attentionRollout(a, 1), {1, 0, 0.55f, 0.45f}));
    // No residual: the plain product of the attention matrices, [[1,0],[0.8 + 0.2·0.5, 0.1]].
    QVERIFY(near(attentionRollout(a, 1, {}, 0.0f), {1, 0, 0.9f, 0.1f}));
}

void TestRollout::averagesTheChosenHeads()
{
    // Heads [[1,0],[0.5,0.5]] and [[1,0],[0.1,0.9]]: mean row 1 = [0.3, 0.7] -> Â row 1 = [0.15, 0.85].
    const AttentionTensor a = tensor(1, 2, {{1, 0, 0.5f, 0.5f}, {1, 0, 0.1f, 0.9f}});
    QVERIFY(near(attentionRollout(a, 0), {1, 0, 0.15f, 0.85f}));
    QVERIFY(near(attentionRollout(a, 0, {true, false}), {1, 0, 0.25f, 0.75f}));
    QVERIFY(near(attentionRollout(a, 0, {false, true}), {1, 0, 0.05f, 0.95f}));
}

void TestRollout::fullyMaskedRowKeepsItself()
{
    const AttentionTensor a = tensor(1, 1, {{0, 0, 0.5f, 0.5f}});
    QVERIFY(near(attentionRollout(a, 0), {1, 0, 0.25f, 0.75f}));
}

void TestRollout::rejectsBadInput()
{
    const AttentionTensor a = tensor(1, 2, {{1, 0, 0.5f, 0.5f}, {1, 0, 0.1f, 0.9f}});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attentionRollout(a, 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attentionRollout(a, 0, {false, false}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attentionRollout(a, 0, {true}));
    AttentionTensor cross;
    cross.resize(1, 1, 2, 3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attentionRollout(cross, 0));
}

void TestRollout::realDecoderIsCausalAndNormalised()
{
    const auto model = openModel("builtin:decoder");
    RunRequest request;
    request.text = "The cat sat on the mat because it was tired.";
    const auto result = model->run(request);
    const AttentionTensor& a = result->stacks.at(0).attention;
    const Matrix r = attentionRollout(a, a.layers - 1);
    QCOMPARE(r.rows(), Index(a.queries));
    for (Index i = 0; i < r.rows(); ++i) {
        QVERIFY(std::abs(r.row(i).sum() - 1.0f) < 1e-5f);
        for (Index j = i + 1; j < r.cols(); ++j)
            QCOMPARE(r(i, j), 0.0f); // nothing flows from a later token
    }
}

QTEST_APPLESS_MAIN(TestRollout)
#include "test_rollout.moc"
