// The GGUF reader: every metadata value type (scalars, strings, arrays, nested arrays), the tensor
// table of several ggml types with a custom alignment, versions 2 and 3, and a ModelLoadError
// naming the file and the key or tensor (never a crash or a huge allocation) for every kind of
// broken file: each truncation, huge counts and lengths, bad alignments, misplaced tensors.

#include "base/modelloaderror.h"
#include "models/gguffile.h"
#include "models/ggufloader.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>

using namespace attnviz;

namespace {

// ---- a GGUF byte builder (little-endian, as the format) ----

std::string le(std::uint64_t v, int bytes)
{
    std::string out;
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return out;
}
std::string u8(std::uint8_t v) { return le(v, 1); }
std::string u16(std::uint16_t v) { return le(v, 2); }
std::string u32(std::uint32_t v) { return le(v, 4); }
std::string u64(std::uint64_t v) { return le(v, 8); }
std::string f32(float f)
{
    std::uint32_t b;
    std::memcpy(&b, &f, 4);
    return u32(b);
}
std::string f64(double d)
{
    std::uint64_t b;
    std::memcpy(&b, &d, 8);
    return u64(b);
}
std::string gstr(std::string_view s) { return u64(s.size()) + std::string(s); }

enum : std::uint32_t { UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 };

// One key-value: the key, the value type, the value's bytes.
std::string kv(std::string_view key, std::uint32_t type, const std::string& value)
{
    return gstr(key) + u32(type) + value;
}
// An array value: element type, count, the elements' bytes.
std::string arr(std::uint32_t elementType, std::uint64_t count, const std::string& elements)
{
    return u32(elementType) + u64(count) + elements;
}

// ggml type ids used here.
enum : std::uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, Q4_K = 12, IQ2_XXS = 16, BF16 = 30 };

struct Tensor
{
    std::string name;
    std::vector<std::uint64_t> ne;
    std::uint32_t type;
    std::string bytes;                   // its data
    std::optional<std::uint64_t> offset; // default: packed after the previous one, aligned
};

struct Spec
{
    std::string magic = "GGUF";
    std::uint32_t version = 3;
    std::vector<std::string> kvs;
    std::vector<Tensor> tensors;
    std::uint64_t alignment = 32; // for laying the file out (general.alignment goes in kvs)
    std::optional<std::uint64_t> tensorCount, kvCount;
};

std::uint64_t alignUp(std::uint64_t v, std::uint64_t a) { return (v + a - 1) / a * a; }

// The file: header, key-values, tensor infos, padding, data (each tensor at its offset; the file
// ends with the last tensor's last byte, so that every shorter prefix cuts a tensor).
std::string build(const Spec& s)
{
    std::string out = s.magic + u32(s.version) + u64(s.tensorCount.value_or(s.tensors.size())) +
                      u64(s.kvCount.value_or(s.kvs.size()));
    for (const std::string& k : s.kvs)
        out += k;
    std::vector<std::uint64_t> offsets;
    std::uint64_t next = 0;
    for (const Tensor& t : s.tensors) {
        const std::uint64_t off = t.offset.value_or(alignUp(next, s.alignment));
        offsets.push_back(off);
        next = off + t.bytes.size();
        out += gstr(t.name) + u32(static_cast<std::uint32_t>(t.ne.size()));
        for (std::uint64_t d : t.ne)
            out += u64(d);
        out += u32(t.type) + u64(off);
    }
    if (s.tensors.empty())
        return out;
    out.resize(alignUp(out.size(), s.alignment), '\0');
    const std::size_t dataStart = out.size();
    for (std::size_t i = 0; i < s.tensors.size(); ++i) {
        const std::size_t at = dataStart + offsets[i];
        if (out.size() < at + s.tensors[i].bytes.size())
            out.resize(at + s.tensors[i].bytes.size(), '\0');
        out.replace(at, s.tensors[i].bytes.size(), s.tensors[i].bytes);
    }
    return out;
}

std::string floatBytes(std::initializer_list<float> values)
{
    std::string out;
    for (float v : values)
        out += f32(v);
    return out;
}

std::string pattern(std::size_t n, int seed)
{
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<char>((i * 31 + static_cast<std::size_t>(seed) * 7) & 0xff);
    return out;
}

