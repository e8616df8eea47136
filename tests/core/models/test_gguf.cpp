// GGUF models against llama.cpp itself: every fixture of tools/gguf/make_gguf_fixtures.py (random
// weights, one or more per architecture) and its quantised variants (made by llama.cpp's own
// quantiser) run through AttnViz and through llama.cpp (tools/llamacpp/llamacpp_reference, flash
// attention off, F32 KV cache), on the same token ids. Compared: every attention map, and the
// logits after the last token.
//
// Tolerances, from measurements (tools/llamacpp/README.md):
// - F32 files: 1e-4 on every map (measured ≤ 3e-6). llama.cpp computes GELU through an fp16 table
//   (input and output rounded to half), so for the GELU families (GPT-2, Gemma) only the first
//   layer's maps, computed before any MLP, are held to 1e-4; later ones differ by up to 6e-4 and
//   are held to 2e-3 (with llama.cpp's table emulated in AttnViz they agree to 2e-5).
// - quantised files: the F32 tolerances above against llama.cpp on the same weights dequantised by
//   ggml into an F32 file (AttnViz computes in F32 on exactly those weights: measured ≤ 2e-6);
//   and 0.05 against llama.cpp's own quantised maps, which come from 8-bit activations (where
//   those move llama.cpp's maps further from its own F32 maps, up to that distance).

#include "npyfile.h"
#include "models/checkpointmodel.h"
#include "models/generictransformer.h"
#include "models/gguffile.h"
#include "registry/modelregistry.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <map>

using namespace attnviz;

namespace {

const QString fixtures = QStringLiteral(ATTNVIZ_GGUF_FIXTURES);
const QString reference = QStringLiteral(ATTNVIZ_LLAMACPP_REFERENCE);

// fixture name -> architecture, from the fixtures' manifest.tsv
std::map<QString, QString> architectures()
{
    std::map<QString, QString> out;
    QFile manifest(fixtures + "/manifest.tsv");
    if (!manifest.open(QIODevice::ReadOnly))
        qFatal("no %s/manifest.tsv: the gguf_fixtures test fixture did not run", qPrintable(fixtures));
    for (const QByteArray& line : manifest.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() >= 2)
            out[QString::fromUtf8(fields[0])] = QString::fromUtf8(fields[1]);
    }
    return out;
}

bool usesGelu(const QString& arch)
{
    return arch == "gpt2" || arch.startsWith("gemma");
}

struct Run
{
    std::shared_ptr<AttentionResult> result;
    std::vector<int> ids;
};

Run runOnReferenceIds(const QString& model, const QString& evalDir)
{
    const NpyArray tokens = readNpy((evalDir + "/tokens.npy").toStdString());
    Run run;
    run.ids.assign(tokens.ints.begin(), tokens.ints.end());
    RunRequest request;
    request.ids = run.ids;
    request.topK = 5;
    run.result = openModel(model.toStdString())->run(request);
    return run;
}

} // namespace

class TestGguf : public QObject
{
    Q_OBJECT

private slots:
    void mapsMatchLlamaCpp_data();
    void mapsMatchLlamaCpp();
    void embeddedTokenizerGivesLlamaCppIds_data();
    void embeddedTokenizerGivesLlamaCppIds();
    void quantisedModelsSayTheirTypes();
    void splitModelsReadAsOneFile();
    void brokenSplitsAreRefused_data();
    void brokenSplitsAreRefused();
    void nonFiniteQuantisedScalesAreRefused_data();
    void nonFiniteQuantisedScalesAreRefused();
    void refusesWhatItCannotCompute_data();
    void refusesWhatItCannotCompute();
};

void TestGguf::mapsMatchLlamaCpp_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("evalDir");
    QTest::addColumn<QString>("arch");
    QTest::addColumn<bool>("quantised");
    const std::map<QString, QString> archs = architectures();
    QVERIFY(archs.size() >= 7);
    const QStringList evals = QDir(reference + "/eval").entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(evals.size() > static_cast<int>(archs.size()), "the llamacpp_reference_outputs fixture did not run");
    for (const QString& variant : evals) {
        if (variant.endsWith("-dequantised"))
            continue; // a reference for its quantised variant, below
        const QString fixture = variant.section('-', 0, 0);
        const bool quantised = variant.contains('-');
        const QString model = quantised ? reference + "/quant/" + variant + ".gguf" : fixtures + "/" + fixture + ".gguf";
        QTest::newRow(qPrintable(variant)) << model << reference + "/eval/" + variant << archs.at(fixture) << quantised;
    }
}

