// Numbers read from model files: every config.json size is bounded and checked against the
// tensors before anything is allocated, ids are converted with range checks (no UB), non-finite
// weights are refused with the tensor named, zero-layer networks never reach the capture
// arithmetic, and greedy generation is bounded by the real context and honours cancellation.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"
#include "models/safetensors.h"
#include "models/transformer.h"
#include "util/checkednumbers.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <filesystem>
#include <fstream>

using namespace attnviz;
using testing::copyModel;
using testing::patchedConfig;
namespace fs = std::filesystem;

namespace {

// Overwrites element `index` of tensor `name` in `file` with a float32 bit pattern (narrowed for
// F16/BF16 tensors).
void patchElement(const std::string& file, const std::string& name, std::size_t index, std::uint32_t f32Bits,
                  std::uint16_t halfBits)
{
    std::size_t offset = 0, width = 0;
    {
        const SafetensorsFile st(file);
        const TensorInfo* info = st.find(name);
        QVERIFY2(info != nullptr, name.c_str());
        width = info->dtype == "F32" ? 4 : 2;
        offset = info->begin + index * width;
        QVERIFY(offset + width <= info->end);
    }
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset));
    const std::uint16_t bf16 = static_cast<std::uint16_t>(f32Bits >> 16);
    if (width == 4)
        f.write(reinterpret_cast<const char*>(&f32Bits), 4);
    else
        f.write(reinterpret_cast<const char*>(halfBits != 0 ? &halfBits : &bf16), 2);
}

// A network of any shape whose forward never runs a layer (for the capture arithmetic).
class FakeNet : public Transformer
{
public:
    explicit FakeNet(TransformerInfo info) : m_info(std::move(info)) {}
    const TransformerInfo& info() const override { return m_info; }
    ForwardResult forward(const std::vector<int>& ids, const std::vector<int>&, const ForwardOptions& o) const override
    {
        ForwardResult r = beginForward(m_info, std::ssize(ids), o);
        r.logits = Matrix::Zero(o.logits == LogitRows::None ? 0 : 1, m_info.vocab);
        return r;
    }

private:
    TransformerInfo m_info;
};

} // namespace

class TestModelNumbers : public QObject
{
    Q_OBJECT

private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void checkedConversions();
    void alibiSlopesByHand();
    void configSizesAreChecked_data();
    void configSizesAreChecked();
    void nonFiniteWeightsAreRefused_data();
    void nonFiniteWeightsAreRefused();
    void nonFiniteLlama2cWeightsAreRefused();
    void zeroLayerNetworkNeverDividesByZero_data();
    void zeroLayerNetworkNeverDividesByZero();
    void cachedGenerationIsBounded();
    void cachedGenerationHonoursCancel();
    void generationStopsAtStoredPositions();
    void ropeGenerationIsBounded();

private:
    QTemporaryDir m_dir;
};

void TestModelNumbers::checkedConversions()
{
    using E = std::runtime_error;
    QCOMPARE(checked::toInt<E>(7.0, "k", 0, 10), 7);
    QCOMPARE(checked::toInt<E>(-2147483648.0, "k"), std::numeric_limits<int>::min());
    QCOMPARE(checked::toInt64<E>(-9223372036854775808.0, "k", std::numeric_limits<std::int64_t>::min(),
                                 std::numeric_limits<std::int64_t>::max()),
             std::numeric_limits<std::int64_t>::min());
    for (double bad : {1e300, -1e300, 2147483648.0, 2.5, -0.5, 11.0, -1.0, std::nan(""), double(INFINITY)}) {
        QVERIFY_THROWS_EXCEPTION(E, checked::toInt<E>(bad, "k", bad == -1.0 ? 0 : -10, 10));
    }
    QVERIFY_THROWS_EXCEPTION(E, checked::toInt64<E>(9223372036854775808.0, "k", 0,
                                                    std::numeric_limits<std::int64_t>::max()));
    try {
        checked::toInt<E>(1e20, "config.json: \"vocab_size\"", 1, 100);
        QFAIL("1e20 accepted");
    } catch (const E& e) {
        QVERIFY2(std::string(e.what()).find("\"vocab_size\"") != std::string::npos, e.what());
    }
    QCOMPARE(checked::mul<E>(46340, 46340, "p"), 2147395600);
    QVERIFY_THROWS_EXCEPTION(E, checked::mul<E>(46341, 46341, "p"));
    QVERIFY_THROWS_EXCEPTION(E, checked::mul<E>(4, 600000000, "p"));
    QVERIFY_THROWS_EXCEPTION(E, checked::add<E>(2147483647, 2, "p"));
    QVERIFY_THROWS_EXCEPTION(E, checked::mulSize<E>(std::size_t(1) << 40, std::size_t(1) << 40, "p"));
    QVERIFY_THROWS_EXCEPTION(E, checked::toFloat<E>(1e300, "eps"));
    QCOMPARE(checked::toFloat<E>(0.5, "eps"), 0.5f);
    std::vector<float> values{1.0f, -0.0f, 3.0e38f, 1e-45f};
    QCOMPARE(checked::firstNonFinite(values), std::ptrdiff_t(-1));
    values.push_back(-INFINITY);
    QCOMPARE(checked::firstNonFinite(values), std::ptrdiff_t(4));
    QCOMPARE(std::string(checked::nonFiniteName(values[4])), std::string("an infinite"));
    values[2] = std::nanf("");
    QCOMPARE(checked::firstNonFinite(values), std::ptrdiff_t(2));
    QCOMPARE(std::string(checked::nonFiniteName(values[2])), std::string("a NaN"));
}