std::span<const std::uint8_t> span(const std::string& s)
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Every value type, arrays of numbers, of strings, nested and empty.
std::vector<std::string> allValueKvs()
{
    return {
        kv("general.architecture", STRING, gstr("llama")),
        kv("test.u8", UINT8, u8(200)),
        kv("test.i8", INT8, u8(static_cast<std::uint8_t>(-5))),
        kv("test.u16", UINT16, u16(60000)),
        kv("test.i16", INT16, u16(static_cast<std::uint16_t>(-300))),
        kv("test.u32", UINT32, u32(4000000000u)),
        kv("test.i32", INT32, u32(static_cast<std::uint32_t>(-70000))),
        kv("test.f32", FLOAT32, f32(1.5f)),
        kv("test.bool", BOOL, u8(1)),
        kv("test.false", BOOL, u8(0)),
        kv("test.string", STRING, gstr("h\xc3\xa9llo")),
        kv("test.u64", UINT64, u64((std::uint64_t(1) << 40) + 3)),
        kv("test.i64", INT64, u64(static_cast<std::uint64_t>(-(std::int64_t(1) << 40)))),
        kv("test.f64", FLOAT64, f64(3.25e-7)),
        kv("test.array_u32", ARRAY, arr(UINT32, 3, u32(1) + u32(2) + u32(3))),
        kv("test.array_i16", ARRAY, arr(INT16, 2, u16(static_cast<std::uint16_t>(-2)) + u16(7))),
        kv("test.array_f32", ARRAY, arr(FLOAT32, 2, f32(-0.5f) + f32(2.0f))),
        kv("test.array_u64", ARRAY, arr(UINT64, 2, u64(5) + u64(~std::uint64_t(0)))),
        kv("test.array_bool", ARRAY, arr(BOOL, 2, u8(1) + u8(0))),
        kv("test.array_string", ARRAY, arr(STRING, 3, gstr("a") + gstr("") + gstr("<0x0A>"))),
        kv("test.array_empty", ARRAY, arr(INT32, 0, "")),
        kv("test.nested", ARRAY,
           arr(ARRAY, 2, arr(INT8, 2, u8(1) + u8(static_cast<std::uint8_t>(-2))) + arr(STRING, 1, gstr("x")))),
        kv("general.alignment", UINT32, u32(64)),
    };
}

// F32, F16, BF16, Q8_0 and Q4_K tensors at alignment 64, some padded apart.
std::vector<Tensor> someTensors()
{
    std::string halves = u16(0x3c00) + u16(0xc000) + u16(0x3800) + u16(0x0000); // 1, -2, 0.5, 0
    std::string bf = u16(0x3f80) + u16(0x4040) + u16(0xbf00) + u16(0x4120);      // 1, 3, -0.5, 10
    return {
        {"token_embd.weight", {4, 3}, F32, floatBytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), std::nullopt},
        {"blk.0.attn_q.weight", {32, 2}, Q8_0, pattern(68, 1), std::nullopt},
        {"output_norm.weight", {4}, F16, halves, std::nullopt},
        {"blk.0.ffn_up.weight", {2, 1, 1, 2}, BF16, bf, std::nullopt},
        {"blk.0.ffn_down.weight", {256, 1}, Q4_K, pattern(144, 2), std::nullopt},
    };
}

std::string validFile(std::uint32_t version = 3)
{
    Spec s;
    s.version = version;
    s.kvs = allValueKvs();
    s.tensors = someTensors();
    s.alignment = 64;
    return build(s);
}

} // namespace

class TestGgufFile : public QObject
{
    Q_OBJECT

private slots:
    void readsEveryValueType();
    void readsTensors();
    void readsVersion2WithDefaultAlignment();
    void opensAFileByPath();
    void typedGettersRefuseWrongKinds();
    void noTensorsNeedsNoPadding();
    void rejectsBrokenFiles_data();
    void rejectsBrokenFiles();
    void everyTruncationIsRejected();
    void hugeCountsFailFast();
    void messagesEscapeControlBytes();
    void corruptedBytesNeverCrash();
    void summaryNamesTheMostUsedMatrixType();
};

