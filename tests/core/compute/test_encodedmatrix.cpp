// Weights kept encoded (compute/encodedmatrix.h): the product over encoded rows must equal the
// packed-float product on the same values bit for bit (the same FMA chains), for odd shapes,
// bias, more rows than one chunk, any thread count, and rows joined or reordered from several
// tensors; head slices and single rows decode to the stored values.

#include "compute/encodedmatrix.h"
#include "compute/packedgemm.h"
#include "compute/weightmatrix.h"

#include <QTest>

#include <omp.h>

#include <cstring>
#include <random>
#include <vector>

using namespace attnviz;
using namespace attnviz::compute;

namespace {

std::vector<float> randomFloats(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v)
        x = u(rng);
    return v;
}

// IEEE half of x, rounded toward zero (exactness is not the point: the test compares decodings).
std::uint16_t toHalf(float x)
{
    std::uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    const std::uint32_t sign = (bits >> 16) & 0x8000u;
    const int exponent = static_cast<int>((bits >> 23) & 0xff) - 127 + 15;
    if (exponent <= 0)
        return static_cast<std::uint16_t>(sign);
    return static_cast<std::uint16_t>(sign | (static_cast<std::uint32_t>(exponent) << 10) | ((bits >> 13) & 0x3ffu));
}

// N stored rows of K values (the (out, in) layout) as bytes of `type`, and the same values as B (K, N).
struct StoredWeights
{
    std::vector<std::uint8_t> bytes;
    Matrix b;
};

StoredWeights makeWeights(GgmlType type, Index k, Index n, unsigned seed)
{
    const std::vector<float> values = randomFloats(static_cast<std::size_t>(k * n), seed);
    StoredWeights w;
    w.b = Matrix(k, n);
    const std::size_t size = type == GgmlType::F32 ? 4 : 2;
    w.bytes.resize(values.size() * size);
    for (Index r = 0; r < n; ++r) {
        for (Index c = 0; c < k; ++c) {
            const std::size_t i = static_cast<std::size_t>(r * k + c);
            if (type == GgmlType::F32) {
                std::memcpy(w.bytes.data() + 4 * i, &values[i], 4);
            } else {
                const std::uint16_t h = toHalf(values[i]);
                std::memcpy(w.bytes.data() + 2 * i, &h, 2);
            }
        }
    }
    const EncodedMatrix encoded(type, w.bytes.data(), k, n, nullptr);
    for (Index r = 0; r < n; ++r) { // B's columns are the decoded rows
        std::vector<float> row(static_cast<std::size_t>(k));
        encoded.decodeRow(r, row.data());
        for (Index c = 0; c < k; ++c)
            w.b(c, r) = row[static_cast<std::size_t>(c)];
    }
    return w;
}

bool identical(const Matrix& x, const Matrix& y)
{
    return x.rows() == y.rows() && x.cols() == y.cols() &&
           std::memcmp(x.data(), y.data(), static_cast<std::size_t>(x.size()) * sizeof(float)) == 0;
}

Matrix packedProduct(const Matrix& a, const Matrix& b, const RowVector& bias)
{
    Matrix c(a.rows(), b.cols());
    const PackedMatrix packed(b);
    multiplyPanels(a.data(), a.cols(), a.rows(), packed.view(), bias.size() ? bias.data() : nullptr, c.data(),
                   c.cols(), true);
    return c;
}

Matrix encodedProduct(const Matrix& a, const EncodedMatrix& b, const RowVector& bias)
{
    Matrix c(a.rows(), b.cols());
    multiplyEncoded(a.data(), a.cols(), a.rows(), b, bias.size() ? bias.data() : nullptr, c.data(), c.cols(), true);
    return c;
}

} // namespace

class TestEncodedMatrix : public QObject
{
    Q_OBJECT

private slots:
    void productEqualsPackedProduct_data();
    void productEqualsPackedProduct();
    void productIsIdenticalForAnyThreadCount();
    void joinedAndReorderedRows();
    void columnsAndRowsDecode();
    void quantisedRowsAcrossDepthBlocks_data();
    void quantisedRowsAcrossDepthBlocks();
    void weightMatrixDispatches();
    void refusesRowsThatAreNotWholeBlocks();
};

