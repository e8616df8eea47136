// Fewer dimensions for a real head (attention/dimensionreduction.h, attention/lessonfromhead.h):
// PCA and the largest-variance coordinates against values worked by hand, and a lesson made from
// a head whose weights are what the formula gives for the reduced inputs.
#include "../../matrixrows.h"
#include "attention/lessonfromhead.h"
#include "attention/lessonwriter.h"

#include <QTest>

#include <cmath>

using namespace attnviz;

namespace {

using testdata::rows;

bool near(const Matrix& a, const Matrix& b, float tolerance = 1e-5f)
{
    return a.rows() == b.rows() && a.cols() == b.cols() && (a - b).cwiseAbs().maxCoeff() <= tolerance;
}

// softmax(X·W_Q·(X·W_K)ᵀ / √d_k) over the allowed keys, written out from the formula.
Matrix formulaWeights(const Matrix& x, const Matrix& wq, const Matrix& wk, const MaskMatrix& mask)
{
    const Matrix scores = (x * wq) * (x * wk).transpose() / std::sqrt(float(wq.cols()));
    Matrix w = Matrix::Zero(scores.rows(), scores.cols());
    for (Index i = 0; i < scores.rows(); ++i) {
        float sum = 0;
        for (Index j = 0; j < scores.cols(); ++j) {
            if (mask(i, j)) sum += w(i, j) = std::exp(scores(i, j));
        }
        w.row(i) /= sum;
    }
    return w;
}

HeadSample sample()
{
    HeadSample s;
    s.model = "toy";
    s.layer = 1;
    s.head = 2;
    s.tokens = {"a", "b", "c", "d"};
    s.x = rows({{1, 0.5f, -1}, {0, 2, 1}, {2, -1, 0.5f}, {-1, 1, 3}});
    s.wq = rows({{1, 0}, {0.5f, 1}, {0, -1}});
    s.wk = rows({{0, 1}, {1, 0}, {0.5f, 0.5f}});
    s.wv = rows({{1, 2}, {0, 1}, {1, 0}});
    s.mask = MaskMatrix::Ones(4, 4).triangularView<Eigen::Lower>();
    return s;
}

} // namespace

class TestLessonFromHead : public QObject
{
    Q_OBJECT
private slots:
    void pcaOfOneDirection()
    {
        // XᵀX = [[5, 5], [5, 5]]: one direction (1, 1)/√2 with σ² = 10; X·P = (√2, 2√2).
        const DimensionReduction r = reduceDimensions(rows({{1, 1}, {2, 2}}), 1, ReductionMethod::Pca);
        const float h = 1.0f / std::sqrt(2.0f);
        QVERIFY(near(r.basis, rows({{h}, {h}})));
        QCOMPARE(r.strength.size(), std::size_t(1));
        QVERIFY(std::abs(r.strength[0] - 10.0) < 1e-9);
        QVERIFY(near(rows({{1, 1}, {2, 2}}) * r.basis, rows({{std::sqrt(2.0f)}, {2 * std::sqrt(2.0f)}})));
    }

    void pcaOrdersDirectionsAndPadsWithZeros()
    {
        // X·Xᵀ = diag(9, 4): first (1, 0, 0), then (0, 0, 1); only two rows, so a third is zero.
        const Matrix x = rows({{-3, 0, 0}, {0, 0, 2}});
        const DimensionReduction r = reduceDimensions(x, 3, ReductionMethod::Pca);
        QVERIFY(near(r.basis, rows({{1, 0, 0}, {0, 0, 0}, {0, 1, 0}})));
        QVERIFY(std::abs(r.strength[0] - 9.0) < 1e-9);
        QVERIFY(std::abs(r.strength[1] - 4.0) < 1e-9);
        QVERIFY(near(x * r.basis, rows({{-3, 0, 0}, {0, 2, 0}})));
    }

