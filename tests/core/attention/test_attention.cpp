// Hand-computed checks of every attention stage. Expected values were worked out by hand
// (and are written out in the comments) so they do not depend on the code under test.
#include "attention/attention.h"

#include <QTest>

#include <omp.h>

#include <cmath>
#include <cstring>
#include <random>

using namespace attnviz;

namespace {

Matrix mat(Index rows, Index cols, std::initializer_list<float> values)
{
    Matrix m(rows, cols);
    auto it = values.begin();
    for (Index i = 0; i < rows; ++i)
        for (Index j = 0; j < cols; ++j) m(i, j) = *it++;
    return m;
}

bool near(const Matrix& a, const Matrix& b, float tol)
{
    return a.rows() == b.rows() && a.cols() == b.cols() && ((a - b).cwiseAbs().maxCoeff() <= tol);
}

// The three-input example of "Illustrated: Self-Attention" (no scaling), computed by hand:
// Q rows [1,0,2] [2,2,2] [2,1,3]; K rows [0,1,1] [4,4,0] [2,3,1]; V rows [1,2,3] [2,8,0] [2,6,3].
HeadWeights tutorialHead()
{
    return {"tutorial", mat(4, 3, {1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1}), mat(4, 3, {0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0}),
            mat(4, 3, {0, 2, 0, 0, 3, 0, 1, 0, 3, 1, 1, 0})};
}
Matrix tutorialInput()
{
    return mat(3, 4, {1, 0, 1, 0, 0, 2, 0, 2, 1, 1, 1, 1});
}

Matrix randomMatrix(Index r, Index c, std::mt19937& rng)
{
    std::normal_distribution<float> dist(0.0f, 1.0f);
    Matrix m(r, c);
    for (Index i = 0; i < r * c; ++i) m.data()[i] = dist(rng);
    return m;
}

} // namespace

class TestAttention : public QObject
{
    Q_OBJECT
private slots:
    void projectionsAndScores()
    {
        AttentionOptions opt;
        opt.scale = false;
        const auto r = multiHeadAttention(tutorialInput(), tutorialInput(), {tutorialHead()}, nullptr, opt);
        const HeadCapture& h = r.heads.front();
        QVERIFY(near(h.q, mat(3, 3, {1, 0, 2, 2, 2, 2, 2, 1, 3}), 0));
        QVERIFY(near(h.k, mat(3, 3, {0, 1, 1, 4, 4, 0, 2, 3, 1}), 0));
        QVERIFY(near(h.v, mat(3, 3, {1, 2, 3, 2, 8, 0, 2, 6, 3}), 0));
        // scores = Q·Kᵀ: row 0 = [2, 4, 4], row 1 = [4, 16, 12], row 2 = [4, 12, 10]
        QVERIFY(near(h.scores, mat(3, 3, {2, 4, 4, 4, 16, 12, 4, 12, 10}), 0));
        QVERIFY(near(h.scaled, h.scores, 0)); // scaling off
        QVERIFY(!h.scaledByRootDk);
    }

    void softmaxAndOutput()
    {
        AttentionOptions opt;
        opt.scale = false;
        const auto r = multiHeadAttention(tutorialInput(), tutorialInput(), {tutorialHead()}, nullptr, opt);
        const HeadCapture& h = r.heads.front();
        // softmax([2,4,4]) = [e², e⁴, e⁴]/(e² + 2e⁴) = [0.0633789, 0.4683105, 0.4683105]
        QVERIFY(near(h.weights.row(0), mat(1, 3, {0.0633789f, 0.4683105f, 0.4683105f}), 2e-6f));
        // softmax([4,16,12]) = [e⁻¹², 1, e⁻⁴]/(1 + e⁻⁴ + e⁻¹²) = [6.03366e-6, 0.9820078, 0.0179861]
        QVERIFY(near(h.weights.row(1), mat(1, 3, {6.03366e-6f, 0.9820078f, 0.0179861f}), 2e-6f));
        // output row 0 = 0.0633789·[1,2,3] + 0.4683105·([2,8,0] + [2,6,3]) = [1.9366209, 6.6831048, 1.5950682]
        QVERIFY(near(h.output.row(0), mat(1, 3, {1.9366209f, 6.6831048f, 1.5950682f}), 1e-5f));
        // output row 1 = [1.9999939, 7.9639913, 0.0539764]
        QVERIFY(near(h.output.row(1), mat(1, 3, {1.9999939f, 7.9639913f, 0.0539764f}), 1e-5f));
        for (Index i = 0; i < 3; ++i) QCOMPARE(h.weights.row(i).sum(), 1.0f);
    }

