// AttnViz's ggml dequantiser against ggml itself: for every type AttnViz dequantises, the floats
// must be bit-identical (compared as uint32; two NaNs count as equal whatever their payloads) to
// those of llama.cpp's own dequantize_row_* on the same blocks. The blocks come from ggml's
// quantiser (rows with outliers, zero blocks, negative-only blocks, values so small the fp16
// scales are subnormal) and from random bytes (random scales including fp16 infinities and
// NaNs). The type table is checked against ggml's type traits. The reference is the test tool
// ggml_reference (tools/llamacpp), run here on files, so the test fails when it is missing.

#include "compute/ggmldequant.h"
#include "compute/ggmltypes.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <vector>

using namespace attnviz::compute;

namespace {

constexpr int rowLength = 1024; // four K-quant super-blocks, 32 legacy blocks

std::vector<std::uint8_t> readBytes(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const QString& path, const void* data, std::size_t size)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

std::vector<float> asFloats(const std::vector<std::uint8_t>& bytes)
{
    std::vector<float> out(bytes.size() / sizeof(float));
    if (!out.empty())
        std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
    return out;
}

// The rows given to ggml's quantiser: each stresses another part of the formats.
std::vector<float> quantiserInput()
{
    std::mt19937 rng(20240611);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> all;
    auto addRow = [&](auto value) {
        for (int i = 0; i < rowLength; ++i)
            all.push_back(value(i));
    };
    addRow([&](int) { return normal(rng); });                                        // plain weights
    addRow([&](int i) { return normal(rng) * (i % 97 == 5 ? 500.0f : 1.0f); });      // large outliers
    addRow([&](int) { return 0.0f; });                                               // all-zero blocks
    addRow([&](int) { return -std::abs(normal(rng)); });                             // negative only
    addRow([&](int) { return std::abs(normal(rng)) + 3.0f; });                       // positive, offset
    addRow([&](int) { return normal(rng) * 1e-6f; });                                // subnormal fp16 scales
    addRow([&](int) { return normal(rng) * 1e-3f; });                                // small scales
    addRow([&](int) { return normal(rng) * 1e4f; });                                 // large scales
    addRow([&](int i) { return static_cast<float>(i % 16) - 8.0f; });                // exact levels
    addRow([&](int i) {                                                              // mixed blocks
        switch ((i / 32) % 6) {
        case 0: return 0.0f;                              // a zero block among others
        case 1: return 1.5f;                              // constant
        case 2: return i % 32 == 7 ? 2.0f : 0.0f;         // one non-zero value
        case 3: return i % 2 ? 1.0f : -1.0f;              // alternating
        case 4: return -std::abs(normal(rng)) * 1e-5f;    // tiny, negative
        default: return normal(rng) * 100.0f;
        }
    });
    return all;
}

// Byte offsets of the fp16 scales in each block, where random blocks get the special values.
std::vector<int> halfScaleOffsets(GgmlType type)
{
    switch (type) {
    case GgmlType::Q4_1:
    case GgmlType::Q5_1:
    case GgmlType::Q4_K:
    case GgmlType::Q5_K: return {0, 2};
    case GgmlType::Q2_K: return {80, 82};
    case GgmlType::Q3_K: return {108};
    case GgmlType::Q6_K: return {208};
    case GgmlType::F16:
    case GgmlType::BF16: return {0};
    case GgmlType::F32: return {};
    default: return {0}; // Q8_0, Q4_0, Q5_0, IQ4_NL, IQ4_XS: d first
    }
}

// Random blocks of `type`; the first ones get the special scales: zeros, subnormals, the largest
// finite, infinities, quiet and signalling NaNs (as fp16 or, for BF16, bfloat16).
std::vector<std::uint8_t> randomBlocks(const GgmlTypeInfo& info, int blockCount, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(blockCount) * info.blockBytes);
    for (std::uint8_t& b : bytes)
        b = static_cast<std::uint8_t>(rng());
    const std::vector<std::uint16_t> specials =
        info.type == GgmlType::BF16
            ? std::vector<std::uint16_t>{0x0000, 0x8000, 0x0001, 0x007f, 0x7f7f, 0x7f80, 0xff80, 0x7fc0, 0x7f81, 0xffc1}
            : std::vector<std::uint16_t>{0x0000, 0x8000, 0x0001, 0x83ff, 0x0400, 0x7bff,
                                         0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe01, 0x3c00};
    const std::vector<int> offsets = halfScaleOffsets(info.type);
    for (std::size_t s = 0; s < specials.size() && static_cast<int>(s) < blockCount; ++s) {
        for (std::size_t o = 0; o < offsets.size(); ++o) { // d and dmin of a block get different ones
            const std::uint16_t v = specials[(s + o * 5) % specials.size()];
            std::uint8_t* field = bytes.data() + s * info.blockBytes + offsets[o];
            field[0] = static_cast<std::uint8_t>(v & 0xff);
            field[1] = static_cast<std::uint8_t>(v >> 8);
        }
    }
    return bytes;
}