void TestModelNumbers::configSizesAreChecked_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    const auto row = [](const char* base, const char* key, const char* value) {
        QTest::addRow("%s %s=%s", base, key, value) << base << key << value;
    };
    row("gpt2", "n_layer", "0");
    row("gpt2", "n_layer", "-1");
    row("gpt2", "n_head", "0");
    row("gpt2", "n_embd", "600000000"); // 4 × n_embd overflows int
    row("gpt2", "n_embd", "64");        // plausible but not what wte stores
    row("gpt2", "n_inner", "1e8");
    row("gpt2", "vocab_size", "5000000");
    row("gpt2", "n_positions", "1e9");
    row("gpt2", "eos_token_id", "1e300");
    row("gpt2", "eos_token_id", "2.5");
    row("llama", "head_dim", "999999998"); // 2 GB of RoPE frequencies before any tensor was read
    row("llama", "head_dim", "16");        // even and sane, but q_proj says 8
    row("llama", "num_hidden_layers", "0");
    row("llama", "num_attention_heads", "2147483647");
    row("llama", "num_key_value_heads", "0");
    row("llama", "intermediate_size", "1000000000");
    row("llama", "hidden_size", "1e20");
    row("llama", "max_position_embeddings", "1e9");
    row("llama", "eos_token_id", "[2, 1e20]");
    row("llama", "eos_token_id", "1e300");
    row("llama", "rms_norm_eps", "1e300");
    row("bert", "num_hidden_layers", "0");
    row("bert", "num_attention_heads", "0");
    row("bert", "intermediate_size", "1e9");
    row("bert", "type_vocab_size", "1e9");
    row("bert", "max_position_embeddings", "1e9");
    row("bert", "pad_token_id", "1e300");
    row("distilbert", "n_layers", "0");
    row("distilbert", "hidden_dim", "-5");
    row("bart", "max_position_embeddings", "2147483647"); // + 2 offset rows overflows int
    row("bart", "encoder_layers", "0");
    row("bart", "encoder_attention_heads", "0");
    row("bart", "decoder_ffn_dim", "1e9");
    row("bart", "eos_token_id", "1e300");
    row("bart", "vocab_size", "0");
}

void TestModelNumbers::configSizesAreChecked()
{
    QFETCH(QString, base);
    QFETCH(QString, key);
    QFETCH(QString, value);
    const std::string dir = copyModel(m_dir.path().toStdString(), base.toStdString(), "patched",
                                      patchedConfig(base.toStdString(), key.toStdString(), value.toStdString()));
    try {
        openModel(dir);
        QFAIL("the patched config was accepted");
    } catch (const ModelLoadError& e) {
        // The message names the key, so the user knows what to fix in config.json.
        const std::string what = e.what();
        QVERIFY2(what.find("\"" + key.toStdString() + "\"") != std::string::npos, e.what());
    }
}

void TestModelNumbers::nonFiniteWeightsAreRefused_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<uint>("f32Bits");
    QTest::addColumn<int>("halfBits");
    QTest::addColumn<QString>("word");
    QTest::newRow("gpt2 NaN") << "gpt2" << "transformer.h.1.attn.c_attn.weight" << 0x7fc00000u << 0 << "NaN";
    QTest::newRow("gpt2 +Inf") << "gpt2" << "transformer.h.0.ln_1.weight" << 0x7f800000u << 0 << "infinite";
    QTest::newRow("llama -Inf") << "llama" << "model.layers.0.self_attn.k_proj.weight" << 0xff800000u << 0
                                << "infinite";
    QTest::newRow("llama NaN") << "llama" << "model.embed_tokens.weight" << 0x7fc00001u << 0 << "NaN";
    QTest::newRow("bf16 NaN") << "llama_bf16" << "model.layers.1.mlp.up_proj.weight" << 0x7fc00000u << 0 << "NaN";
    QTest::newRow("f16 Inf") << "gpt2_f16" << "transformer.h.0.mlp.c_fc.weight" << 0u << 0x7c00 << "infinite";
    QTest::newRow("f16 NaN") << "gpt2_f16" << "transformer.wpe.weight" << 0u << 0x7e00 << "NaN";
    QTest::newRow("bert Inf") << "bert" << "bert.encoder.layer.0.attention.self.query.weight" << 0x7f800000u << 0
                              << "infinite";
}