    void largestVarianceKeepsCoordinates()
    {
        // Column variances 8/3, 0 and 50/3: keep coordinates 0 and 2, as they are.
        const Matrix x = rows({{1, 10, 0}, {3, 10, 5}, {5, 10, -5}});
        const DimensionReduction r = reduceDimensions(x, 2, ReductionMethod::LargestVariance);
        QCOMPARE(r.dimensions, (std::vector<Index>{0, 2}));
        QVERIFY(std::abs(r.strength[0] - 8.0 / 3.0) < 1e-9);
        QVERIFY(std::abs(r.strength[1] - 50.0 / 3.0) < 1e-9);
        QVERIFY(near(x * r.basis, rows({{1, 0}, {3, 5}, {5, -5}})));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reduceDimensions(x, 4, ReductionMethod::Pca));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reduceDimensions(x, 0, ReductionMethod::Pca));
    }

    // Every dimension kept: the lesson is the real head on the chosen tokens, exactly.
    void allDimensionsGiveTheHeadItself()
    {
        const HeadSample s = sample();
        const Lesson l = lessonFromHead(s, {0, 2, 3}, 3, ReductionMethod::LargestVariance);
        QCOMPARE(l.tokens, (std::vector<std::string>{"a", "c", "d"}));
        QCOMPARE(l.mask.kind, MaskKind::Causal); // the causal mask of the chosen tokens
        Matrix x(3, 3);
        x << s.x.row(0), s.x.row(2), s.x.row(3);
        const MaskMatrix causal = MaskMatrix::Ones(3, 3).triangularView<Eigen::Lower>();
        QVERIFY(near(runLesson(l).heads[0].weights, formulaWeights(x, s.wq, s.wk, causal)));
        QVERIFY(QString::fromStdString(l.description).contains("approximation"));
        QVERIFY(QString::fromStdString(l.description).contains("largest-variance"));
        QCOMPARE(parseLesson(lessonToJson(l)).description, l.description);
    }

    // Two of three dimensions by PCA: the weights are the formula's for X projected onto P.
    void reducedHeadIsTheFormulaOnProjectedInputs()
    {
        HeadSample s = sample();
        s.mask.setOnes(); // bidirectional
        const Lesson l = lessonFromHead(s, {0, 1, 2, 3}, 2, ReductionMethod::Pca);
        QCOMPARE(l.embeddings.cols(), Index(2));
        QCOMPARE(l.heads[0].wq.rows(), Index(2));
        QCOMPARE(l.heads[0].wq.cols(), Index(2)); // d_k stays the head's own
        QCOMPARE(l.mask.kind, MaskKind::None);
        const DimensionReduction r = reduceDimensions(s.x, 2, ReductionMethod::Pca);
        const Matrix projected = s.x * r.basis * r.basis.transpose();
        const Matrix expected = formulaWeights(projected, s.wq, s.wk, s.mask);
        QVERIFY(near(runLesson(l).heads[0].weights, expected));
        // And not the unreduced head: the approximation is visible, not hidden.
        QVERIFY(!near(expected, formulaWeights(s.x, s.wq, s.wk, s.mask), 1e-3f));
        QVERIFY(QString::fromStdString(l.description).contains("PCA"));
    }

    void refusesWithAReason()
    {
        const HeadSample s = sample();
        QVERIFY_THROWS_EXCEPTION(LessonError, lessonFromHead(s, {}, 2, ReductionMethod::Pca));
        QVERIFY_THROWS_EXCEPTION(LessonError, lessonFromHead(s, {2, 1}, 2, ReductionMethod::Pca));
        QVERIFY_THROWS_EXCEPTION(LessonError, lessonFromHead(s, {0, 9}, 2, ReductionMethod::Pca));
        QVERIFY_THROWS_EXCEPTION(LessonError, lessonFromHead(s, {0, 1}, 4, ReductionMethod::Pca));
    }
};

QTEST_APPLESS_MAIN(TestLessonFromHead)
#include "test_lessonfromhead.moc"