// Empty if `ours` and `reference` are bit-identical, else where they first differ.
QString firstDifference(const std::vector<float>& ours, const std::vector<float>& reference, int blockElements)
{
    if (ours.size() != reference.size())
        return QStringLiteral("%1 values, ggml %2").arg(ours.size()).arg(reference.size());
    for (std::size_t i = 0; i < ours.size(); ++i) {
        std::uint32_t a, b;
        std::memcpy(&a, &ours[i], sizeof a);
        std::memcpy(&b, &reference[i], sizeof b);
        if (a != b && !(std::isnan(ours[i]) && std::isnan(reference[i])))
            return QStringLiteral("value %1 (block %2): AttnViz %3 (0x%4), ggml %5 (0x%6)")
                .arg(i)
                .arg(i / blockElements)
                .arg(static_cast<double>(ours[i]), 0, 'g', 9)
                .arg(a, 8, 16, QChar('0'))
                .arg(static_cast<double>(reference[i]), 0, 'g', 9)
                .arg(b, 8, 16, QChar('0'));
    }
    return {};
}

std::vector<float> ourDequantisation(const GgmlTypeInfo& info, const std::vector<std::uint8_t>& blocks)
{
    const std::int64_t count = static_cast<std::int64_t>(blocks.size() / info.blockBytes) * info.blockElements;
    std::vector<float> out(static_cast<std::size_t>(count));
    dequantizeRow(info.type, blocks.data(), out.data(), count);
    return out;
}

void addDequantizableTypes()
{
    QTest::addColumn<int>("id");
    for (std::uint32_t id = 0; id < 64; ++id) {
        const GgmlTypeInfo* info = ggmlTypeInfo(id);
        if (info != nullptr && info->dequantizable)
            QTest::newRow(info->name) << static_cast<int>(id);
    }
}

} // namespace

class TestGgmlDequant : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void typeTableMatchesGgml();
    void quantisedRowsMatchGgml_data() { addDequantizableTypes(); }
    void quantisedRowsMatchGgml();
    void randomBlocksMatchGgml_data() { addDequantizableTypes(); }
    void randomBlocksMatchGgml();
    // Every fp16 and bfloat16 bit pattern as a value, and every fp16 pattern as a block scale.
    void everyHalfPatternMatchesGgml_data();
    void everyHalfPatternMatchesGgml();

private:
    // Runs ggml_reference; false (with the reason in m_error) unless it ran and exited with 0.
    bool runReference(const QStringList& arguments, QByteArray* output = nullptr);
    // ggml's dequantisation of `blocks` of type `id`, through files.
    bool referenceDequantisation(int id, const std::vector<std::uint8_t>& blocks, std::vector<float>& out);
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_error;
};

bool TestGgmlDequant::runReference(const QStringList& arguments, QByteArray* output)
{
    QProcess tool;
    tool.start(QStringLiteral(ATTNVIZ_GGML_REFERENCE), arguments);
    if (!tool.waitForFinished(120000)) {
        m_error = QStringLiteral("ggml_reference %1 did not run: %2").arg(arguments.join(' '), tool.errorString());
        return false;
    }
    if (tool.exitStatus() != QProcess::NormalExit || tool.exitCode() != 0) {
        m_error = QStringLiteral("ggml_reference %1 failed: %2")
                      .arg(arguments.join(' '), QString::fromLocal8Bit(tool.readAllStandardError()));
        return false;
    }
    if (output != nullptr)
        *output = tool.readAllStandardOutput();
    return true;
}

bool TestGgmlDequant::referenceDequantisation(int id, const std::vector<std::uint8_t>& blocks, std::vector<float>& out)
{
    writeBytes(path("blocks.bin"), blocks.data(), blocks.size());
    if (!runReference({"dequantize", QString::number(id), path("blocks.bin"), path("reference.f32")}))
        return false;
    out = asFloats(readBytes(path("reference.f32")));
    return true;
}

void TestGgmlDequant::typeTableMatchesGgml()
{
    QByteArray output;
    QVERIFY2(runReference({"info"}, &output), qPrintable(m_error));
    std::istringstream lines(output.toStdString());
    std::string word, commit;
    lines >> word >> commit;
    QCOMPARE(word, std::string("commit"));
    qInfo("ggml commit %s", commit.c_str());

    struct Reported { std::string name; long long elements; long long bytes; };
    std::map<int, Reported> ggml;
    int id;
    Reported t;
    while (lines >> word >> id >> t.elements >> t.bytes && std::getline(lines >> std::ws, t.name)) {
        QCOMPARE(word, std::string("type"));
        for (char& c : t.name)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        ggml[id] = t;
    }
    QVERIFY(ggml.size() >= 40); // every type up to MXFP4

    for (std::uint32_t i = 0; i < 256; ++i) { // the table's ids are all below 256
        const GgmlTypeInfo* ours = ggmlTypeInfo(i);
        const auto it = ggml.find(static_cast<int>(i));
        if (ours == nullptr) {
            // Ids AttnViz does not know must be retired in ggml (block size 0) or newer than the table.
            if (it != ggml.end() && it->second.elements > 0)
                qInfo("ggml type %u (%s) is not in AttnViz's table", i, it->second.name.c_str());
            continue;
        }
        QVERIFY2(it != ggml.end(), qPrintable(QStringLiteral("ggml has no type %1 (%2)").arg(i).arg(ours->name)));
        QCOMPARE(ours->name, it->second.name);
        QCOMPARE(static_cast<long long>(ours->blockElements), it->second.elements);
        QCOMPARE(static_cast<long long>(ours->blockBytes), it->second.bytes);
        QCOMPARE(ggmlTypeNamed(ours->name), ours);
    }
}