namespace {

// Layer l's maps of llama.cpp in evalDir: (heads, T, kv) floats.
NpyArray referenceMaps(const QString& evalDir, int layer, const AttentionTensor& a)
{
    NpyArray maps = readNpy((evalDir + QString("/attn_%1.npy").arg(layer)).toStdString());
    if (maps.shape.size() != 3 || maps.shape[0] != a.heads || maps.shape[1] != a.queries || maps.shape[2] < a.queries)
        throw std::runtime_error((evalDir + ": maps of another shape").toStdString());
    return maps;
}

// max |x - y| over one layer's maps; x is AttnViz's (heads, T, T), y llama.cpp's (heads, T, kv ≥ T).
double mapDistance(const AttentionTensor& a, const std::vector<float>& x, const NpyArray& y)
{
    const std::int64_t T = a.queries, kv = y.shape[2];
    double worst = 0;
    for (int h = 0; h < a.heads; ++h)
        for (std::int64_t q = 0; q < T; ++q)
            for (std::int64_t k = 0; k < T; ++k)
                worst = std::max(worst, std::abs(double(x[static_cast<std::size_t>((h * T + q) * T + k)]) -
                                                 y.floats[static_cast<std::size_t>((h * T + q) * kv + k)]));
    return worst;
}

std::vector<float> layerOf(const AttentionTensor& a, int l)
{
    const float* p = a.head(l, 0);
    return std::vector<float>(p, p + static_cast<std::size_t>(a.heads) * a.queries * a.keys);
}

std::vector<float> asVector(const NpyArray& maps, std::int64_t T)
{ // llama.cpp's maps cut to T keys, laid out as AttnViz's
    std::vector<float> out;
    const std::int64_t kv = maps.shape[2];
    for (std::int64_t hq = 0; hq < maps.shape[0] * maps.shape[1]; ++hq)
        out.insert(out.end(), maps.floats.begin() + hq * kv, maps.floats.begin() + hq * kv + T);
    return out;
}

const float* lastLogits(const NpyArray& logits, std::size_t tokens)
{
    return logits.floats.data() + (static_cast<std::int64_t>(tokens) - 1) * logits.shape.at(1);
}

} // namespace

void TestGguf::mapsMatchLlamaCpp()
{
    QFETCH(QString, model);
    QFETCH(QString, evalDir);
    QFETCH(QString, arch);
    QFETCH(bool, quantised);
    const Run run = runOnReferenceIds(model, evalDir);
    const AttentionTensor& a = run.result->stacks.front().attention;
    QCOMPARE(a.queries, static_cast<int>(run.ids.size()));
    // Quantised: the F32 reference is llama.cpp on the same weights dequantised by ggml.
    const QString exactDir = quantised ? evalDir + "-dequantised" : evalDir;
    for (int l = 0; l < a.layers; ++l) {
        const double f32Tolerance = usesGelu(arch) && l > 0 ? 2e-3 : 1e-4;
        const std::vector<float> ours = layerOf(a, l);
        const NpyArray exact = referenceMaps(exactDir, l, a);
        const double toExact = mapDistance(a, ours, exact);
        QVERIFY2(toExact <= f32Tolerance, qPrintable(QString("layer %1: max |AttnViz - llama.cpp on F32 weights| = %2 > %3")
                                                       .arg(l).arg(toExact).arg(f32Tolerance)));
        if (quantised) {
            // llama.cpp's own quantised maps come from 8-bit activations: 0.05 from AttnViz's, or
            // as far as they are from llama.cpp's own F32 maps of the same weights, if further.
            const NpyArray own = referenceMaps(evalDir, l, a);
            const double ownError = mapDistance(a, asVector(own, a.queries), exact);
            const double tolerance = std::max(0.05, ownError + f32Tolerance);
            const double toOwn = mapDistance(a, ours, own);
            QVERIFY2(toOwn <= tolerance, qPrintable(QString("layer %1: max |AttnViz - llama.cpp quantised| = %2 > %3")
                                                        .arg(l).arg(toOwn).arg(tolerance)));
        }
    }
    // The next-token predictions against llama.cpp's logits after the last token.
    const NpyArray logits = readNpy((exactDir + "/logits.npy").toStdString());
    const float* last = lastLogits(logits, run.ids.size());
    QVERIFY(!run.result->nextToken.empty());
    const double logitTolerance = usesGelu(arch) ? 2e-2 : 1e-3;
    for (const Prediction& p : run.result->nextToken)
        QVERIFY2(std::abs(p.logit - last[p.id]) <= logitTolerance,
                 qPrintable(QString("token %1: logit %2, llama.cpp %3").arg(p.id).arg(p.logit).arg(last[p.id])));
    const int best = static_cast<int>(std::max_element(last, last + logits.shape.at(1)) - last);
    QCOMPARE(run.result->nextToken.front().id, best);
}