    void scalingDividesByRootDk()
    {
        const auto r = multiHeadAttention(tutorialInput(), tutorialInput(), {tutorialHead()}, nullptr, {});
        const HeadCapture& h = r.heads.front();
        QVERIFY(h.scaledByRootDk);
        // d_k = 3: [2, 4, 4] / √3 = [1.1547005, 2.3094011, 2.3094011]
        QVERIFY(near(h.scaled.row(0), mat(1, 3, {1.1547005f, 2.3094011f, 2.3094011f}), 1e-6f));
        // softmax of that: [e^(−2/√3), 1, 1] / (e^(−2/√3) + 2) = [0.1361258, 0.4319371, 0.4319371]
        QVERIFY(near(h.weights.row(0), mat(1, 3, {0.1361258f, 0.4319371f, 0.4319371f}), 1e-6f));
    }

    void causalMaskZeroesTheFuture()
    {
        AttentionOptions opt;
        opt.mask = MaskSpec::causal();
        opt.scale = false;
        const auto r = multiHeadAttention(tutorialInput(), tutorialInput(), {tutorialHead()}, nullptr, opt);
        const HeadCapture& h = r.heads.front();
        // Row 0 sees only itself; row 1 sees keys 0,1: softmax([4,16]) = [6.14417e-6, 0.9999939].
        QCOMPARE(h.weights(0, 0), 1.0f);
        QCOMPARE(h.weights(0, 1), 0.0f);
        QCOMPARE(h.weights(1, 2), 0.0f);
        QVERIFY(std::abs(h.weights(1, 0) - 6.1441746e-6f) < 1e-9f);
        QVERIFY(std::abs(h.weights(1, 1) - 0.9999939f) < 1e-6f);
        QVERIFY(near(h.output.row(0), h.v.row(0), 0));
        QCOMPARE(h.mask(0, 1), std::uint8_t(0));
        QCOMPARE(h.mask(2, 2), std::uint8_t(1));
    }

    void causalMaskWithMoreKeysAlignsAtTheEnd()
    {
        // T = 2 queries over S = 4 keys: query 0 is position 2, so it sees keys 0..2.
        const MaskMatrix m = buildMask(MaskSpec::causal(), 2, 4);
        MaskMatrix expected(2, 4);
        expected << 1, 1, 1, 0, 1, 1, 1, 1;
        QVERIFY(m == expected);
    }

    void paddingMaskHidesPaddedKeys()
    {
        AttentionOptions opt;
        opt.mask = MaskSpec::padding({1, 1, 0});
        opt.scale = false;
        const auto r = multiHeadAttention(tutorialInput(), tutorialInput(), {tutorialHead()}, nullptr, opt);
        const HeadCapture& h = r.heads.front();
        // Row 0: softmax([2, 4]) = [0.1192029, 0.8807971], key 2 is padding.
        QVERIFY(near(h.weights.row(0), mat(1, 3, {0.1192029f, 0.8807971f, 0}), 1e-6f));
        for (Index i = 0; i < 3; ++i) QCOMPARE(h.weights(i, 2), 0.0f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, buildMask(MaskSpec::padding({1, 0}), 3, 3));
    }

    void fullyMaskedRowIsZeroAndFlagged()
    {
        MaskMatrix custom(3, 3);
        custom << 1, 0, 1, 0, 0, 0, 0, 1, 0;
        AttentionOptions opt;
        opt.mask = MaskSpec::matrix(custom);
        opt.scale = false;
        const auto r = multiHeadAttention(tutorialInput(), tutorialInput(), {tutorialHead()}, nullptr, opt);
        const HeadCapture& h = r.heads.front();
        QVERIFY(h.weights.allFinite());
        QVERIFY(h.output.allFinite());
        QVERIFY(h.weights.row(1).isZero(0));
        QVERIFY(h.output.row(1).isZero(0));
        QCOMPARE(h.fullyMasked, (std::vector<std::uint8_t>{0, 1, 0}));
        // Row 0 sees keys 0 and 2: softmax([2, 4]) over them; row 2 sees only key 1.
        QVERIFY(near(h.weights.row(0), mat(1, 3, {0.1192029f, 0, 0.8807971f}), 1e-6f));
        QVERIFY(near(h.weights.row(2), mat(1, 3, {0, 1, 0}), 0));
    }

    void softmaxIsStableForHugeLogits()
    {
        Matrix logits = mat(2, 3, {1000, 1000, -1000, 3e38f, -3e38f, 3e38f});
        MaskMatrix all = MaskMatrix::Ones(2, 3);
        Matrix w;
        std::vector<std::uint8_t> flags;
        maskedSoftmaxRows(logits, all, w, flags);
        QVERIFY(w.allFinite());
        QVERIFY(near(w, mat(2, 3, {0.5f, 0.5f, 0, 0.5f, 0, 0.5f}), 1e-7f));
    }

