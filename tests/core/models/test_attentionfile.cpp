// Attention files (docs/attention-file.md): what AttnViz writes reads back identical, files from the
// Python exporter (a torch forward of the GPT-2 fixture) match AttnViz's own forward, selected
// heads and top-k keep what they say, and every broken or hostile file is refused by name.

#include "compute/halffloat.h"
#include "engine/attentionmodel.h"
#include "engine/resultjson.h"
#include "modelfixture.h"
#include "models/attentionfile.h"
#include "models/attentionfilewriter.h"
#include "registry/modelregistry.h"
#include "stats/derive.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace attnviz;
using namespace attnviz::testing;

namespace {

std::shared_ptr<AttentionResult> runFixture(const std::string& name)
{
    const Reference ref = loadReference(name);
    RunRequest request;
    request.ids = ref.ids;
    return openModel(modelCase(name))->run(request);
}

std::shared_ptr<AttentionResult> reopen(const std::string& path)
{
    return openModel(path)->run(RunRequest{});
}

float maxDifference(const AttentionTensor& a, const AttentionTensor& b)
{
    float worst = 0.0f;
    for (int l = 0; l < a.layers; ++l)
        for (int h = 0; h < a.heads; ++h)
            if (a.holds(l, h) && b.holds(l, h))
                for (int q = 0; q < a.queries; ++q)
                    for (int k = 0; k < a.keys; ++k)
                        worst = std::max(worst, std::abs(a.at(l, h, q, k) - b.at(l, h, q, k)));
    return worst;
}

// The sum of the k largest weights of one row, computed on its own.
float topMass(const float* row, int keys, int k)
{
    std::vector<float> v(row, row + keys);
    std::sort(v.begin(), v.end(), std::greater<>());
    float sum = 0.0f;
    for (int i = 0; i < k; ++i) sum += v[static_cast<std::size_t>(i)];
    return sum;
}

// A hand-made attention file: document text, then tensors (name, dtype, shape, bytes).
struct RawTensor
{
    std::string name, dtype, shape;
    std::string bytes;
};

std::string rawFile(const std::string& document, const std::vector<RawTensor>& tensors, const std::string& format = "attnviz-attention")
{
    std::string header = "{\"__metadata__\":{\"format\":" + json::quote(format) + ",\"attnviz\":" + json::quote(document) + "}";
    std::size_t offset = 0;
    std::string data;
    for (const RawTensor& t : tensors) {
        header += "," + json::quote(t.name) + ":{\"dtype\":\"" + t.dtype + "\",\"shape\":" + t.shape +
                  ",\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + t.bytes.size()) + "]}";
        offset += t.bytes.size();
        data += t.bytes;
    }
    header += "}";
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
    return out + header + data;
}

template <typename T> std::string bytesOf(const std::vector<T>& values)
{
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

// Two tokens, one stack of 1 layer × 2 heads, as the refusal cases' starting point.
const char* goodDocument = R"({"version":1,"model":{"name":"m","family":"test","layers":1,"heads":2},
"text":"ab","tokens":[{"text":"a","begin":0,"end":1},{"text":"b","begin":1,"end":2}],
"stacks":[{"name":"self","queries":"tokens","keys":"tokens","layers":1,"heads":2,"mask":"causal","storage":"dense"}]})";

std::vector<float> goodWeights() { return {1, 0, 0.25f, 0.75f, 1, 0, 0.5f, 0.5f}; }

} // namespace

class TestAttentionFile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
    std::string written(const char* name, const std::string& bytes) const
    {
        std::ofstream(path(name), std::ios::binary) << bytes;
        return path(name);
    }
    void expectRefusal(const std::string& bytes, const std::string& expected)
    {
        const std::string file = written("bad.attention.safetensors", bytes);
        try {
            openModel(file);
            QFAIL(("opened a broken file; expected: " + expected).c_str());
        } catch (const ModelLoadError& e) {
            const std::string message = e.what();
            if (message.find(expected) == std::string::npos)
                QFAIL(("message \"" + message + "\" lacks \"" + expected + "\"").c_str());
        }
    }

