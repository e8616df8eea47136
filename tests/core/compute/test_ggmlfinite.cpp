// holdsNonFiniteValues: the load-time scan of 16-bit and block-quantised bytes must report a
// tensor exactly when dequantizeRow would decode an Inf or NaN from it. For every type, every
// 16-bit field of two random finite blocks is set to NaN and to Inf in turn, and the scan's answer
// is compared with the decoded values, so a wrong scale offset fails here.

#include "compute/ggmldequant.h"
#include "compute/ggmlfinite.h"
#include "compute/ggmltypes.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace attnviz::compute;

namespace {

// Random finite blocks: every fp16 or bfloat16 field's high byte sits at an odd offset, and
// clearing bit 6 of each odd byte keeps its exponent below all ones.
std::vector<std::uint8_t> finiteBlocks(const GgmlTypeInfo& info, int blocks, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(blocks * info.blockBytes));
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<std::uint8_t>(rng() & (i % 2 ? 0xbfu : 0xffu));
    return bytes;
}

bool decodesNonFinite(const GgmlTypeInfo& info, const std::vector<std::uint8_t>& bytes)
{
    const std::int64_t count = std::int64_t(bytes.size()) / info.blockBytes * info.blockElements;
    std::vector<float> values(static_cast<std::size_t>(count));
    dequantizeRow(info.type, bytes.data(), values.data(), count);
    return std::any_of(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
}

} // namespace

class TestGgmlFinite : public QObject
{
    Q_OBJECT

private slots:
    void scanAgreesWithTheDecodedValues_data()
    {
        QTest::addColumn<int>("type");
        for (const GgmlType t : {GgmlType::F16, GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0,
                                 GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K,
                                 GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::IQ4_NL, GgmlType::IQ4_XS})
            QTest::newRow(ggmlTypeInfo(t).name) << int(t);
    }

    void scanAgreesWithTheDecodedValues()
    {
        QFETCH(int, type);
        const GgmlTypeInfo& info = ggmlTypeInfo(GgmlType(type));
        QVERIFY(info.dequantizable);
        // Two blocks (for the 1-value types, 64 values), so a scan that only looks at the first fails.
        const int blocks = info.blockElements == 1 ? 64 : 2;
        const std::vector<std::uint8_t> base = finiteBlocks(info, blocks, 7u + unsigned(type));
        QVERIFY(!decodesNonFinite(info, base));
        QVERIFY(!holdsNonFiniteValues(info.type, base));
        const bool brain = info.type == GgmlType::BF16;
        int reported = 0;
        for (const std::uint16_t bits : {std::uint16_t(brain ? 0x7fc0 : 0x7e00), std::uint16_t(brain ? 0x7f80 : 0x7c00)}) {
            for (std::size_t at = 0; at + 1 < base.size(); at += 2) {
                std::vector<std::uint8_t> bytes = base;
                bytes[at] = std::uint8_t(bits & 0xff);
                bytes[at + 1] = std::uint8_t(bits >> 8);
                const bool decoded = decodesNonFinite(info, bytes);
                QVERIFY2(holdsNonFiniteValues(info.type, bytes) == decoded,
                         qPrintable(QStringLiteral("byte %1, bits %2: decoded %3").arg(at).arg(bits, 0, 16).arg(decoded)));
                reported += decoded;
            }
        }
        QVERIFY(reported >= 2 * blocks); // each block's scale (or each value) was found, as NaN and as Inf
    }

    void otherTypesAreNotScanned()
    {
        const std::vector<std::uint8_t> infinities(64, 0xff); // NaN as F32, but F32 is checked after conversion
        QVERIFY(!holdsNonFiniteValues(GgmlType::F32, infinities));
        QVERIFY(!holdsNonFiniteValues(GgmlType::Q4_K, {})); // no whole block: nothing to read
    }
};

QTEST_APPLESS_MAIN(TestGgmlFinite)
#include "test_ggmlfinite.moc"