void TestModelNumbers::nonFiniteWeightsAreRefused()
{
    QFETCH(QString, base);
    QFETCH(QString, tensor);
    QFETCH(uint, f32Bits);
    QFETCH(int, halfBits);
    QFETCH(QString, word);
    const std::string dir = copyModel(m_dir.path().toStdString(), base.toStdString(), "nonfinite");
    patchElement(dir + "/model.safetensors", tensor.toStdString(), 5, f32Bits, static_cast<std::uint16_t>(halfBits));
    try {
        openModel(dir);
        QFAIL("a checkpoint with a non-finite weight was accepted");
    } catch (const ModelLoadError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find("\"" + tensor.toStdString() + "\"") != std::string::npos, e.what());
        QVERIFY2(what.find(word.toStdString()) != std::string::npos, e.what());
    }
}

void TestModelNumbers::nonFiniteLlama2cWeightsAreRefused()
{
    const std::string source = std::string(ATTNVIZ_SHARED_FIXTURES) + "/models/stories260K/stories260K.bin";
    if (!fs::exists(source))
        QSKIP("shared fixture stories260K.bin is absent");
    const std::string path = m_dir.path().toStdString() + "/stories_nan.bin";
    fs::copy_file(source, path, fs::copy_options::overwrite_existing);
    std::int32_t header[7];
    std::ifstream(path, std::ios::binary).read(reinterpret_cast<char*>(header), sizeof header);
    const std::int64_t vocab = header[5] < 0 ? -header[5] : header[5];
    // rms_att_weight follows the embedding table: poison its first value.
    const std::int64_t offset = static_cast<std::int64_t>(sizeof header) + vocab * header[0] * 4;
    const std::uint32_t nan = 0x7fc00000u;
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(offset);
    f.write(reinterpret_cast<const char*>(&nan), 4);
    f.close();
    try {
        openModel(path);
        QFAIL("a llama2.c checkpoint with a NaN weight was accepted");
    } catch (const ModelLoadError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find("rms_att_weight") != std::string::npos && what.find("NaN") != std::string::npos, e.what());
    }
}

void TestModelNumbers::zeroLayerNetworkNeverDividesByZero_data()
{
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("heads");
    QTest::newRow("no layers") << 0 << 4;
    QTest::newRow("no heads") << 2 << 0;
    QTest::newRow("negative") << -1 << 4;
    QTest::newRow("many heads") << 1 << (1 << 20);
}

void TestModelNumbers::zeroLayerNetworkNeverDividesByZero()
{
    QFETCH(int, layers);
    QFETCH(int, heads);
    TransformerInfo info;
    info.family = "fake";
    info.layers = layers;
    info.heads = heads;
    info.kvHeads = heads;
    info.dModel = 8;
    info.vocab = 16;
    info.maxPositions = 64;
    info.causal = true;
    info.hasLmHead = false;
    QVERIFY(attentionCaptureLimit(layers, heads) >= 1);
    RunRequest request;
    request.ids = std::vector<int>{1, 2, 3};
    request.topK = 0;
    try {
        const CheckpointModel model(std::make_unique<FakeNet>(info), nullptr, "fake");
        const auto result = model.run(request);
        QVERIFY(!result->tokens.empty() && result->tokens.size() <= 3);
    } catch (const ModelLoadError& e) {
        qInfo("refused: %s", e.what()); // a clear refusal is fine; a length_error is not
    } catch (const std::length_error& e) {
        QFAIL(e.what());
    }
}