private slots:
    void halvesRoundToNearestEven()
    {
        for (std::uint32_t h = 0; h < 0x10000u; ++h) {
            const float f = compute::halfToFloat(static_cast<std::uint16_t>(h));
            if (std::isnan(f)) continue;
            QCOMPARE(compute::floatToHalf(f), static_cast<std::uint16_t>(h));
        }
        QCOMPARE(compute::floatToHalf(1.0f + 0x1p-11f), std::uint16_t(0x3c00));         // tie → even (down)
        QCOMPARE(compute::floatToHalf(1.0f + 3 * 0x1p-11f), std::uint16_t(0x3c02));     // tie → even (up)
        QCOMPARE(compute::floatToHalf(1.0f + 0x1p-11f + 0x1p-20f), std::uint16_t(0x3c01)); // above the tie
        QCOMPARE(compute::floatToHalf(65519.0f), std::uint16_t(0x7bff));
        QCOMPARE(compute::floatToHalf(65520.0f), std::uint16_t(0x7c00));
        QCOMPARE(compute::floatToHalf(0x1p-25f), std::uint16_t(0));       // half the smallest subnormal: to 0
        QCOMPARE(compute::floatToHalf(3 * 0x1p-25f), std::uint16_t(2));   // 1.5 units: to 2
        QCOMPARE(compute::floatToHalf(-0.0f), std::uint16_t(0x8000));
        QVERIFY(std::isnan(compute::halfToFloat(compute::floatToHalf(NAN))));
    }

    void writtenFilesReadBackIdentical()
    {
        const auto original = runFixture("gpt2");
        AttentionFileOptions f32;
        f32.half = false;
        writeAttentionFile(path("f32.attention.safetensors"), *original, f32);
        const auto model = openModel(path("f32.attention.safetensors"));
        QCOMPARE(model->info().family, std::string("gpt2"));
        QCOMPARE(model->info().layers, 2);
        QCOMPARE(model->info().heads, 4);
        QVERIFY(model->info().causal);
        QVERIFY(!model->info().takesText);
        QVERIFY(model->info().recorded);
        const auto back = model->run(RunRequest{});
        QCOMPARE(back->tokens.size(), original->tokens.size());
        for (std::size_t i = 0; i < back->tokens.size(); ++i) {
            QCOMPARE(back->tokens[i].id, original->tokens[i].id);
            QCOMPARE(back->tokens[i].display, original->tokens[i].display);
        }
        const AttentionTensor& a = original->stacks[0].attention;
        const AttentionTensor& b = back->stacks[0].attention;
        QVERIFY(b.holdsEveryHead());
        QCOMPARE(b.data.size(), a.data.size());
        QVERIFY(std::equal(a.data.begin(), a.data.end(), b.data.begin())); // F32: bit for bit

        writeAttentionFile(path("f16.attention.safetensors"), *original, AttentionFileOptions{});
        const auto half = reopen(path("f16.attention.safetensors"));
        const float difference = maxDifference(a, half->stacks[0].attention);
        QVERIFY2(difference <= 0x1p-12f && difference > 0.0f, std::to_string(difference).c_str()); // half an F16 step at 1
    }

    void selectedHeadsAreTheOnlyOnesHeld()
    {
        const auto original = runFixture("gpt2");
        AttentionFileOptions options;
        options.half = false;
        options.heads = {{0, 1}, {1, 3}};
        writeAttentionFile(path("heads.attention.safetensors"), *original, options);
        RunRequest request;
        request.rollout = RunRequest::Rollout{0, std::vector<bool>(4, true)};
        auto back = reopen(path("heads.attention.safetensors"));
        deriveStatistics(*back, request);
        const AttentionTensor& b = back->stacks[0].attention;
        QCOMPARE(b.heldHeads(), 2);
        QCOMPARE(b.data.size(), std::size_t(2) * b.queries * b.keys); // only what is held is decoded
        for (int l = 0; l < 2; ++l)
            for (int h = 0; h < 4; ++h) {
                const bool held = (l == 0 && h == 1) || (l == 1 && h == 3);
                QCOMPARE(b.holds(l, h), held);
                QCOMPARE(b.head(l, h) == nullptr, !held);
                QCOMPARE(std::isnan(back->stacks[0].summary(l, h)->entropy), !held);
            }
        QCOMPARE(maxDifference(original->stacks[0].attention, b), 0.0f);
        QVERIFY(!back->rollout); // rollout needs every chosen head in every layer
        const std::string text = attentionJson(*back);
        QVERIFY(text.find("[null,[[") != std::string::npos); // layer 0: head 0 null, head 1 a matrix
    }

    void topKKeepsTheLargestWeightsAndTheirMass()
    {
        const auto original = runFixture("gpt2");
        AttentionFileOptions options;
        options.half = false;
        options.topK = 3;
        writeAttentionFile(path("top3.attention.safetensors"), *original, options);
        const auto back = reopen(path("top3.attention.safetensors"));
        const AttentionStack& s = back->stacks[0];
        const AttentionTensor& a = original->stacks[0].attention;
        QCOMPARE(s.keptPerQuery, 3);
        for (int l = 0; l < a.layers; ++l)
            for (int h = 0; h < a.heads; ++h) {
                const float* mass = retainedMassOf(s, l, h);
                QVERIFY(mass != nullptr);
                for (int q = 0; q < a.queries; ++q) {
                    const float* row = a.head(l, h) + static_cast<std::size_t>(q) * a.keys;
                    QVERIFY(std::abs(mass[q] - topMass(row, a.keys, 3)) < 1e-6f);
                    int kept = 0;
                    for (int k = 0; k < a.keys; ++k) {
                        const float w = s.attention.at(l, h, q, k);
                        if (w != 0.0f) {
                            ++kept;
                            QCOMPARE(w, row[k]); // a kept weight is the weight
                        }
                    }
                    QVERIFY(kept <= 3);
                }
            }
        QVERIFY(attentionJson(*back).find("\"retained_mass\"") != std::string::npos);
    }

    // Files from tools/export/attnviz_export.py (a torch forward of the GPT-2 fixture, written at
    // test time by tests/core/models/export_fixture_attention.py) against AttnViz's own forward.
    void pythonExportsMatchTheForwardPass()
    {
        const std::string dir = ATTNVIZ_EXPORT_DIR;
        const auto ours = runFixture("gpt2");
        const AttentionTensor& a = ours->stacks[0].attention;
        const auto dense = reopen(dir + "/gpt2-f32.attention.safetensors");
        QVERIFY(dense->stacks[0].attention.holdsEveryHead());
        QVERIFY2(maxDifference(a, dense->stacks[0].attention) < 1e-5f,
                 std::to_string(maxDifference(a, dense->stacks[0].attention)).c_str());
        QCOMPARE(dense->tokens.size(), ours->tokens.size());
        for (std::size_t i = 0; i < ours->tokens.size(); ++i) QCOMPARE(dense->tokens[i].id, ours->tokens[i].id);

        const auto heads = reopen(dir + "/gpt2-heads-f16.attention.safetensors");
        const AttentionTensor& b = heads->stacks[0].attention;
        QCOMPARE(b.heldHeads(), 3);
        QVERIFY(b.holds(0, 3) && b.holds(1, 0) && b.holds(1, 2) && !b.holds(0, 0));
        QVERIFY(maxDifference(a, b) < 5e-4f);

        const auto top = reopen(dir + "/gpt2-top3.attention.safetensors");
        for (int l = 0; l < a.layers; ++l)
            for (int h = 0; h < a.heads; ++h)
                for (int q = 0; q < a.queries; ++q)
                    QVERIFY(std::abs(retainedMassOf(top->stacks[0], l, h)[q] -
                                     topMass(a.head(l, h) + static_cast<std::size_t>(q) * a.keys, a.keys, 3)) < 1e-5f);
    }

    // The version-1 files checked in (written by attnviz-cli export from the built-in models)
    // keep opening: the format is a promise to files already on people's disks.
    void checkedInFilesOpen()
    {
        const std::string dir = std::string(ATTNVIZ_TEST_DATA) + "/attentionfiles/";
        const auto translator = reopen(dir + "translator-f16.attention.safetensors");
        QCOMPARE(translator->stacks.size(), std::size_t(3));
        QCOMPARE(translator->stacks[2].name, std::string("cross"));
        QVERIFY(translator->stacks[2].keysFromSource && !translator->stacks[2].queriesFromSource);
        QVERIFY(translator->stacks[0].queriesFromSource && translator->stacks[0].keysFromSource);
        QVERIFY(!translator->sourceTokens.empty());
        const auto pair = reopen(dir + "encoder-pair-f16.attention.safetensors");
        QVERIFY(std::any_of(pair->tokens.begin(), pair->tokens.end(), [](const Token& t) { return t.segment == 1; }));
        QVERIFY(std::any_of(pair->tokens.begin(), pair->tokens.end(), [](const Token& t) { return t.special; }));
        const auto top = reopen(dir + "decoder-top3.attention.safetensors");
        QCOMPARE(top->stacks[0].keptPerQuery, 3);
        QCOMPARE(top->stacks[0].attention.heldHeads(), 2);
        QVERIFY(top->stacks[0].attention.holds(0, 1) && top->stacks[0].attention.holds(2, 3));
        const auto dense = reopen(dir + "decoder-f16.attention.safetensors");
        QVERIFY(dense->stacks[0].attention.holdsEveryHead());
        QCOMPARE(dense->tokens.back().display, std::string("."));
        QCOMPARE(dense->tokens.back().begin, 11); // "The cat sat." : byte offsets kept
    }

    void exportCommandWritesWhatAttentionPrints()
    {
        const QString file = m_dir.path() + "/cli.attention.safetensors";
        const QString text = "The cat sat on the mat.";
        QProcess cli;
        cli.start(ATTNVIZ_CLI, {"export", "--model", "builtin:decoder", "--text", text, "--dtype", "f32", "-o", file});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        cli.start(ATTNVIZ_CLI, {"export", "--model", "builtin:decoder", "--text", text, "-o", file});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 2); // an existing file is kept without --force
        QVERIFY(cli.readAllStandardError().contains("--force"));

        const auto json = [&](const QString& model) {
            QProcess p;
            QStringList args{"attention", "--model", model, "--json"};
            if (model.startsWith("builtin:")) args << "--text" << text;
            p.start(ATTNVIZ_CLI, args);
            p.waitForFinished(60000);
            const auto doc = json::parse(p.readAllStandardOutput().toStdString());
            return json::Value(*doc.find("attention"));
        };
        const json::Value direct = json("builtin:decoder"), fromFile = json(file);
        QCOMPARE(json::Writer().value(fromFile).str(), json::Writer().value(direct).str());
    }

    void brokenFilesAreRefusedByName()
    {
        const std::string weights = bytesOf(goodWeights());
        const auto withDoc = [&](const std::string& doc) { return rawFile(doc, {{"stacks.0.weights", "F32", "[1,2,2,2]", weights}}); };
        const auto replaced = [&](const std::string& from, const std::string& to) {
            std::string doc = goodDocument;
            const auto at = doc.find(from);
            if (at == std::string::npos) throw std::logic_error("test: no " + from);
            return withDoc(doc.replace(at, from.size(), to));
        };
        QVERIFY(openModel(written("good.attention.safetensors", withDoc(goodDocument))) != nullptr); // the base case opens

        expectRefusal(rawFile(goodDocument, {{"stacks.0.weights", "F32", "[1,2,2,2]", weights}}, "pt"), "without AttnViz attention metadata");
        expectRefusal(withDoc("{\"version\":1,"), "not valid JSON");
        expectRefusal(replaced("\"version\":1", "\"version\":2"), "version is 2");
        expectRefusal(replaced("\"version\":1,", ""), "version is missing");
        expectRefusal(replaced("\"layers\":1,\"heads\":2}", "\"layers\":1,\"heads\":3}"), "model says 1 layers × 3 heads");
        expectRefusal(replaced("\"begin\":1,\"end\":2", "\"begin\":2,\"end\":1"), "tokens[1] has begin 2 and end 1");
        expectRefusal(replaced("\"begin\":1,\"end\":2", "\"begin\":1,\"end\":9"), "tokens[1].end");
        expectRefusal(replaced("{\"text\":\"a\",", "{\"txt\":\"a\","), "tokens[0].text is missing");
        expectRefusal(replaced("\"mask\":\"causal\"", "\"mask\":\"diagonal\""), "mask must be");
        expectRefusal(replaced("\"storage\":\"dense\"", "\"storage\":\"sparse\""), "storage must be");
        expectRefusal(replaced("\"keys\":\"tokens\"", "\"keys\":\"source_tokens\""), "lacks");
        expectRefusal(replaced("\"layers\":1,\"heads\":2,\"mask\"", "\"layers\":-1,\"heads\":2,\"mask\""), "stacks[0].layers");
        expectRefusal(rawFile(goodDocument, {}), "stacks.0.weights\" is missing");
        expectRefusal(rawFile(goodDocument, {{"stacks.0.weights", "F32", "[1,2,4]", weights}}), "has shape [1, 2, 4]");
        expectRefusal(rawFile(goodDocument, {{"stacks.0.weights", "I32", "[1,2,2,2]", weights}}), "has dtype I32");
        std::vector<float> nan = goodWeights();
        nan[3] = NAN;
        expectRefusal(rawFile(goodDocument, {{"stacks.0.weights", "F32", "[1,2,2,2]", bytesOf(nan)}}),
                      "holds nan for layer 0 head 0");
        std::vector<float> big = goodWeights();
        big[5] = 1.5f;
        expectRefusal(rawFile(goodDocument, {{"stacks.0.weights", "F32", "[1,2,2,2]", bytesOf(big)}}), "lie in [0, 1]");
        // Selected heads: out of range and repeated pairs.
        const std::vector<float> all = goodWeights();
        const std::vector<float> one(all.begin(), all.begin() + 4);
        expectRefusal(rawFile(goodDocument, {{"stacks.0.heads", "I32", "[1,2]", bytesOf(std::vector<std::int32_t>{0, 2})},
                                             {"stacks.0.weights", "F32", "[1,2,2]", bytesOf(one)}}),
                      "names layer 0 head 2, outside");
        expectRefusal(rawFile(goodDocument, {{"stacks.0.heads", "I32", "[2,2]", bytesOf(std::vector<std::int32_t>{0, 1, 0, 1})},
                                             {"stacks.0.weights", "F32", "[2,2,2]", weights}}),
                      "twice");
        // Top-k: a key outside the row, a key twice.
        std::string topDoc = goodDocument;
        topDoc.replace(topDoc.find("\"dense\""), 7, "\"top_k\"");
        const std::string topWeights = bytesOf(std::vector<float>{1, 0.75f, 1, 0.5f});
        expectRefusal(rawFile(topDoc, {{"stacks.0.topk_weights", "F32", "[1,2,2,1]", topWeights},
                                       {"stacks.0.topk_keys", "I32", "[1,2,2,1]", bytesOf(std::vector<std::int32_t>{0, 7, 0, 1})}}),
                      "has key 7 in layer 0 head 0 query 1 (outside the keys)");
        expectRefusal(rawFile(topDoc, {{"stacks.0.topk_weights", "F32", "[1,2,2,2]", bytesOf(std::vector<float>{1, 0, 0.5f, 0.5f, 1, 0, 0.5f, 0.5f})},
                                       {"stacks.0.topk_keys", "I32", "[1,2,2,2]", bytesOf(std::vector<std::int32_t>{0, 1, 1, 1, 0, 1, 0, 1})}}),
                      "has key 1 in layer 0 head 0 query 1 twice");
        expectRefusal(rawFile(topDoc, {{"stacks.0.topk_weights", "F32", "[1,2,2,3]", std::string(48, '\0')},
                                       {"stacks.0.topk_keys", "I32", "[1,2,2,3]", std::string(48, '\0')}}),
                      "keeps 3 weights per row");
        // A claim of huge maps is refused before anything is allocated for them (a sparse file
        // of 1.1 GB: 1024 × 1024 maps of 23 × 23 F16 weights, 2^29 floats being the bound).
        std::string many = "{\"version\":1,\"model\":{\"name\":\"m\",\"family\":\"t\",\"layers\":1024,\"heads\":1024},\"tokens\":[";
        for (int i = 0; i < 23; ++i) many += std::string(i ? "," : "") + "{\"text\":\"x\"}";
        many += "],\"stacks\":[{\"name\":\"self\",\"queries\":\"tokens\",\"keys\":\"tokens\",\"layers\":1024,\"heads\":1024}]}";
        const std::size_t hugeBytes = std::size_t(1024) * 1024 * 23 * 23 * 2;
        // rawFile writes data_offsets [0, 0] for no bytes: the header then gets the real end.
        std::string header = rawFile(many, {{"stacks.0.weights", "F16", "[1024,1024,23,23]", ""}}).substr(8);
        header.replace(header.find("[0,0]"), 5, "[0," + std::to_string(hugeBytes) + "]");
        std::string prefix(8, '\0');
        for (int i = 0; i < 8; ++i) prefix[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
        const std::string file = written("huge.attention.safetensors", prefix + header);
        std::filesystem::resize_file(file, prefix.size() + header.size() + hugeBytes);
        try {
            openModel(file);
            QFAIL("opened a file whose maps exceed the decoding bound");
        } catch (const ModelLoadError& e) {
            QVERIFY2(std::string(e.what()).find("MiB once decoded") != std::string::npos, e.what());
        }
        std::filesystem::remove(file);
    }

    void controlCharactersInTokenTextsAreShownEscaped()
    {
        // A file from another tool may carry raw control characters in token texts: they are shown
        // as "\xNN" / "\n" like the tokenizers' labels, so the views, the exports and the CLI's
        // plain-text table (a terminal would ring or move the cursor) never get them raw.
        std::string doc = goodDocument;
        const std::string plain = "{\"text\":\"a\",";
        doc.replace(doc.find(plain), plain.size(), "{\"text\":\"\\u0007\\n\u00e9\",");
        const std::string file = written("controls.attention.safetensors",
                                         rawFile(doc, {{"stacks.0.weights", "F32", "[1,2,2,2]", bytesOf(goodWeights())}}));
        std::shared_ptr<AttentionResult> result;
        try {
            result = reopen(file);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        QCOMPARE(QString::fromStdString(result->tokens[0].display), QStringLiteral("\\x07\\n\u00e9"));
        QCOMPARE(QString::fromStdString(result->tokens[1].display), QStringLiteral("b"));
    }

    void recomputeFeaturesSayTheyNeedTheModel()
    {
        const auto original = runFixture("gpt2");
        writeAttentionFile(path("n.attention.safetensors"), *original, AttentionFileOptions{});
        const auto model = openModel(path("n.attention.safetensors"));
        RunRequest ablate;
        ablate.ablatedHeads = {{0, 1}};
        const auto r = model->run(ablate);
        const auto said = [&](const std::string& what) {
            return std::any_of(r->notices.begin(), r->notices.end(), [&](const std::string& n) { return n.find(what) != std::string::npos; });
        };
        QVERIFY(said("ablation needs the model itself"));
        QVERIFY(said("attention recorded in a file (F16): 8 of 8 maps"));
    }
};

QTEST_GUILESS_MAIN(TestAttentionFile)
#include "test_attentionfile.moc"