void TestGguf::embeddedTokenizerGivesLlamaCppIds_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("text");
    QFile manifest(fixtures + "/manifest.tsv");
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    for (const QByteArray& line : manifest.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() >= 6)
            QTest::newRow(fields[0].constData()) << QString::fromUtf8(fields[0]) << QString::fromUtf8(fields[5]);
    }
}

// The manifest's text through the file's own tokenizer (BOS and all) gives the ids llama.cpp
// evaluated for the same text.
void TestGguf::embeddedTokenizerGivesLlamaCppIds()
{
    QFETCH(QString, fixture);
    QFETCH(QString, text);
    const NpyArray expected = readNpy((reference + "/eval/" + fixture + "/tokens.npy").toStdString());
    RunRequest request;
    request.text = text.toStdString();
    const auto result = openModel((fixtures + "/" + fixture + ".gguf").toStdString())->run(request);
    std::vector<int> ids;
    for (const Token& t : result->tokens)
        ids.push_back(t.id);
    QCOMPARE(ids, std::vector<int>(expected.ints.begin(), expected.ints.end()));
}

void TestGguf::quantisedModelsSayTheirTypes()
{
    const std::unique_ptr<AttentionModel> q = openModel((reference + "/quant/llama3-Q4_K_M.gguf").toStdString());
    RunRequest request;
    request.ids = std::vector<int>{1, 2, 3};
    const auto result = q->run(request);
    bool said = false;
    for (const std::string& n : result->notices)
        said = said || (n.find("quantised") != std::string::npos && n.find("Q4_K") != std::string::npos);
    QVERIFY2(said, "no notice says the weights are quantised and which types");
    const auto f32 = openModel((fixtures + "/llama3.gguf").toStdString())->run(request);
    for (const std::string& n : f32->notices)
        QVERIFY(n.find("quantised") == std::string::npos);
    // Quantised weights stay quantised: no matrix was widened to floats at load.
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(q.get());
    QVERIFY(checkpoint != nullptr);
    const auto* net = dynamic_cast<const GenericTransformer*>(&checkpoint->transformer());
    QVERIFY(net != nullptr);
    QCOMPARE(net->weightStorage().floatMatrices, 0);
    QVERIFY(net->weightStorage().encodedMatrices >= 2 * 4 + 1);
}

// gguf-split's three shards of the llama3 fixture (any of them opened) give exactly the one file's
// maps; llama.cpp, given the first shard, computes exactly its logits of the one file (so the shards
// are in the layout llama.cpp reads).
void TestGguf::splitModelsReadAsOneFile()
{
    const NpyArray whole = readNpy((reference + "/eval/llama3/logits.npy").toStdString());
    const NpyArray shards = readNpy((reference + "/split-eval/llama3/logits.npy").toStdString());
    QVERIFY(!whole.floats.empty());
    QCOMPARE(shards.floats, whole.floats);

    RunRequest request;
    request.ids = std::vector<int>{1, 7, 42, 9, 3};
    const auto one = openModel((fixtures + "/llama3.gguf").toStdString())->run(request);
    for (const char* shard : {"llama3-00001-of-00003.gguf", "llama3-00003-of-00003.gguf"}) {
        const auto split = openModel((fixtures + "/split/" + shard).toStdString())->run(request);
        const auto& a = split->stacks.front().attention;
        QCOMPARE(a.data, one->stacks.front().attention.data);
        QVERIFY(std::any_of(split->notices.begin(), split->notices.end(),
                            [](const std::string& n) { return n.find("3 split files") != std::string::npos; }));
    }
}