void TestGgufFile::readsEveryValueType()
{
    const std::string bytes = validFile();
    const GgufFile f("all.gguf", span(bytes));
    QCOMPARE(f.version(), 3u);
    QCOMPARE(f.alignment(), std::uint64_t(64));
    const std::vector<std::string> keys = f.keys();
    QCOMPARE(keys.size(), allValueKvs().size());
    QCOMPARE(keys.front(), std::string("general.architecture"));
    QCOMPARE(keys[1], std::string("test.u8"));
    QCOMPARE(keys.back(), std::string("general.alignment"));

    QCOMPARE(*f.string("general.architecture"), std::string("llama"));
    QCOMPARE(*f.unsignedInteger("test.u8"), std::uint64_t(200));
    QCOMPARE(f.value("test.i8")->kind(), GgufKind::Int8);
    QCOMPARE(f.value("test.i8")->asSigned(), std::int64_t(-5));
    QCOMPARE(*f.number("test.i8"), -5.0);
    QCOMPARE(*f.unsignedInteger("test.u16"), std::uint64_t(60000));
    QCOMPARE(f.value("test.i16")->asSigned(), std::int64_t(-300));
    QCOMPARE(*f.unsignedInteger("test.u32"), std::uint64_t(4000000000u));
    QCOMPARE(f.value("test.i32")->asSigned(), std::int64_t(-70000));
    QCOMPARE(*f.number("test.f32"), 1.5);
    QCOMPARE(f.value("test.f32")->kind(), GgufKind::Float32);
    QCOMPARE(*f.boolean("test.bool"), true);
    QCOMPARE(*f.boolean("test.false"), false);
    QCOMPARE(*f.string("test.string"), std::string("h\xc3\xa9llo"));
    QCOMPARE(*f.unsignedInteger("test.u64"), (std::uint64_t(1) << 40) + 3);
    QCOMPARE(f.value("test.i64")->asSigned(), -(std::int64_t(1) << 40));
    QCOMPARE(*f.number("test.i64"), -1099511627776.0);
    QCOMPARE(*f.number("test.f64"), 3.25e-7);
    QCOMPARE(f.value("test.f64")->kind(), GgufKind::Float64);

    QCOMPARE(f.integerArray("test.array_u32"), (std::vector<std::int64_t>{1, 2, 3}));
    QCOMPARE(f.numberArray("test.array_u32"), (std::vector<double>{1, 2, 3}));
    QCOMPARE(f.integerArray("test.array_i16"), (std::vector<std::int64_t>{-2, 7}));
    QCOMPARE(f.numberArray("test.array_f32"), (std::vector<double>{-0.5, 2.0}));
    QCOMPARE(f.numberArray("test.array_u64"), (std::vector<double>{5.0, 18446744073709551615.0}));
    const GgufValue* bools = f.value("test.array_bool");
    QCOMPARE(bools->elementKind(), GgufKind::Bool);
    QCOMPARE(bools->size(), std::size_t(2));
    QCOMPARE(bools->element(0).asBool(), true);
    QCOMPARE(bools->element(1).asBool(), false);
    QCOMPARE(f.stringArray("test.array_string"), (std::vector<std::string>{"a", "", "<0x0A>"}));
    QCOMPARE(f.value("test.array_string")->kindText(), std::string("array of string"));
    QVERIFY(f.integerArray("test.array_empty").empty());
    QCOMPARE(f.value("test.array_empty")->elementKind(), GgufKind::Int32);

    const GgufValue* nested = f.value("test.nested");
    QCOMPARE(nested->elementKind(), GgufKind::Array);
    QCOMPARE(nested->size(), std::size_t(2));
    const GgufValue inner0 = nested->element(0);
    QCOMPARE(inner0.elementKind(), GgufKind::Int8);
    QCOMPARE(inner0.element(0).asSigned(), std::int64_t(1));
    QCOMPARE(inner0.element(1).asSigned(), std::int64_t(-2));
    QCOMPARE(nested->element(1).element(0).asString(), std::string_view("x"));
    QCOMPARE(nested->kindText(), std::string("array of array of int8"));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, nested->element(2));

    // Absent keys: nullopt, nullptr, empty arrays.
    QVERIFY(f.value("absent") == nullptr);
    QVERIFY(!f.string("absent"));
    QVERIFY(!f.unsignedInteger("absent"));
    QVERIFY(!f.number("absent"));
    QVERIFY(!f.boolean("absent"));
    QVERIFY(f.stringArray("absent").empty());
    QVERIFY(f.numberArray("absent").empty());
    QVERIFY(f.integerArray("absent").empty());
}