void TestModelNumbers::cachedGenerationIsBounded()
{
    // A model claiming 16M positions of a RoPE-style (no stored table) context, with KV rows so
    // wide that the caller's 100000 steps would need terabytes: the cache must follow what can
    // really be reached, not the claim or the request.
    TransformerInfo info;
    info.layers = 2;
    info.heads = info.kvHeads = 1;
    info.vocab = 4;
    info.maxPositions = 1 << 24;
    info.causal = true;
    const Index width = Index(1) << 18;
    int calls = 0;
    Index cacheRows = 0;
    const auto fake = [&](const std::vector<int>& ids, int first, KvCache* cache, const ForwardOptions&) {
        ++calls;
        cacheRows = cache->keys.at(0).rows();
        if (first + std::ssize(ids) > cacheRows)
            throw std::logic_error("position beyond the cache");
        ForwardResult r;
        r.logits = Matrix::Zero(1, info.vocab);
        r.logits(0, 1) = 1.0f; // always token 1, never a stop id
        return r;
    };
    std::vector<int> generated;
    try {
        generated = greedyWithCache(info, width, {1, 2}, 100000, nullptr, fake);
    } catch (const std::bad_alloc&) {
        QFAIL("the KV cache was sized for the requested steps, not a bounded context");
    }
    const double bytes = 2.0 * info.layers * static_cast<double>(cacheRows) * static_cast<double>(width) * 4.0;
    QVERIFY2(bytes <= 1.1e9, qPrintable(QString("KV cache of %1 bytes").arg(bytes)));
    QVERIFY(!generated.empty());
    QCOMPARE(calls, static_cast<int>(generated.size()));
    QVERIFY(2 + std::ssize(generated) <= cacheRows + 1);
}

void TestModelNumbers::cachedGenerationHonoursCancel()
{
    TransformerInfo info;
    info.layers = 1;
    info.heads = info.kvHeads = 1;
    info.vocab = 4;
    info.maxPositions = 4096;
    info.causal = true;
    std::atomic<bool> cancel = false;
    int calls = 0;
    const auto fake = [&](const std::vector<int>&, int, KvCache*, const ForwardOptions&) {
        if (++calls == 3)
            cancel = true; // as a user pressing Stop while the third token is computed
        ForwardResult r;
        r.logits = Matrix::Zero(1, info.vocab);
        r.logits(0, 2) = 1.0f;
        return r;
    };
    QVERIFY_THROWS_EXCEPTION(Cancelled, greedyWithCache(info, 4, {1}, 1000, &cancel, fake));
    QCOMPARE(calls, 3);
}

void TestModelNumbers::generationStopsAtStoredPositions()
{
    // GPT-2 with all eos ids removed: generation fills the 16 stored positions (wpe rows) and stops.
    const std::string config = patchedConfig("gpt2", "eos_token_id", "null");
    const auto model = openModel(copyModel(m_dir.path().toStdString(), "gpt2", "noeos", config));
    const std::vector<int> generated = model->generateGreedy({1, 2, 3}, 100000);
    QCOMPARE(static_cast<int>(generated.size()), model->info().maxTokens - 3 + 1);
}

void TestModelNumbers::ropeGenerationIsBounded()
{
    // attnviz-cli generate --greedy 100000 on a RoPE model claiming 2^24 positions (no table
    // backs the claim): generation is bounded by generationContext, which greedyWithCache follows
    // (cachedGenerationIsBounded). Running those 2^15 steps would take minutes, so only the bound
    // is checked here.
    const std::string config = patchedConfig("llama", "max_position_embeddings", "16777216");
    const auto model = openModel(copyModel(m_dir.path().toStdString(), "llama", "longclaim", config));
    QCOMPARE(model->info().maxTokens, 1 << 24);
    const TransformerInfo& info = dynamic_cast<const CheckpointModel&>(*model).transformer().info();
    QVERIFY(!info.storedPositions);
    const int context = generationContext(info, 16);
    QVERIFY(context >= 32 && context <= 1 << 15);
    // A stored table is the real context: GPT-2's 16 wpe rows.
    const auto gpt2 = openModel(testing::modelCase("gpt2"));
    QCOMPARE(generationContext(dynamic_cast<const CheckpointModel&>(*gpt2).transformer().info(), 32), 16);
}

// ALiBi slopes worked out by hand: 8 heads give 2^-1 … 2^-8; 6 heads take 4's (2^-2, 2^-4, 2^-6,
// 2^-8) and then the odd powers of 8's base: 2^-1, 2^-3.
void TestModelNumbers::alibiSlopesByHand()
{
    std::vector<float> eight;
    for (int i = 1; i <= 8; ++i)
        eight.push_back(std::ldexp(1.0f, -i));
    QCOMPARE(alibiSlopes(8), eight);
    QCOMPARE(alibiSlopes(6), (std::vector<float>{0.25f, 0.0625f, 0.015625f, 0.00390625f, 0.5f, 0.125f}));
    QCOMPARE(alibiSlopes(1), std::vector<float>{0.00390625f}); // 2^(-8/1)
}

QTEST_APPLESS_MAIN(TestModelNumbers)
#include "test_modelnumbers.moc"