void TestGguf::brokenSplitsAreRefused_data()
{
    QTest::addColumn<QStringList>("copied"); // shard i of the fixture copied under name j: "i>j"
    QTest::addColumn<QString>("opened");
    QTest::addColumn<QString>("said");
    QTest::newRow("missing shard") << QStringList{"1>1", "2>2"} << "m-00001-of-00003.gguf" << "m-00003-of-00003.gguf: missing";
    QTest::newRow("shards swapped") << QStringList{"1>1", "3>2", "2>3"} << "m-00001-of-00003.gguf" << "say shard 3 of 3, not 2";
    QTest::newRow("shard renamed") << QStringList{"1>x"} << "x.gguf" << "its name does not end in -00001-of-00003.gguf";
    QTest::newRow("shard twice") << QStringList{"1>1", "2>2", "2>3"} << "m-00002-of-00003.gguf" << "say shard 2 of 3, not 3";
}

void TestGguf::brokenSplitsAreRefused()
{
    QFETCH(QStringList, copied);
    QFETCH(QString, opened);
    QFETCH(QString, said);
    QTemporaryDir dir;
    for (const QString& c : copied) {
        const QStringList from = c.split('>');
        const QString name = from[1] == "x" ? "x.gguf" : "m-0000" + from[1] + "-of-00003.gguf";
        QVERIFY(QFile::copy(fixtures + "/split/llama3-0000" + from[0] + "-of-00003.gguf", dir.filePath(name)));
    }
    try {
        openModel(dir.filePath(opened).toStdString());
        QFAIL("a broken split model was opened");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find(said.toStdString()) != std::string::npos, e.what());
    }
}

void TestGguf::nonFiniteQuantisedScalesAreRefused_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("scaleOffset"); // of the block's F16 d in ggml's layout
    QTest::newRow("Q4_K") << "Q4_K" << 0;
    QTest::newRow("Q6_K") << "Q6_K" << 208;
}

// llama.cpp's own Q4_K_M file with one block's scale made NaN: refused at open, the tensor named,
// instead of maps that are NaN (or drawn as zeros) wherever that block reaches.
void TestGguf::nonFiniteQuantisedScalesAreRefused()
{
    QFETCH(QString, type);
    QFETCH(int, scaleOffset);
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.gguf");
    QVERIFY(QFile::copy(reference + "/quant/llama3-Q4_K_M.gguf", path));
    std::string name;
    std::size_t at = 0;
    {
        const GgufFile file(path.toStdString());
        for (const auto& [tensorName, info] : file.tensors()) {
            if (info.dtype == type.toStdString() && info.shape.size() == 2 && name.empty()) {
                name = tensorName;
                const std::size_t blockBytes = type == "Q4_K" ? 144 : 210;
                at = info.begin + blockBytes + std::size_t(scaleOffset); // the second block
            }
        }
    }
    QVERIFY2(!name.empty(), qPrintable("no " + type + " matrix in the fixture"));
    QFile patch(path);
    QVERIFY(patch.open(QIODevice::ReadWrite));
    QVERIFY(patch.seek(qint64(at)));
    const char nan[2] = {'\x00', '\x7e'}; // F16 NaN, little-endian
    QCOMPARE(patch.write(nan, 2), qint64(2));
    patch.close();
    try {
        openModel(path.toStdString());
        QFAIL("a GGUF file with a NaN block scale was accepted");
    } catch (const ModelLoadError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find("\"" + name + "\"") != std::string::npos && what.find("NaN") != std::string::npos, e.what());
    }
}

void TestGguf::refusesWhatItCannotCompute_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QFile list(fixtures + "/refused/expected.tsv");
    QVERIFY(list.open(QIODevice::ReadOnly));
    int cases = 0;
    for (const QByteArray& line : list.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() == 2) {
            QTest::newRow(fields[0].constData()) << fixtures + "/refused/" + QString::fromUtf8(fields[0])
                                                 << QString::fromUtf8(fields[1]);
            ++cases;
        }
    }
    QVERIFY(cases >= 10);
}

// Variants of valid fixtures with one thing AttnViz cannot compute exactly (MoE, YaRN, partial
// RoPE, LongRoPE, an undecodable type) or that makes the file inconsistent: each refused with a
// ModelLoadError naming the key or tensor, never loaded into silently wrong numbers.
void TestGguf::refusesWhatItCannotCompute()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    try {
        (void)openModel(file.toStdString());
        QFAIL("opened");
    } catch (const ModelLoadError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

QTEST_APPLESS_MAIN(TestGguf)
#include "test_gguf.moc"
