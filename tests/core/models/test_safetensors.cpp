// The safetensors reader: correct f32/f16/bf16 decoding, sharded checkpoints, and a clear
// ModelLoadError (never a crash or a huge allocation) for every kind of broken file.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"
#include "models/generictransformer.h"
#include "models/safetensors.h"
#include "models/weightarchive.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <filesystem>
#include <fstream>

using namespace attnviz;

namespace {

std::string withLength(const std::string& header, std::uint64_t length)
{
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((length >> (8 * i)) & 0xff);
    return out + header;
}

// A file: 8-byte header length, the header, then `data`.
std::string file(const std::string& header, const std::string& data)
{
    return withLength(header, header.size()) + data;
}

std::string floats(std::initializer_list<float> values)
{
    std::string out;
    for (float v : values)
        out.append(reinterpret_cast<const char*>(&v), sizeof v);
    return out;
}

std::string halves(std::initializer_list<std::uint16_t> values)
{
    std::string out;
    for (std::uint16_t v : values) {
        out.push_back(static_cast<char>(v & 0xff));
        out.push_back(static_cast<char>(v >> 8));
    }
    return out;
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void readsAllFloatTypes();
    void rejectsBrokenFiles_data();
    void rejectsBrokenFiles();
    void checksShapeAgainstConfig();
    void readsShardedCheckpoint();
    void rejectsBadIndex();
    void modelFolderWithMissingTensor();
    void everyTruncationIsRejected();
    void corruptedHeaderNeverCrashes();
    void metadataAliasesATiedTensor();
    void gitLfsPointerIsNamed();
    void sixteenBitWeightsStayEncoded();

private:
    std::string write(const std::string& name, const std::string& bytes)
    {
        const std::string path = m_dir.path().toStdString() + "/" + name;
        std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return path;
    }
    QTemporaryDir m_dir;
};

void TestSafetensors::readsAllFloatTypes()
{
    const std::string header = R"({"__metadata__":{"format":"pt"},)"
                               R"("a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                               R"("h":{"dtype":"F16","shape":[5],"data_offsets":[16,26]},)"
                               R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[26,30]}})";
    // f16: 1.0, -2.0, 65504 (max), smallest subnormal 2^-24, +inf; bf16: 1.0, -0.5
    const std::string data = floats({1.5f, -2.0f, 3.25f, 0.0f}) + halves({0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00}) +
                             halves({0x3f80, 0xbf00});
    const auto archive = WeightArchive::openFile(write("ok.safetensors", file(header, data)));
    const Matrix a = archive.matrix("a", 2, 2);
    QCOMPARE(a(1, 0), 3.25f);
    QCOMPARE(a(0, 1), -2.0f);
    const RowVector h = archive.vector("h", 5);
    QCOMPARE(h(0), 1.0f);
    QCOMPARE(h(1), -2.0f);
    QCOMPARE(h(2), 65504.0f);
    QCOMPARE(h(3), std::ldexp(1.0f, -24));
    QVERIFY(std::isinf(h(4)));
    const RowVector b = archive.vector("b", 2);
    QCOMPARE(b(0), 1.0f);
    QCOMPARE(b(1), -0.5f);
    QCOMPARE(archive.names().size(), std::size_t(3)); // __metadata__ is not a tensor
}

void TestSafetensors::rejectsBrokenFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const std::string ok = R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
    const std::string data = floats({1, 2, 3, 4});
    auto row = [](const char* name, const std::string& bytes, const char* message) {
        QTest::newRow(name) << QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())) << QString(message);
    };
    row("empty file", "", "too short");
    row("truncated data", file(ok, data.substr(0, 10)), "outside");
    row("truncated header", file(ok, data).substr(0, 20), "truncated");
    row("huge header length", withLength("{}", std::uint64_t(1) << 40), "exceeds");
    row("header length past the end", withLength(ok, 5000) + data, "truncated");
    row("invalid JSON", file(R"({"w":{"dtype":"F32",)", data), "not valid JSON");
    row("header not an object", file("[1,2]", data), "not a JSON object");
    row("end before begin", file(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[16,0]}})", data), "outside");
    row("offset past the data", file(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[16,32]}})", data), "outside");
    row("overlapping tensors",
        file(
            R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
            data),
        "overlaps");
    row("size does not match shape", file(R"({"w":{"dtype":"F32","shape":[3,2],"data_offsets":[0,16]}})", data),
        "do not match");
    row("size does not match dtype", file(R"({"w":{"dtype":"F16","shape":[2,2],"data_offsets":[0,16]}})", data),
        "do not match");
    row("unknown dtype", file(R"({"w":{"dtype":"F99","shape":[2,2],"data_offsets":[0,16]}})", data), "unknown dtype");
    row("escaped dtype and name", file(R"({"w\u001b[2J":{"dtype":"F\n9","shape":[2,2],"data_offsets":[0,16]}})", data),
        R"(tensor "w\x1b[2J": unknown dtype "F\n9")");
    row("negative dimension", file(R"({"w":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}})", data),
        "non-negative");
    row("fractional offset", file(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16.5]}})", data),
        "non-negative integer");
    row("astronomical shape",
        file(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}})", data), "implausibly");
    row("missing dtype", file(R"({"w":{"shape":[2,2],"data_offsets":[0,16]}})", data), "missing dtype");
}