void TestEncodedMatrix::productEqualsPackedProduct_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("m");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("n");
    QTest::addColumn<bool>("bias");
    const int f32 = static_cast<int>(GgmlType::F32), f16 = static_cast<int>(GgmlType::F16);
    QTest::newRow("F32 one row (generation)") << f32 << 1 << 64 << 300 << true;
    QTest::newRow("F32 13 x 257 x 33") << f32 << 13 << 257 << 33 << true;
    QTest::newRow("F16 64 x 512 x 96") << f16 << 64 << 512 << 96 << false;
    QTest::newRow("F16 more rows than a chunk") << f16 << 700 << 96 << 40 << true;
    QTest::newRow("F32 empty depth") << f32 << 5 << 0 << 7 << true;
}

void TestEncodedMatrix::productEqualsPackedProduct()
{
    QFETCH(int, type);
    QFETCH(int, m);
    QFETCH(int, k);
    QFETCH(int, n);
    QFETCH(bool, bias);
    const StoredWeights w = makeWeights(static_cast<GgmlType>(type), k, n, 11);
    const EncodedMatrix encoded(static_cast<GgmlType>(type), w.bytes.data(), k, n, nullptr);
    const Matrix a = Eigen::Map<const Matrix>(randomFloats(static_cast<std::size_t>(m * k), 3).data(), m, k);
    const RowVector b = bias ? RowVector(Eigen::Map<const RowVector>(randomFloats(n, 5).data(), n)) : RowVector();
    QVERIFY(identical(encodedProduct(a, encoded, b), packedProduct(a, w.b, b)));
    // and against a plain double-precision loop, so both cannot be wrong the same way
    const Matrix got = encodedProduct(a, encoded, b);
    for (Index i = 0; i < m; i += 7) {
        for (Index j = 0; j < n; j += 5) {
            double sum = bias ? b(j) : 0.0;
            for (Index q = 0; q < k; ++q)
                sum += double(a(i, q)) * double(w.b(q, j));
            QVERIFY(std::abs(sum - got(i, j)) <= 1e-4 * (1.0 + std::abs(sum)));
        }
    }
}

void TestEncodedMatrix::productIsIdenticalForAnyThreadCount()
{
    const StoredWeights w = makeWeights(GgmlType::F16, 320, 200, 7);
    const EncodedMatrix encoded(GgmlType::F16, w.bytes.data(), 320, 200, nullptr);
    const Matrix a = Eigen::Map<const Matrix>(randomFloats(600 * 320, 9).data(), 600, 320);
    const int before = omp_get_max_threads();
    omp_set_num_threads(1);
    const Matrix one = encodedProduct(a, encoded, RowVector());
    omp_set_num_threads(2);
    const Matrix two = encodedProduct(a, encoded, RowVector());
    omp_set_num_threads(before);
    QVERIFY(identical(one, two));
}

void TestEncodedMatrix::joinedAndReorderedRows()
{
    const StoredWeights q = makeWeights(GgmlType::F16, 64, 40, 1);
    const StoredWeights v = makeWeights(GgmlType::F32, 64, 24, 2); // another type, as Q4_K_M's V rows
    const EncodedMatrix eq(GgmlType::F16, q.bytes.data(), 64, 40, nullptr);
    const EncodedMatrix ev(GgmlType::F32, v.bytes.data(), 64, 24, nullptr);
    const EncodedMatrix joined = EncodedMatrix::joined({&eq, &ev});
    QCOMPARE(joined.cols(), Index(64));
    QCOMPARE(QString::fromStdString(joined.typeNames()), QString("F16, F32"));
    Matrix b(64, 64);
    b << q.b, v.b;
    const Matrix a = Eigen::Map<const Matrix>(randomFloats(9 * 64, 4).data(), 9, 64);
    QVERIFY(identical(encodedProduct(a, joined, RowVector()), packedProduct(a, b, RowVector())));

    std::vector<Index> order;
    for (Index r = 63; r >= 0; --r)
        order.push_back(r);
    const EncodedMatrix reversed = joined.reordered(order);
    QVERIFY(identical(encodedProduct(a, reversed, RowVector()), packedProduct(a, b.rowwise().reverse(), RowVector())));
    QVERIFY(identical(joined.columns(40, 24), v.b));
}

