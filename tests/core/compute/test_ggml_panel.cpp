// dequantizePanel: a tile of a quantised matrix decoded straight into the matrix kernel's panel
// layout must hold exactly dequantizeRow's floats (which test_ggml_dequant checks against ggml),
// transposed, with zero padding columns; and the panel must multiply as packPanels' panel of the
// same floats does, bit for bit.

#include "compute/ggmldequant.h"
#include "compute/ggmltypes.h"
#include "compute/microkernel.h"
#include "compute/packedgemm.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace attnviz;
using namespace attnviz::compute;

namespace {

// Random blocks whose values are all finite: in every type the high byte of each fp16 or
// bfloat16 scale or value (and the top byte of an F32) sits at an odd offset, and clearing bit 6
// of every odd byte clears the top exponent bit. The random quants exercise every bit of the layouts.
std::vector<std::uint8_t> randomMatrix(const GgmlTypeInfo& info, int rows, std::int64_t depth, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(rows * depth / info.blockElements * info.blockBytes));
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<std::uint8_t>(rng() & (i % 2 ? 0xbfu : 0xffu));
    return bytes;
}

bool sameFloat(float a, float b)
{
    std::uint32_t x, y;
    std::memcpy(&x, &a, sizeof x);
    std::memcpy(&y, &b, sizeof y);
    return x == y || (std::isnan(a) && std::isnan(b));
}

} // namespace

class TestGgmlPanel : public QObject
{
    Q_OBJECT

private slots:
    void panelHoldsTheRowsTransposed_data();
    void panelHoldsTheRowsTransposed();
    void panelMultipliesLikePackedFloats();
    void refusesPartialBlocks();
};

void TestGgmlPanel::panelHoldsTheRowsTransposed_data()
{
    QTest::addColumn<int>("id");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("blocks"); // depth in blocks of the type
    for (std::uint32_t id = 0; id < 64; ++id) {
        const GgmlTypeInfo* info = ggmlTypeInfo(id);
        if (info == nullptr || !info->dequantizable)
            continue;
        // Full and partial panels; depths of one block, of whole and partial 256-value chunks, and
        // for the 1-value types depths that are no multiple of 8.
        const std::vector<int> depths = info->blockElements == 1    ? std::vector<int>{1, 13, 256, 300, 777}
                                        : info->blockElements == 32 ? std::vector<int>{1, 8, 9, 21}
                                                                    : std::vector<int>{1, 2, 3};
        for (int rows : {32, 1, 7, 31}) {
            for (int blocks : depths)
                QTest::addRow("%s, %d rows, %d blocks", info->name, rows, blocks) << static_cast<int>(id) << rows << blocks;
        }
    }
}

void TestGgmlPanel::panelHoldsTheRowsTransposed()
{
    QFETCH(int, id);
    QFETCH(int, rows);
    QFETCH(int, blocks);
    const GgmlTypeInfo& info = *ggmlTypeInfo(static_cast<std::uint32_t>(id));
    const std::int64_t depth = static_cast<std::int64_t>(blocks) * info.blockElements;
    // The panel is a tile of a wider matrix: rows of depth + 2 blocks, the tile starting at block 1.
    const std::int64_t rowBytes = (blocks + 2) * static_cast<std::int64_t>(info.blockBytes);
    const std::vector<std::uint8_t> matrix = randomMatrix(info, rows, depth + 2 * info.blockElements, 17u + id);
    std::vector<const std::uint8_t*> rowBlocks(panelWidth, nullptr);
    for (int r = 0; r < rows; ++r)
        rowBlocks[r] = matrix.data() + r * rowBytes + info.blockBytes;

    Eigen::VectorXf panel = Eigen::VectorXf::Constant(depth * panelWidth, 12345.0f); // aligned; no zeros
    dequantizePanel(info.type, rowBlocks.data(), rows, depth, panel.data());

    std::vector<float> row(static_cast<std::size_t>(depth));
    for (int r = 0; r < panelWidth; ++r) {
        if (r < rows)
            dequantizeRow(info.type, rowBlocks[r], row.data(), depth);
        for (std::int64_t k = 0; k < depth; ++k) {
            const float expected = r < rows ? row[k] : 0.0f;
            if (!sameFloat(panel[k * panelWidth + r], expected))
                QFAIL(qPrintable(QStringLiteral("row %1, value %2: panel %3, dequantizeRow %4")
                                     .arg(r)
                                     .arg(k)
                                     .arg(static_cast<double>(panel[k * panelWidth + r]))
                                     .arg(static_cast<double>(expected))));
        }
    }
}

void TestGgmlPanel::panelMultipliesLikePackedFloats()
{
    // A Q4_K weight matrix W (20 rows, 512 values each) times activations A (5 × 512): the panel of
    // Wᵀ from dequantizePanel against packPanels of the dequantised floats.
    const GgmlTypeInfo& info = ggmlTypeInfo(GgmlType::Q4_K);
    constexpr int rows = 20, depth = 512, m = 5;
    const std::vector<std::uint8_t> matrix = randomMatrix(info, rows, depth, 99);
    const std::int64_t rowBytes = depth / info.blockElements * info.blockBytes;
    std::vector<const std::uint8_t*> rowBlocks(panelWidth, nullptr);
    Matrix weights(depth, rows); // Wᵀ, as packPanels takes it
    std::vector<float> row(depth);
    for (int r = 0; r < rows; ++r) {
        rowBlocks[r] = matrix.data() + r * rowBytes;
        dequantizeRow(info.type, rowBlocks[r], row.data(), depth);
        for (int k = 0; k < depth; ++k)
            weights(k, r) = row[k];
    }
    Eigen::VectorXf fromBlocks(packedSize(depth, rows));
    dequantizePanel(info.type, rowBlocks.data(), rows, depth, fromBlocks.data());
    const PackedMatrix fromFloats(weights);

    const Matrix a = Matrix::Random(m, depth);
    Matrix expected(m, rows), actual(m, rows);
    multiplyPanels(a.data(), depth, m, fromFloats.view(), nullptr, expected.data(), rows, false);
    multiplyPanels(a.data(), depth, m, PanelsView{fromBlocks.data(), depth, rows}, nullptr, actual.data(), rows, false);
    QVERIFY(std::memcmp(expected.data(), actual.data(), sizeof(float) * m * rows) == 0);
}

void TestGgmlPanel::refusesPartialBlocks()
{
    const std::uint8_t block[144] = {};
    const std::uint8_t* rows[1] = {block};
    alignas(64) float panel[256 * panelWidth];
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dequantizePanel(GgmlType::Q4_K, rows, 1, 100, panel));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dequantizePanel(GgmlType::Q4_K, rows, 33, 256, panel));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dequantizePanel(GgmlType::Q8_K, rows, 1, 256, panel));
}

QTEST_GUILESS_MAIN(TestGgmlPanel)
#include "test_ggml_panel.moc"