void TestGgufFile::readsTensors()
{
    const std::string bytes = validFile();
    const GgufFile f("all.gguf", span(bytes));
    QCOMPARE(f.tensors().size(), std::size_t(5));
    const std::vector<std::string> order{"token_embd.weight", "blk.0.attn_q.weight", "output_norm.weight",
                                         "blk.0.ffn_up.weight", "blk.0.ffn_down.weight"};
    QCOMPARE(f.tensorOrder(), order);
    QCOMPARE(f.dataOffset() % 64, std::uint64_t(0));

    const TensorInfo* emb = f.find("token_embd.weight");
    QVERIFY(emb != nullptr);
    QCOMPARE(emb->dtype, std::string("F32"));
    QCOMPARE(emb->shape, (std::vector<std::int64_t>{3, 4})); // ne = [4, 3]: 3 rows of 4
    QCOMPARE(emb->begin, std::size_t(f.dataOffset()));
    QCOMPARE(emb->end - emb->begin, std::size_t(48));
    QCOMPARE(f.ggmlType(*emb), compute::GgmlType::F32);
    QCOMPARE(f.readFloats(*emb), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));

    const TensorInfo* q = f.find("blk.0.attn_q.weight");
    QCOMPARE(q->dtype, std::string("Q8_0"));
    QCOMPARE(q->shape, (std::vector<std::int64_t>{2, 32}));
    QCOMPARE(q->begin, std::size_t(f.dataOffset() + 64)); // 48 bytes padded to 64
    QCOMPARE(f.ggmlType(*q), compute::GgmlType::Q8_0);
    const auto qBytes = f.tensorBytes(*q);
    QCOMPARE(std::string(reinterpret_cast<const char*>(qBytes.data()), qBytes.size()), pattern(68, 1));
    QCOMPARE(f.readFloats(*q).size(), std::size_t(64)); // dequantised (test_ggml_dequant checks the values)

    const TensorInfo* norm = f.find("output_norm.weight");
    QCOMPARE(norm->dtype, std::string("F16"));
    QCOMPARE(norm->shape, (std::vector<std::int64_t>{4}));
    QCOMPARE(norm->begin, std::size_t(f.dataOffset() + 192)); // 64 + 68 padded to 192
    QCOMPARE(f.readFloats(*norm), (std::vector<float>{1, -2, 0.5f, 0}));

    const TensorInfo* up = f.find("blk.0.ffn_up.weight");
    QCOMPARE(up->dtype, std::string("BF16"));
    QCOMPARE(up->shape, (std::vector<std::int64_t>{2, 1, 1, 2}));
    QCOMPARE(f.readFloats(*up), (std::vector<float>{1, 3, -0.5f, 10}));

    const TensorInfo* down = f.find("blk.0.ffn_down.weight");
    QCOMPARE(down->dtype, std::string("Q4_K"));
    QCOMPARE(down->shape, (std::vector<std::int64_t>{1, 256}));
    QCOMPARE(down->end - down->begin, std::size_t(144));
    QCOMPARE(down->end, bytes.size());
    QCOMPARE(f.ggmlType(*down), compute::GgmlType::Q4_K);
}

void TestGgufFile::readsVersion2WithDefaultAlignment()
{
    Spec s;
    s.version = 2;
    s.kvs = {kv("general.architecture", STRING, gstr("gpt2")), kv("gpt2.block_count", UINT32, u32(12))};
    s.tensors = {{"a", {3}, F32, floatBytes({1, 2, 3}), std::nullopt},
                 {"b", {32}, Q8_0, pattern(34, 3), std::nullopt},
                 // A type AttnViz cannot dequantise is still read (the loader refuses it by name).
                 {"c", {256}, IQ2_XXS, pattern(66, 4), std::nullopt}};
    const std::string bytes = build(s);
    const GgufFile f("v2.gguf", span(bytes));
    QCOMPARE(f.version(), 2u);
    QCOMPARE(f.alignment(), GgufFile::defaultAlignment);
    QCOMPARE(*f.unsignedInteger("gpt2.block_count"), std::uint64_t(12));
    QCOMPARE(f.find("b")->begin, std::size_t(f.dataOffset() + 32));
    QCOMPARE(f.find("c")->dtype, std::string("IQ2_XXS"));
    QCOMPARE(f.find("c")->begin, std::size_t(f.dataOffset() + 96));
    QCOMPARE(f.readFloats(*f.find("a")), (std::vector<float>{1, 2, 3}));
}