void TestSafetensors::rejectsBrokenFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    const std::string path = write("broken.safetensors", bytes.toStdString());
    try {
        WeightArchive::openFile(path);
        QFAIL("a broken file was accepted");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find(message.toStdString()) != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find_first_of("\x1b\n") == std::string::npos, e.what()); // escaped
    }
}

void TestSafetensors::checksShapeAgainstConfig()
{
    const std::string header = R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
                               R"("ids":{"dtype":"I64","shape":[2],"data_offsets":[16,32]}})";
    const auto archive =
        WeightArchive::openFile(write("shape.safetensors", file(header, floats({1, 2, 3, 4, 0, 0, 0, 0}))));
    try {
        archive.matrix("w", 4, 1);
        QFAIL("wrong shape accepted");
    } catch (const ModelLoadError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find("\"w\"") != std::string::npos && what.find("[4, 1]") != std::string::npos, e.what());
    }
    try {
        archive.vector("ids", 2);
        QFAIL("integer tensor read as weights");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("I64") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, archive.vector("absent", 2));
}

void TestSafetensors::readsShardedCheckpoint()
{
    const std::string dir = testing::modelCase("llama_sharded");
    QVERIFY(!std::filesystem::exists(dir + "/model.safetensors"));
    const auto sharded = WeightArchive::openFolder(dir);
    QVERIFY(sharded.contains("model.embed_tokens.weight"));
    QVERIFY(sharded.contains("lm_head.weight"));
    QVERIFY(sharded.contains("model.layers.1.mlp.down_proj.weight"));
}

void TestSafetensors::rejectsBadIndex()
{
    const std::string dir = m_dir.path().toStdString() + "/index";
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/model.safetensors.index.json") << R"({"weight_map":{"w":"../../etc/passwd"}})";
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, WeightArchive::openFolder(dir));
    const std::string shard = file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", floats({1}));
    std::ofstream(dir + "/a.safetensors", std::ios::binary) << shard;
    std::ofstream(dir + "/model.safetensors.index.json")
        << R"({"weight_map":{"w":"a.safetensors","x":"a.safetensors"}})";
    try {
        WeightArchive::openFolder(dir);
        QFAIL("an index naming a tensor its shard lacks was accepted");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("\"x\"") != std::string::npos, e.what());
    }
}

void TestSafetensors::modelFolderWithMissingTensor()
{
    namespace fs = std::filesystem;
    const std::string dir = m_dir.path().toStdString() + "/gpt2_more_layers";
    fs::create_directories(dir);
    fs::copy_file(testing::modelCase("gpt2") + "/model.safetensors", dir + "/model.safetensors");
    std::string config = json::readTextFile(testing::modelCase("gpt2") + "/config.json");
    const auto at = config.find("\"n_layer\": 2");
    QVERIFY(at != std::string::npos);
    config.replace(at, 12, "\"n_layer\": 3");
    std::ofstream(dir + "/config.json") << config;
    try {
        openModel(dir);
        QFAIL("a checkpoint with fewer layers than its config was accepted");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("transformer.h.2.") != std::string::npos, e.what());
    }
}

void TestSafetensors::everyTruncationIsRejected()
{
    std::ifstream in(testing::modelCase("gpt2") + "/model.safetensors", std::ios::binary); // binary: not readTextFile
    const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    int rejected = 0;
    // every size inside the length field and the header start, then a stride through the data
    for (std::size_t size = 0; size < whole.size(); size += size < 64 ? 1 : 509) {
        const std::string path = write("cut.safetensors", whole.substr(0, size));
        try {
            WeightArchive::openFile(path);
        } catch (const ModelLoadError&) {
            ++rejected;
            continue;
        }
        QFAIL(qPrintable(QString("a file cut to %1 bytes was accepted").arg(size)));
    }
    QVERIFY(rejected > 250);
}

