// The numerical building blocks under every forward pass, each against a plain double-precision
// loop written here: packed products (odd shapes, strides, bias, empty depth), softmax rows
// (masks, aliasing, huge logits), GELU and SiLU; and the recycling allocator's reuse.

#include "compute/packedgemm.h"
#include "compute/vectormath.h"
#include "util/recyclingallocator.h"

#include <QTest>

#include <omp.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace attnviz;
using namespace attnviz::compute;

namespace {

std::vector<float> randomFloats(std::size_t n, unsigned seed, float scale = 1.0f)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-scale, scale);
    std::vector<float> v(n);
    for (float& x : v)
        x = u(rng);
    return v;
}

} // namespace

class TestCompute : public QObject
{
    Q_OBJECT

private slots:
    void productMatchesReference_data();
    void productMatchesReference();
    void productIsIdenticalForAnyThreadCount();
    void packedColumnsRoundTrip();
    void softmaxMatchesReference();
    void softmaxMaskedAndEmptyRows();
    void softmaxHugeLogitsStayFinite();
    void geluAndSiluMatchReference();
    void elementWiseIgnoresHowWorkIsSplit();
    void allocatorReusesFreedBlocks();
};

void TestCompute::productMatchesReference_data()
{
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("n");
    QTest::addColumn<bool>("bias");
    QTest::newRow("1 x 1 x 1") << 1 << 1 << 1 << false;
    QTest::newRow("one row, wide (generation)") << 1 << 70 << 300 << true;
    QTest::newRow("rows 13, depth 257, cols 33") << 13 << 257 << 33 << true;
    QTest::newRow("rows 64 (strips 10/11), depth 513") << 64 << 513 << 96 << false;
    QTest::newRow("rows 100, cols 31") << 100 << 40 << 31 << true;
    QTest::newRow("empty depth: the bias alone") << 5 << 0 << 40 << true;
}

void TestCompute::productMatchesReference()
{
    QFETCH(int, m);
    QFETCH(int, k);
    QFETCH(int, n);
    QFETCH(bool, bias);
    // A and C with leading dimensions wider than their rows, as for column blocks of Q | K | V.
    const Index lda = k + 3;
    const Index ldc = n + 5;
    const std::vector<float> a = randomFloats(static_cast<std::size_t>(m * lda), 1);
    Matrix b = Eigen::Map<const Matrix>(randomFloats(static_cast<std::size_t>(k * n), 2).data(), k, n);
    const std::vector<float> bv = randomFloats(static_cast<std::size_t>(n), 3);
    const PackedMatrix packed(b);
    std::vector<float> c(static_cast<std::size_t>(m * ldc), 42.0f);
    multiplyPanels(a.data(), lda, m, packed.view(), bias ? bv.data() : nullptr, c.data(), ldc, true);

    double worst = 0;
    for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
            double sum = bias ? bv[static_cast<std::size_t>(j)] : 0.0;
            for (int p = 0; p < k; ++p)
                sum += double(a[static_cast<std::size_t>(i * lda + p)]) * double(b(p, j));
            worst = std::max(worst, std::abs(sum - double(c[static_cast<std::size_t>(i * ldc + j)])));
        }
        for (Index j = n; j < ldc; ++j) // padding columns of C are never written
            QCOMPARE(c[static_cast<std::size_t>(i * ldc + j)], 42.0f);
    }
    // float accumulation over at most 513 terms of size <= 1: stated tolerance 1e-4.
    QVERIFY2(worst < 1e-4, qPrintable(QString("max error %1").arg(worst)));
}

void TestCompute::productIsIdenticalForAnyThreadCount()
{
    const int m = 300, k = 700, n = 650;
    const std::vector<float> a = randomFloats(static_cast<std::size_t>(m * k), 4);
    const PackedMatrix packed(Eigen::Map<const Matrix>(randomFloats(static_cast<std::size_t>(k * n), 5).data(), k, n));
    std::vector<float> serial(static_cast<std::size_t>(m * n)), one(serial.size()), two(serial.size());
    multiplyPanels(a.data(), k, m, packed.view(), nullptr, serial.data(), n, false);
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    multiplyPanels(a.data(), k, m, packed.view(), nullptr, one.data(), n, true);
    omp_set_num_threads(2);
    multiplyPanels(a.data(), k, m, packed.view(), nullptr, two.data(), n, true);
    omp_set_num_threads(saved);
    QVERIFY(std::memcmp(serial.data(), one.data(), serial.size() * sizeof(float)) == 0);
    QVERIFY(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)) == 0);
}

void TestCompute::packedColumnsRoundTrip()
{
    const Matrix b = Eigen::Map<const Matrix>(randomFloats(37 * 70, 6).data(), 37, 70);
    const PackedMatrix packed(b);
    QCOMPARE(packed.rows(), Index(37));
    QCOMPARE(packed.cols(), Index(70));
    QVERIFY(packed.unpacked() == b);
    QVERIFY(packed.columns(31, 5) == b.middleCols(31, 5));
}