void TestGgmlDequant::quantisedRowsMatchGgml()
{
    QFETCH(int, id);
    const GgmlTypeInfo& info = *ggmlTypeInfo(static_cast<std::uint32_t>(id));
    const std::vector<float> input = quantiserInput();
    writeBytes(path("input.f32"), input.data(), input.size() * sizeof(float));
    QVERIFY2(runReference({"quantize", QString::number(id), path("input.f32"), path("quantised.bin"),
                           QString::number(rowLength)}),
             qPrintable(m_error));
    const std::vector<std::uint8_t> blocks = readBytes(path("quantised.bin"));
    QCOMPARE(blocks.size(), input.size() / info.blockElements * info.blockBytes);

    std::vector<float> reference;
    QVERIFY2(referenceDequantisation(id, blocks, reference), qPrintable(m_error));
    const std::vector<float> ours = ourDequantisation(info, blocks);
    const QString difference = firstDifference(ours, reference, info.blockElements);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));

    // The quantiser did its job, so the comparison is not between two broken decoders: the first
    // row (unit normal values) comes back close. Q2_K, the coarsest, has an rms error of 0.29.
    double squares = 0;
    for (int i = 0; i < rowLength; ++i)
        squares += std::pow(static_cast<double>(ours[i] - input[i]), 2);
    const double rms = std::sqrt(squares / rowLength);
    QVERIFY2(rms < 0.35, qPrintable(QStringLiteral("rms error %1 on unit normal values").arg(rms)));

    // The tiny rows gave some blocks subnormal fp16 scales (exponent bits zero, mantissa not).
    if (info.blockElements > 1) {
        int subnormalScales = 0;
        for (std::size_t b = 0; b < blocks.size(); b += info.blockBytes) {
            for (int offset : halfScaleOffsets(info.type)) {
                const int half = blocks[b + offset] | (blocks[b + offset + 1] << 8);
                subnormalScales += (half & 0x7c00) == 0 && (half & 0x03ff) != 0;
            }
        }
        QVERIFY2(subnormalScales > 0, "no subnormal fp16 scale in the quantised blocks");
    }
}

void TestGgmlDequant::randomBlocksMatchGgml()
{
    QFETCH(int, id);
    const GgmlTypeInfo& info = *ggmlTypeInfo(static_cast<std::uint32_t>(id));
    const int blockCount = info.blockElements == 1 ? 4096 : 256;
    const std::vector<std::uint8_t> blocks = randomBlocks(info, blockCount, 1000u + static_cast<unsigned>(id));
    std::vector<float> reference;
    QVERIFY2(referenceDequantisation(id, blocks, reference), qPrintable(m_error));
    const QString difference = firstDifference(ourDequantisation(info, blocks), reference, info.blockElements);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestGgmlDequant::everyHalfPatternMatchesGgml_data()
{
    QTest::addColumn<int>("id");
    QTest::newRow("F16") << static_cast<int>(GgmlType::F16);
    QTest::newRow("BF16") << static_cast<int>(GgmlType::BF16);
    QTest::newRow("Q8_0 scales") << static_cast<int>(GgmlType::Q8_0); // the block scales' conversion
}

void TestGgmlDequant::everyHalfPatternMatchesGgml()
{
    QFETCH(int, id);
    const GgmlTypeInfo& info = *ggmlTypeInfo(static_cast<std::uint32_t>(id));
    std::vector<std::uint8_t> blocks;
    for (std::uint32_t v = 0; v < 0x10000u; ++v) {
        blocks.push_back(static_cast<std::uint8_t>(v & 0xff));
        blocks.push_back(static_cast<std::uint8_t>(v >> 8));
        for (int i = 2; i < info.blockBytes; ++i) // Q8_0: the quants -15 .. 16, so 1 · d is d itself
            blocks.push_back(static_cast<std::uint8_t>(i - 17));
    }
    std::vector<float> reference;
    QVERIFY2(referenceDequantisation(id, blocks, reference), qPrintable(m_error));
    const QString difference = firstDifference(ourDequantisation(info, blocks), reference, info.blockElements);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

QTEST_GUILESS_MAIN(TestGgmlDequant)
#include "test_ggml_dequant.moc"