void TestEncodedMatrix::columnsAndRowsDecode()
{
    const StoredWeights w = makeWeights(GgmlType::F32, 48, 70, 3);
    const EncodedMatrix encoded(GgmlType::F32, w.bytes.data(), 48, 70, nullptr);
    QVERIFY(identical(encoded.columns(33, 20), w.b.middleCols(33, 20)));
    std::vector<float> row(48);
    encoded.decodeRow(69, row.data());
    for (Index c = 0; c < 48; ++c)
        QCOMPARE(row[static_cast<std::size_t>(c)], w.b(c, 69));
}

void TestEncodedMatrix::quantisedRowsAcrossDepthBlocks_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("scaleBytes"); // fp16 scales at the start of each block, set to finite values
    QTest::newRow("Q8_0") << static_cast<int>(GgmlType::Q8_0) << 2;
    QTest::newRow("Q4_K") << static_cast<int>(GgmlType::Q4_K) << 4;
    QTest::newRow("IQ4_XS") << static_cast<int>(GgmlType::IQ4_XS) << 2;
}

// Depth 768 spans three depth blocks, so each slice starts inside a row at a block offset.
void TestEncodedMatrix::quantisedRowsAcrossDepthBlocks()
{
    QFETCH(int, type);
    QFETCH(int, scaleBytes);
    const GgmlTypeInfo& info = ggmlTypeInfo(static_cast<GgmlType>(type));
    const Index k = 768, n = 45;
    const std::size_t blocksPerRow = static_cast<std::size_t>(k / info.blockElements);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(n) * blocksPerRow * static_cast<std::size_t>(info.blockBytes));
    std::mt19937 rng(17);
    for (std::uint8_t& byte : bytes)
        byte = static_cast<std::uint8_t>(rng());
    for (std::size_t at = 0; at < bytes.size(); at += static_cast<std::size_t>(info.blockBytes)) {
        for (int s = 0; s < scaleBytes; s += 2) { // 0x2c00 = 1/16, 0x2400 = 1/64
            bytes[at + static_cast<std::size_t>(s)] = 0x00;
            bytes[at + static_cast<std::size_t>(s) + 1] = s == 0 ? 0x2c : 0x24;
        }
    }
    const EncodedMatrix encoded(info.type, bytes.data(), k, n, nullptr);
    const Matrix b = encoded.columns(0, n);
    QVERIFY(b.allFinite());
    const Matrix a = Eigen::Map<const Matrix>(randomFloats(static_cast<std::size_t>(30 * k), 12).data(), 30, k);
    QVERIFY(identical(encodedProduct(a, encoded, RowVector()), packedProduct(a, b, RowVector())));
}

void TestEncodedMatrix::weightMatrixDispatches()
{
    const StoredWeights w = makeWeights(GgmlType::F16, 96, 50, 8);
    const WeightMatrix packed(w.b);
    const WeightMatrix encoded(EncodedMatrix(GgmlType::F16, w.bytes.data(), 96, 50, nullptr));
    QVERIFY(packed.encoded() == nullptr && encoded.encoded() != nullptr);
    QCOMPARE(encoded.rows(), Index(96));
    QCOMPARE(encoded.cols(), Index(50));
    const Matrix a = Eigen::Map<const Matrix>(randomFloats(20 * 96, 6).data(), 20, 96);
    Matrix c1(20, 50), c2(20, 50);
    packed.multiply(a.data(), 96, 20, nullptr, c1.data(), 50, true);
    encoded.multiply(a.data(), 96, 20, nullptr, c2.data(), 50, true);
    QVERIFY(identical(c1, c2));
    QVERIFY(identical(packed.columns(10, 5), encoded.columns(10, 5)));
}

void TestEncodedMatrix::refusesRowsThatAreNotWholeBlocks()
{
    std::vector<std::uint8_t> bytes(1024);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EncodedMatrix(GgmlType::Q4_K, bytes.data(), 100, 2, nullptr));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EncodedMatrix(GgmlType::IQ2_XXS, bytes.data(), 256, 2, nullptr));
}

QTEST_APPLESS_MAIN(TestEncodedMatrix)
#include "test_encodedmatrix.moc"