void TestCompute::softmaxMatchesReference()
{
    for (const Index n : {Index(1), Index(15), Index(16), Index(255), Index(257), Index(1000)}) {
        const std::vector<float> logits = randomFloats(static_cast<std::size_t>(n), 7, 8.0f);
        const std::vector<std::uint8_t> allowed(static_cast<std::size_t>(n), 1);
        std::vector<float> out(static_cast<std::size_t>(n));
        QVERIFY(softmaxRow(logits.data(), allowed.data(), n, 0.5f, out.data()));
        double top = -1e300, sum = 0;
        for (float x : logits)
            top = std::max(top, 0.5 * x);
        for (float x : logits)
            sum += std::exp(0.5 * x - top);
        for (Index j = 0; j < n; ++j) {
            const double expected = std::exp(0.5 * logits[static_cast<std::size_t>(j)] - top) / sum;
            QVERIFY2(std::abs(expected - out[static_cast<std::size_t>(j)]) < 1e-6,
                     qPrintable(QString("n %1, key %2").arg(n).arg(j)));
        }
    }
}

void TestCompute::softmaxMaskedAndEmptyRows()
{
    std::vector<float> row{1.0f, INFINITY, 3.0f, NAN, 2.0f};
    const std::vector<std::uint8_t> allowed{1, 0, 1, 0, 1};
    QVERIFY(softmaxRow(row.data(), allowed.data(), 5, 1.0f, row.data())); // in place
    QCOMPARE(row[1], 0.0f);
    QCOMPARE(row[3], 0.0f);
    const double sum = std::exp(-2.0) + 1.0 + std::exp(-1.0);
    QVERIFY(std::abs(row[0] - std::exp(-2.0) / sum) < 1e-7);
    QVERIFY(std::abs(row[2] - 1.0 / sum) < 1e-7);
    QVERIFY(std::abs(row[4] - std::exp(-1.0) / sum) < 1e-7);

    std::vector<float> empty{5.0f, 6.0f};
    const std::vector<std::uint8_t> none{0, 0};
    QVERIFY(!softmaxRow(empty.data(), none.data(), 2, 1.0f, empty.data()));
    QCOMPARE(empty, (std::vector<float>{0.0f, 0.0f}));
}

void TestCompute::softmaxHugeLogitsStayFinite()
{
    const std::vector<float> logits{1e30f, -1e30f, 1e30f};
    const std::vector<std::uint8_t> allowed{1, 1, 1};
    std::vector<float> out(3);
    QVERIFY(softmaxRow(logits.data(), allowed.data(), 3, 1.0f, out.data()));
    QCOMPARE(out, (std::vector<float>{0.5f, 0.0f, 0.5f}));
}

void TestCompute::geluAndSiluMatchReference()
{
    std::vector<float> x = randomFloats(1001, 8, 12.0f);
    x[0] = 0.0f;
    x[1] = -30.0f;
    x[2] = 30.0f;
    std::vector<float> gelu = x, silu = x;
    geluTanhInPlace(gelu.data(), Index(gelu.size()));
    siluInPlace(silu.data(), Index(silu.size()));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double v = x[i];
        const double g = 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v)));
        const double s = v / (1.0 + std::exp(-v));
        // Relative to the value's size, plus a little absolute slack near zero.
        QVERIFY2(std::abs(g - gelu[i]) <= 2e-6 * (1.0 + std::abs(g)), qPrintable(QString("gelu(%1)").arg(v)));
        QVERIFY2(std::abs(s - silu[i]) <= 2e-6 * (1.0 + std::abs(s)), qPrintable(QString("silu(%1)").arg(v)));
    }
}

void TestCompute::elementWiseIgnoresHowWorkIsSplit()
{
    const std::vector<float> x = randomFloats(777, 9, 6.0f);
    std::vector<float> whole = x, pieces = x;
    geluTanhInPlace(whole.data(), Index(whole.size()));
    // Odd offsets and lengths: every element must still take the same code path.
    geluTanhInPlace(pieces.data(), 3);
    geluTanhInPlace(pieces.data() + 3, 301);
    geluTanhInPlace(pieces.data() + 304, 473);
    QVERIFY(std::memcmp(whole.data(), pieces.data(), whole.size() * sizeof(float)) == 0);
}

void TestCompute::allocatorReusesFreedBlocks()
{
    using Floats = std::vector<float, RecyclingAllocator<float>>;
    const std::size_t n = std::size_t(3) << 20; // 12 MB: a large block
    const float* first = nullptr;
    {
        Floats a(n);
        a.back() = 1.0f;
        first = a.data();
    }
    QVERIFY(recycling::cachedBytes() >= n * sizeof(float));
    Floats b(n - 1000); // a similar size takes the freed block back
    QCOMPARE(static_cast<const float*>(b.data()), first);
    Floats small(10, 2.5f); // small ones use the ordinary heap and still construct values
    QCOMPARE(small[9], 2.5f);
}

QTEST_APPLESS_MAIN(TestCompute)
#include "test_compute.moc"