void TestGgufFile::opensAFileByPath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.path().toStdString() + "/model.gguf";
    const std::string bytes = validFile();
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    const GgufFile f(path);
    QCOMPARE(f.path(), path);
    QCOMPARE(f.tensors().size(), std::size_t(5));
    QCOMPARE(f.readFloats(*f.find("output_norm.weight")), (std::vector<float>{1, -2, 0.5f, 0}));
    try {
        GgufFile missing(dir.path().toStdString() + "/absent.gguf");
        QFAIL("a missing file opened");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("absent.gguf") != std::string::npos, e.what());
    }
}

void TestGgufFile::typedGettersRefuseWrongKinds()
{
    const std::string bytes = validFile();
    const GgufFile f("all.gguf", span(bytes));
    const auto expectError = [](const std::function<void()>& call, std::initializer_list<const char*> parts) {
        try {
            call();
        } catch (const ModelLoadError& e) {
            const std::string m = e.what();
            for (const char* p : parts)
                QVERIFY2(m.find(p) != std::string::npos, qPrintable(QString::fromStdString(m) + " lacks " + p));
            QVERIFY2(m.rfind("all.gguf: ", 0) == 0, e.what());
            return;
        }
        QFAIL("no error");
    };
    expectError([&] { (void)f.string("test.u32"); }, {"\"test.u32\"", "uint32", "a string"});
    expectError([&] { (void)f.unsignedInteger("test.string"); }, {"\"test.string\"", "string", "unsigned integer"});
    expectError([&] { (void)f.unsignedInteger("test.i8"); }, {"\"test.i8\"", "-5", "unsigned integer"});
    expectError([&] { (void)f.unsignedInteger("test.f32"); }, {"\"test.f32\"", "float32"});
    expectError([&] { (void)f.number("test.bool"); }, {"\"test.bool\"", "bool", "a number"});
    expectError([&] { (void)f.boolean("test.u8"); }, {"\"test.u8\"", "uint8", "a bool"});
    expectError([&] { (void)f.stringArray("test.array_u32"); }, {"\"test.array_u32\"", "array of uint32", "array of string"});
    expectError([&] { (void)f.stringArray("test.string"); }, {"\"test.string\"", "string"});
    expectError([&] { (void)f.numberArray("test.array_string"); }, {"\"test.array_string\"", "array of string"});
    expectError([&] { (void)f.numberArray("test.array_bool"); }, {"\"test.array_bool\"", "array of bool"});
    expectError([&] { (void)f.integerArray("test.array_f32"); }, {"\"test.array_f32\"", "array of float32"});
    expectError([&] { (void)f.integerArray("test.array_u64"); }, {"\"test.array_u64\"", "element 1", "int64"});
    expectError([&] { (void)f.integerArray("test.nested"); }, {"\"test.nested\"", "array of array"});
    expectError([&] { (void)f.unsignedInteger("test.i32"); }, {"\"test.i32\"", "-70000"});
}

void TestGgufFile::noTensorsNeedsNoPadding()
{
    // A vocab-only file: metadata and no tensors; the data section is empty and needs no padding.
    Spec s;
    s.kvs = {kv("tokenizer.ggml.model", STRING, gstr("gpt2"))};
    const std::string bytes = build(s);
    QVERIFY(bytes.size() % 32 != 0);
    const GgufFile f("vocab.gguf", span(bytes));
    QVERIFY(f.tensors().empty());
    QCOMPARE(*f.string("tokenizer.ggml.model"), std::string("gpt2"));
}