    void crossAttentionWithDifferentLengths()
    {
        // Two queries over three source tokens, d_model 2, d_k = d_v = 1.
        const Matrix x = mat(2, 2, {1, 0, 0, 1});
        const Matrix src = mat(3, 2, {1, 0, 0, 1, 1, 1});
        const HeadWeights w{"x", mat(2, 1, {1, 0}), mat(2, 1, {1, 0}), mat(2, 1, {1, 2})};
        AttentionOptions opt;
        opt.scale = false;
        const auto r = multiHeadAttention(x, src, {w}, nullptr, opt);
        const HeadCapture& h = r.heads.front();
        QCOMPARE(h.weights.rows(), Index(2));
        QCOMPARE(h.weights.cols(), Index(3));
        // q = [1], [0]; k = [1], [0], [1]; v = [1], [2], [3].
        // Row 0: softmax([1,0,1]) = [e, 1, e]/(2e+1) = [0.4223188, 0.1553624, 0.4223188]
        QVERIFY(near(h.weights.row(0), mat(1, 3, {0.4223188f, 0.1553624f, 0.4223188f}), 1e-6f));
        // Row 1: all scores 0 -> uniform; output = (1 + 2 + 3)/3 = 2
        QVERIFY(near(h.weights.row(1), mat(1, 3, {1.f / 3, 1.f / 3, 1.f / 3}), 1e-7f));
        QVERIFY(std::abs(h.output(1, 0) - 2.0f) < 1e-6f);
        // Row 0 output = 0.4223188·1 + 0.1553624·2 + 0.4223188·3 = 2
        QVERIFY(std::abs(h.output(0, 0) - 2.0f) < 1e-6f);
    }

    void concatAndOutputProjection()
    {
        // Two heads with d_v = 1 on a single token: each head's output is its value.
        const Matrix x = mat(1, 2, {1, 2});
        const HeadWeights a{"a", mat(2, 1, {1, 0}), mat(2, 1, {1, 0}), mat(2, 1, {1, 0})}; // v = 1
        const HeadWeights b{"b", mat(2, 1, {0, 1}), mat(2, 1, {0, 1}), mat(2, 1, {0, 1})}; // v = 2
        const Matrix wo = mat(2, 3, {1, 0, 2, 0, 1, 3});
        const auto r = multiHeadAttention(x, x, {a, b}, &wo, {});
        QVERIFY(near(r.concat, mat(1, 2, {1, 2}), 0));
        // [1, 2]·W_O = [1, 2, 1·2 + 2·3] = [1, 2, 8]
        QVERIFY(near(r.output, mat(1, 3, {1, 2, 8}), 0));
        QVERIFY(r.hasOutputProjection);
        QCOMPARE(r.heads[1].name, std::string("b"));
        const auto noWo = multiHeadAttention(x, x, {a, b}, nullptr, {});
        QVERIFY(near(noWo.output, noWo.concat, 0));
    }

    void shapeErrorsNameTheMatrix()
    {
        const HeadWeights bad{"bad", mat(3, 1, {1, 0, 0}), mat(2, 1, {1, 0}), mat(2, 1, {1, 0})};
        try {
            multiHeadAttention(mat(1, 2, {1, 2}), mat(1, 2, {1, 2}), {bad}, nullptr, {});
            QFAIL("no error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("d_model = 2"), e.what());
        }
        const Matrix wo = mat(3, 1, {1, 1, 1});
        const HeadWeights ok{"ok", mat(2, 1, {1, 0}), mat(2, 1, {1, 0}), mat(2, 1, {1, 0})};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 multiHeadAttention(mat(1, 2, {1, 2}), mat(1, 2, {1, 2}), {ok}, &wo, {}));
    }

    void cancellationStopsTheJob()
    {
        std::atomic<bool> cancel{true};
        AttentionOptions opt;
        opt.cancel = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, multiHeadAttention(tutorialInput(), tutorialInput(), {tutorialHead()},
                                                               nullptr, opt));
    }

    void identicalWithOneAndTwoThreads()
    {
        std::mt19937 rng(7);
        const Matrix x = randomMatrix(67, 48, rng);
        std::vector<HeadWeights> heads;
        for (int h = 0; h < 8; ++h) {
            heads.push_back({"", randomMatrix(48, 16, rng), randomMatrix(48, 16, rng), randomMatrix(48, 12, rng)});
        }
        const Matrix wo = randomMatrix(8 * 12, 48, rng);
        AttentionOptions opt;
        opt.mask = MaskSpec::causal();
        const int saved = omp_get_max_threads();
        omp_set_num_threads(1);
        const auto one = multiHeadAttention(x, x, heads, &wo, opt);
        omp_set_num_threads(2);
        const auto two = multiHeadAttention(x, x, heads, &wo, opt);
        omp_set_num_threads(saved);
        for (std::size_t h = 0; h < heads.size(); ++h) {
            QVERIFY(std::memcmp(one.heads[h].weights.data(), two.heads[h].weights.data(),
                                sizeof(float) * std::size_t(one.heads[h].weights.size())) == 0);
        }
        QVERIFY(std::memcmp(one.output.data(), two.output.data(), sizeof(float) * std::size_t(one.output.size())) == 0);
    }
};

QTEST_APPLESS_MAIN(TestAttention)
#include "test_attention.moc"
