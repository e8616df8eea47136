// Exact integers in the core's JSON reader (issue 15): ids and byte offsets beyond 2^53 used to
// round to the nearest double. Every test here fails with the all-double reader.
#include "engine/attentionmodel.h"
#include "models/safetensors.h"
#include "util/checkednumbers.h"
#include "util/json.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>

using namespace attnviz;

namespace {
constexpr std::uint64_t twoTo53Plus1 = 9007199254740993u; // the first integer a double cannot hold
}

class TestJsonNumbers : public QObject
{
    Q_OBJECT
private slots:
    void integersAreExact();
    void otherNumbersStayDoubles();
    void tokenIdBeyond2To53IsExact();
    void checkedConversionComparesExactly();
    void safetensorsOffsetBeyond2To53IsExact();
    void safetensorsHugeDimensionAfterZeroIsRefused();
    void writerWritesIntegersExactly();
};

void TestJsonNumbers::integersAreExact()
{
    const json::Array a = json::parse("[9007199254740993, -9223372036854775808, 18446744073709551615, 7]").asArray();
    QCOMPARE(a[0].exactUint64(), std::optional<std::uint64_t>(twoTo53Plus1));
    QCOMPARE(a[0].exactInt64(), std::optional<std::int64_t>(std::int64_t(twoTo53Plus1)));
    QCOMPARE(a[0].asNumber(), 9007199254740992.0); // asNumber() still rounds to a double
    QCOMPARE(a[1].exactInt64(), std::optional<std::int64_t>(std::numeric_limits<std::int64_t>::min()));
    QVERIFY(!a[1].exactUint64());
    QCOMPARE(a[2].exactUint64(), std::optional<std::uint64_t>(std::numeric_limits<std::uint64_t>::max()));
    QVERIFY(!a[2].exactInt64());
    QVERIFY(a[3].isInteger());
    QCOMPARE(a[3].asNumber(), 7.0);
}

void TestJsonNumbers::otherNumbersStayDoubles()
{
    const json::Array a = json::parse("[18446744073709551616, -9223372036854775809, 2.5, 3.0, 1e3, 1e300, -0]").asArray();
    // Beyond uint64 (and below int64): still a number, as a double, but no exact integer.
    QVERIFY(a[0].isNumber() && !a[0].isInteger());
    QCOMPARE(a[0].asNumber(), 18446744073709551616.0);
    QVERIFY(a[1].isNumber() && !a[1].isInteger());
    QCOMPARE(a[1].asNumber(), -9223372036854775808.0);
    QVERIFY(!a[2].isInteger());
    // Whole reals within 2^53 count as integers, as the checked conversions always accepted them.
    QCOMPARE(a[3].exactInt64(), std::optional<std::int64_t>(3));
    QCOMPARE(a[4].exactUint64(), std::optional<std::uint64_t>(1000));
    QVERIFY(!a[5].isInteger()); // whole, but beyond 2^53 its digits are not known exactly
    QVERIFY(std::signbit(a[6].asNumber())); // "-0" keeps its sign
    QVERIFY(!json::Value("7").isInteger());
}

void TestJsonNumbers::tokenIdBeyond2To53IsExact()
{
    const json::Value v = json::parse(R"({"added_tokens": [{"id": 9007199254740993, "content": "<x>"}]})");
    const json::Value* id = v.find("added_tokens")->asArray()[0].find("id");
    QCOMPARE(id->exactUint64(), std::optional<std::uint64_t>(twoTo53Plus1));
}

void TestJsonNumbers::checkedConversionComparesExactly()
{
    const json::Value v = json::parse("9007199254740993");
    const std::int64_t max = std::numeric_limits<std::int64_t>::max();
    QCOMPARE(checked::toInt64<std::runtime_error>(v, "id", 0, max), std::int64_t(twoTo53Plus1));
    // As a double it would be 2^53 and pass this bound.
    try {
        checked::toInt64<std::runtime_error>(v, "id", 0, std::int64_t(1) << 53);
        QFAIL("no error");
    } catch (const std::runtime_error& e) {
        QCOMPARE(std::string(e.what()), std::string("id is out of range (must be an integer in [0, 9007199254740992])"));
    }
    // Non-integers and numbers beyond int64 keep their old wording.
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, checked::toInt<std::runtime_error>(json::parse("1.5"), "n"));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             checked::toInt64<std::runtime_error>(json::parse("18446744073709551615"), "n", 0, max));
    QCOMPARE(checked::toInt<std::runtime_error>(json::parse("4.0"), "n"), 4);
}

namespace {
// The message SafetensorsFile gives for a file with this header and 4 data bytes.
std::string safetensorsError(const std::string& header)
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("big.safetensors").toStdString();
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) bytes[std::size_t(i)] = char((header.size() >> (8 * i)) & 0xff);
    std::ofstream(path, std::ios::binary) << bytes << header << std::string(4, '\0');
    try {
        SafetensorsFile file(path);
    } catch (const ModelLoadError& e) {
        return e.what();
    }
    return "no error";
}
} // namespace

void TestJsonNumbers::safetensorsOffsetBeyond2To53IsExact()
{
    // The old reader said "[0, 9007199254740992)": the offset had already been rounded.
    const std::string e = safetensorsError(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,9007199254740993]}})");
    QVERIFY2(e.find("data_offsets [0, 9007199254740993) lie outside the 4 data bytes") != std::string::npos, e.c_str());
}

// Dimensions may now exceed 2^53 in the JSON; one above INT64_MAX must not wrap negative in shape.
void TestJsonNumbers::safetensorsHugeDimensionAfterZeroIsRefused()
{
    const std::string e =
        safetensorsError(R"({"w":{"dtype":"F32","shape":[0,18446744073709551615],"data_offsets":[0,0]}})");
    QVERIFY2(e.find("shape is implausibly large") != std::string::npos, e.c_str());
}

void TestJsonNumbers::writerWritesIntegersExactly()
{
    const std::string text = "[9007199254740993,18446744073709551615,-5,100000,0.5,-0]";
    json::Writer w;
    w.value(json::parse(text));
    QCOMPARE(QString::fromStdString(w.str()), QString::fromStdString(text)); // 100000 was "1e+05"
    json::Writer u;
    u.value(std::uint64_t(twoTo53Plus1));
    QCOMPARE(u.str(), std::string("9007199254740993"));
}

QTEST_APPLESS_MAIN(TestJsonNumbers)
#include "test_jsonnumbers.moc"