void TestGgufFile::rejectsBrokenFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("parts"); // each must appear in the message
    const auto row = [](const char* name, const std::string& bytes, QStringList parts) {
        QTest::newRow(name) << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())) << parts;
    };
    const auto withKvs = [](std::vector<std::string> kvs) {
        Spec s;
        s.kvs = std::move(kvs);
        s.tensors = {{"t", {4}, F32, floatBytes({1, 2, 3, 4}), std::nullopt}};
        return build(s);
    };
    const auto withTensors = [](std::vector<Tensor> tensors, std::uint64_t alignment = 32) {
        Spec s;
        if (alignment != 32)
            s.kvs = {kv("general.alignment", UINT32, u32(static_cast<std::uint32_t>(alignment)))};
        s.tensors = std::move(tensors);
        s.alignment = alignment;
        return build(s);
    };
    const std::string four = floatBytes({1, 2, 3, 4});

    {
        Spec s;
        s.magic = "GGML";
        row("bad magic", build(s), {"not a GGUF file", "GGML"});
    }
    row("empty file", "", {"not a GGUF file"});
    for (std::uint32_t v : {0u, 1u, 4u}) {
        Spec s;
        s.version = v;
        const std::string name = "version " + std::to_string(v);
        row(name.c_str(), build(s), {QString::fromStdString("GGUF version " + std::to_string(v)), "2 and 3"});
    }
    {
        Spec s;
        s.version = 0x03000000u;
        row("big-endian", build(s), {"big-endian"});
    }
    row("header cut", std::string("GGUF") + u32(3) + u64(0), {"truncated", "metadata count"});

    // Keys and values.
    row("unknown value type", withKvs({kv("general.name", 13, u32(0))}), {"\"general.name\"", "unknown value type 13"});
    row("unknown element type", withKvs({kv("tokenizer.ggml.scores", ARRAY, arr(99, 0, ""))}),
        {"\"tokenizer.ggml.scores\"", "unknown value type 99"});
    row("huge string length", withKvs({kv("general.name", STRING, u64(std::uint64_t(1) << 62) + "abc")}),
        {"\"general.name\"", "truncated", "4611686018427387904"});
    row("string runs past the end", withKvs({kv("general.name", STRING, u64(1000) + "abc")}),
        {"\"general.name\"", "truncated"});
    row("huge key length", std::string("GGUF") + u32(3) + u64(0) + u64(1) +
                               u64(std::uint64_t(1) << 40) + std::string(40, 'k'),
        {"metadata entry 0 key", "65535"});
    row("empty key", withKvs({kv("", UINT8, u8(1))}), {"metadata entry 0", "empty key"});
    row("duplicate key", withKvs({kv("a.b", UINT8, u8(1)), kv("a.b", UINT8, u8(2))}), {"\"a.b\"", "twice"});
    row("bool of 2", withKvs({kv("test.flag", BOOL, u8(2))}), {"\"test.flag\"", "bool", "2"});
    row("bool array of 7", withKvs({kv("test.flags", ARRAY, arr(BOOL, 2, u8(0) + u8(7)))}),
        {"\"test.flags\"[1]", "7"});
    row("huge string array", withKvs({kv("tokenizer.ggml.tokens", ARRAY, arr(STRING, std::uint64_t(1) << 60, ""))}),
        {"\"tokenizer.ggml.tokens\"", "1152921504606846976", "truncated"});
    row("huge uint8 array", withKvs({kv("test.bytes", ARRAY, arr(UINT8, ~std::uint64_t(0), "x"))}),
        {"\"test.bytes\"", "18446744073709551615"});
    row("huge nested array", withKvs({kv("test.nest", ARRAY, arr(ARRAY, std::uint64_t(1) << 61, ""))}),
        {"\"test.nest\"", "truncated"});
    row("array element string cut", withKvs({kv("tokenizer.ggml.tokens", ARRAY, arr(STRING, 2, gstr("a") + u64(99)))}),
        {"\"tokenizer.ggml.tokens\"[1]", "truncated"});
    {
        std::string deep = arr(INT8, 0, "");
        for (int i = 0; i < GgufFile::maxArrayDepth; ++i)
            deep = arr(ARRAY, 1, deep);
        row("arrays nested too deep", withKvs({kv("test.deep", ARRAY, deep)}), {"\"test.deep\"", "nests arrays"});
    }

    // Alignment.
    row("alignment 0", withKvs({kv("general.alignment", UINT32, u32(0))}), {"\"general.alignment\"", "power of two"});
    row("alignment 3", withKvs({kv("general.alignment", UINT32, u32(3))}), {"\"general.alignment\"", "3", "power of two"});
    row("alignment 2^21", withKvs({kv("general.alignment", UINT32, u32(1u << 21))}),
        {"\"general.alignment\"", "2097152", "1048576"});
    row("alignment as uint64", withKvs({kv("general.alignment", UINT64, u64(32))}),
        {"\"general.alignment\"", "uint64", "expected uint32"});
    row("alignment as string", withKvs({kv("general.alignment", STRING, gstr("32"))}),
        {"\"general.alignment\"", "string"});

    // Tensors.
    row("misaligned offset", withTensors({{"a", {4}, F32, four, 0}, {"blk.1.w", {4}, F32, four, 16}}),
        {"\"blk.1.w\"", "offset 16", "alignment 32"});
    row("misaligned at 64", withTensors({{"a", {4}, F32, four, 0}, {"b", {4}, F32, four, 32}}, 64),
        {"\"b\"", "offset 32", "alignment 64"});
    row("overlapping", withTensors({{"a", {16}, F32, pattern(64, 0), 0}, {"b", {4}, F32, four, 32}}),
        {"\"b\"", "overlaps", "\"a\""});
    row("same offset", withTensors({{"a", {4}, F32, four, 0}, {"b", {4}, F32, four, 0}}), {"overlaps"});
    {
        std::string cut = withTensors({{"a", {4}, F32, four, 0}, {"output.weight", {8}, F32, pattern(32, 0), 32}});
        cut.resize(cut.size() - 1);
        row("tensor past the end", cut, {"\"output.weight\"", "outside", "truncated"});
    }
    {
        std::string bytes = withTensors({{"w", {4}, F32, four, 0}});
        // Point the offset far away: the last 8 bytes of the infos are the offset.
        const std::size_t infosEnd = 24 + 8 + 1 + 4 + 8 + 4 + 8;
        bytes.replace(infosEnd - 8, 8, u64(std::uint64_t(1) << 63));
        row("offset 2^63", bytes, {"\"w\"", "outside"});
    }
    row("element count overflow", withTensors({{"big", {std::uint64_t(1) << 32, std::uint64_t(1) << 32}, F32, four, 0}}),
        {"\"big\"", "overflows"});
    row("byte size overflow", withTensors({{"big", {std::uint64_t(1) << 62}, F32, four, 0}}), {"\"big\"", "overflows"});
    row("row not a multiple of the block",
        withTensors({{"blk.0.ffn_down.weight", {100, 2}, Q4_K, pattern(144, 0), 0}}),
        {"\"blk.0.ffn_down.weight\"", "Q4_K", "100", "256"});
    row("retired type id 4", withTensors({{"w", {4}, 4, four, 0}}), {"\"w\"", "unknown ggml type 4"});
    row("unknown type id 99", withTensors({{"w", {4}, 99, four, 0}}), {"\"w\"", "unknown ggml type 99"});
    row("five dimensions", withTensors({{"w", {1, 1, 1, 1, 4}, F32, four, 0}}), {"\"w\"", "5 dimensions"});
    row("zero dimension", withTensors({{"w", {4, 0}, F32, four, 0}}), {"\"w\"", "dimension 1 is 0"});
    row("duplicate tensor", withTensors({{"w", {4}, F32, four, 0}, {"w", {4}, F32, four, 32}}), {"\"w\"", "twice"});
    row("tensor name too long", withTensors({{std::string(64, 'n'), {4}, F32, four, 0}}), {"64 bytes", "63"});
    {
        Spec s;
        s.tensors = {{"w", {4}, F32, four, 0}};
        std::string bytes = build(s);
        bytes.resize(24 + 8 + 1 + 4 + 8 + 4 + 8); // the infos end, no padding, no data
        row("data section past the end", bytes, {"truncated", "data section"});
    }
}