void TestSafetensors::corruptedHeaderNeverCrashes()
{
    // Flipping header bytes must give either a valid archive or a ModelLoadError, nothing else.
    std::ifstream in(testing::modelCase("gpt2") + "/model.safetensors", std::ios::binary); // binary: not readTextFile
    const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::uint64_t headerLength = 0;
    std::memcpy(&headerLength, whole.data(), 8);
    std::uint32_t state = 12345; // fixed LCG seed: the same corruptions every run
    int errors = 0;
    for (int trial = 0; trial < 300; ++trial) {
        std::string bytes = whole;
        for (int flips = 0; flips < 3; ++flips) {
            state = state * 1664525u + 1013904223u;
            const std::size_t at = 8 + state % headerLength;
            state = state * 1664525u + 1013904223u;
            bytes[at] = "0123456789[]{},:\" -e"[state % 20];
        }
        try {
            const auto archive = WeightArchive::openFile(write("corrupt.safetensors", bytes));
            for (const auto& name : archive.names()) {
                const TensorInfo& info = archive.info(name);
                if (info.dtype == "F32") archive.floats(name, info.shape);
            }
        } catch (const ModelLoadError&) {
            ++errors;
        }
    }
    QVERIFY(errors > 0);
}

// safetensors.torch.save_model drops the second name of a shared tensor and records it in
// __metadata__ as removed name -> kept name; the removed name must still be readable.
void TestSafetensors::metadataAliasesATiedTensor()
{
    const std::string header = R"({"__metadata__":{"format":"pt","lm_head.weight":"wte.weight","note":"lm_head.bias"},)"
                               R"("wte.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
    const auto archive = WeightArchive::openFile(write("tied.safetensors", file(header, floats({1, 2, 3, 4}))));
    QVERIFY(archive.contains("lm_head.weight"));
    QCOMPARE(archive.matrix("lm_head.weight", 2, 2)(1, 1), 4.0f);
    QVERIFY(!archive.contains("format")); // metadata values that name no tensor are plain metadata
    QVERIFY(!archive.contains("note"));
    QCOMPARE(archive.names().size(), std::size_t(2));
}

// A clone without `git lfs pull` holds 130-byte text pointers in place of the weights.
void TestSafetensors::gitLfsPointerIsNamed()
{
    const std::string pointer = "version https://git-lfs.github.com/spec/v1\n"
                                "oid sha256:4c3d8a1f0f5c2e6b7d9a8e1c0b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a\n"
                                "size 548105171\n";
    try {
        WeightArchive::openFile(write("model.safetensors", pointer));
        QFAIL("a Git LFS pointer was accepted");
    } catch (const ModelLoadError& e) {
        const std::string message = e.what();
        QVERIFY2(message.find("Git LFS pointer") != std::string::npos, e.what());
        QVERIFY2(message.find("git lfs pull") != std::string::npos, e.what());
        QVERIFY2(message.find("548105171") != std::string::npos, e.what()); // the size the real file has
    }
}

// BF16 and F16 checkpoints keep their 16-bit weights (widened per tile by the kernel, bit-identical
// results: the references of test_models_llama still hold); GPT-2's Conv1D (in, out) matrices are
// widened at load, its F16 token table stays 16-bit; F32 checkpoints are packed floats as before.
void TestSafetensors::sixteenBitWeightsStayEncoded()
{
    const auto storage = [](const char* folder) {
        const std::unique_ptr<AttentionModel> model = openModel(std::string(ATTNVIZ_TEST_DATA) + "/models/" + folder);
        const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
        const auto* net = checkpoint ? dynamic_cast<const GenericTransformer*>(&checkpoint->transformer()) : nullptr;
        if (net == nullptr)
            qFatal("%s is not a GenericTransformer checkpoint", folder);
        return net->weightStorage();
    };
    const WeightStorage bf16 = storage("llama_bf16");
    QCOMPARE(bf16.floatMatrices, 0);
    QVERIFY(bf16.encodedMatrices > 0);
    const WeightStorage f32 = storage("llama");
    QCOMPARE(f32.encodedMatrices, 0);
    QVERIFY(f32.floatMatrices > 0);
    const WeightStorage gpt2f16 = storage("gpt2_f16");
    QCOMPARE(gpt2f16.encodedMatrices, 1); // the token table (also the tied head)
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