void TestGgufFile::rejectsBrokenFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, parts);
    const std::string copy(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    try {
        GgufFile f("broken.gguf", span(copy));
    } catch (const ModelLoadError& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.startsWith("broken.gguf: "), e.what());
        for (const QString& p : parts)
            QVERIFY2(message.contains(p), qPrintable(message + "  [lacks: " + p + "]"));
        return;
    }
    QFAIL("the file was accepted");
}

void TestGgufFile::everyTruncationIsRejected()
{
    for (std::uint32_t version : {2u, 3u}) {
        const std::string whole = validFile(version);
        (void)GgufFile("whole.gguf", span(whole));
        for (std::size_t size = 0; size < whole.size(); ++size) {
            const std::string cut = whole.substr(0, size);
            try {
                GgufFile f("cut.gguf", span(cut));
            } catch (const ModelLoadError& e) {
                QVERIFY2(std::string(e.what()).rfind("cut.gguf: ", 0) == 0, e.what());
                continue;
            }
            QFAIL(qPrintable(QString("a file cut to %1 of %2 bytes was accepted").arg(size).arg(whole.size())));
        }
    }
}

void TestGgufFile::hugeCountsFailFast()
{
    // Counts near 2^64 in the header must be refused before anything is reserved.
    for (std::uint64_t count : {std::uint64_t(1) << 60, ~std::uint64_t(0), std::uint64_t(1000)}) {
        const std::string tensors = std::string("GGUF") + u32(3) + u64(count) + u64(0);
        const std::string kvs = std::string("GGUF") + u32(3) + u64(0) + u64(count);
        QVERIFY_THROWS_EXCEPTION(ModelLoadError, GgufFile("t.gguf", span(tensors)));
        QVERIFY_THROWS_EXCEPTION(ModelLoadError, GgufFile("k.gguf", span(kvs)));
    }
    // Many small key-values that the file does hold are fine.
    Spec s;
    for (int i = 0; i < 5000; ++i)
        s.kvs.push_back(kv("k" + std::to_string(i), UINT8, u8(static_cast<std::uint8_t>(i))));
    const std::string bytes = build(s);
    const GgufFile f("many.gguf", span(bytes));
    QCOMPARE(f.keys().size(), std::size_t(5000));
    QCOMPARE(*f.unsignedInteger("k4999"), std::uint64_t(4999 % 256));
}

void TestGgufFile::messagesEscapeControlBytes()
{
    Spec s;
    s.kvs = {kv("evil\x1b[31m\n", UINT8, u8(1)), kv("evil\x1b[31m\n", UINT8, u8(1))};
    const std::string bytes = build(s);
    try {
        GgufFile f("evil.gguf", span(bytes));
        QFAIL("accepted");
    } catch (const ModelLoadError& e) {
        const std::string m = e.what();
        QVERIFY2(m.find('\x1b') == std::string::npos && m.find('\n') == std::string::npos, e.what());
        QVERIFY2(m.find("evil\\x1b[31m\\n") != std::string::npos, e.what());
    }
    Spec t;
    t.tensors = {{"w\x07", {4}, 99, floatBytes({1, 2, 3, 4}), std::nullopt}};
    const std::string tb = build(t);
    try {
        GgufFile f("evil.gguf", span(tb));
        QFAIL("accepted");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("\"w\\x07\"") != std::string::npos, e.what());
    }
}

void TestGgufFile::corruptedBytesNeverCrash()
{
    // Each byte of the metadata and tensor table set to a few values: a valid file or a
    // ModelLoadError, nothing else; whatever opens has every tensor inside the file.
    const std::string whole = validFile();
    const GgufFile ref("ref.gguf", span(whole));
    int refused = 0;
    for (std::size_t at = 0; at < ref.dataOffset(); ++at) {
        for (unsigned char b : {0x00, 0x01, 0x09, 0x7f, 0xff}) {
            std::string bytes = whole;
            bytes[at] = static_cast<char>(b);
            try {
                const GgufFile f("flip.gguf", span(bytes));
                for (const auto& [name, info] : f.tensors())
                    QVERIFY(info.begin <= info.end && info.end <= bytes.size());
            } catch (const ModelLoadError&) {
                ++refused;
            }
        }
    }
    QVERIFY(refused > 100);
}

// Without general.file_type a picker shows the type most matrices have: here Q8_0 (two) over
// F32 (one, first in name order); 1-D tensors do not count.
void TestGgufFile::summaryNamesTheMostUsedMatrixType()
{
    Spec spec;
    spec.kvs = {kv("general.architecture", STRING, gstr("llama"))};
    spec.tensors = {
        {"a.weight", {4, 3}, F32, floatBytes({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), std::nullopt},
        {"b.weight", {32, 2}, Q8_0, pattern(68, 1), std::nullopt},
        {"c.weight", {32, 2}, Q8_0, pattern(68, 2), std::nullopt},
        {"d.weight", {4}, F32, floatBytes({1, 2, 3, 4}), std::nullopt},
    };
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.path().toStdString() + "/model.gguf";
    const std::string bytes = build(spec);
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    const GgufSummary summary = summarizeGguf(path);
    QCOMPARE(summary.quantisation, std::string("Q8_0"));
    QCOMPARE(summary.parameters, std::int64_t(12 + 64 + 64 + 4));
}

QTEST_APPLESS_MAIN(TestGgufFile)
#include "test_gguffile.moc"
