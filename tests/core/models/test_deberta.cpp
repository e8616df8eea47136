// DeBERTa-v2/v3's disentangled attention beyond the data-driven reference test: the log-bucket
// function against hand-computed values and against torch over a wide range, the relative
// positions the fixtures' references used, the pipeline's scores / scaled scores / weights (the
// scaled ones hold the c2p and p2c terms), that each position term matters (dropping either from
// config.json moves the maps off the reference), the convolution after layer 0, which readouts are
// defined, results independent of the thread count, the tokenizer.json, and the refusals.

#include "base/modelloaderror.h"
#include "engine/attentionmodel.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"
#include "models/disentangled.h"
#include "models/generictransformer.h"
#include "models/hfconfig.h"
#include "registry/modelregistry.h"
#include "tokenizers/tokenizer.h"

#include <omp.h>

#include <QTemporaryDir>
#include <filesystem>
#include <fstream>
#include <QTest>

using namespace attnviz;
using namespace attnviz::testing;

namespace {

constexpr float tolerance = 1e-4f;

MaskMatrix everyKey(Index T)
{
    return buildMask(MaskSpec::padding(std::vector<std::uint8_t>(static_cast<std::size_t>(T), 1)), T, T);
}

const Transformer& networkOf(const AttentionModel& model)
{
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(&model);
    if (checkpoint == nullptr)
        throw std::runtime_error("not a checkpoint model");
    return checkpoint->transformer();
}

} // namespace

class TestDeberta : public QObject
{
    Q_OBJECT

private slots:
    void logBucketsByHand_data();
    void logBucketsByHand();
    void logBucketsMatchTorchOverAWideRange();
    void relativePositionsMatchTheReferences_data();
    void relativePositionsMatchTheReferences();
    void pipelineHoldsThePositionTerms();
    void eachPositionTermMatters_data();
    void eachPositionTermMatters();
    void readouts();
    void sameWithOneAndTwoThreads_data();
    void sameWithOneAndTwoThreads();
    void convolutionMatters();
    void tokenizerAndMaskedPredictions();
    void spmModelAloneTakesIds();
    void refusals_data();
    void refusals();
};

void TestDeberta::logBucketsByHand_data()
{
    QTest::addColumn<int>("relative");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<int>("maxPosition");
    QTest::addColumn<int>("expected");
    // DeBERTa-v3's settings: 256 buckets, 512 positions (mid 128). |r| ≤ 128 stays; beyond,
    // ceil(ln(|r| / 128) / ln(511 / 128) · 127) + 128, e.g. 129: ln(1.0078)/ln(3.992)·127 = 0.714 → 129;
    // 200: 0.4463/1.3844·127 = 40.9 → 169; 1000: 2.0557/1.3844·127 = 188.6 → 317.
    QTest::newRow("0") << 0 << 256 << 512 << 0;
    QTest::newRow("127") << 127 << 256 << 512 << 127;
    QTest::newRow("-128") << -128 << 256 << 512 << -128;
    QTest::newRow("129") << 129 << 256 << 512 << 129;
    QTest::newRow("-129") << -129 << 256 << 512 << -129;
    QTest::newRow("200") << 200 << 256 << 512 << 169;
    QTest::newRow("-200") << -200 << 256 << 512 << -169;
    QTest::newRow("1000") << 1000 << 256 << 512 << 317;
    // The fixtures' 8 buckets up to 24 positions (mid 4): ceil(ln(|r| / 4) / ln(23 / 4) · 3) + 4;
    // 5: 0.2231/1.7492·3 = 0.38 → 5; 6: 0.4055/1.7492·3 = 0.70 → 5; 11: 1.0116/1.7492·3 = 1.73 → 6.
    QTest::newRow("small 3") << 3 << 8 << 24 << 3;
    QTest::newRow("small 4") << 4 << 8 << 24 << 4;
    QTest::newRow("small 5") << 5 << 8 << 24 << 5;
    QTest::newRow("small 6") << 6 << 8 << 24 << 5;
    QTest::newRow("small -11") << -11 << 8 << 24 << -6;
    QTest::newRow("small 11") << 11 << 8 << 24 << 6;
}

void TestDeberta::logBucketsByHand()
{
    QFETCH(int, relative);
    QFETCH(int, buckets);
    QFETCH(int, maxPosition);
    QFETCH(int, expected);
    QCOMPARE(logBucketPosition(relative, buckets, maxPosition), expected);
}

void TestDeberta::logBucketsMatchTorchOverAWideRange()
{
    // Σ bucket(r)·r over r in [−5000, 5000] and the largest |bucket|, from the fixture script's
    // deberta_log_bucket under torch 1.13 (float32 logs, as make_log_bucket_position computes them).
    // The cases whose quotient is exactly an integer (511 → 255, 23 → 7) are where float32 counts.
    long long sum256 = 0, sum8 = 0;
    int largest256 = 0, largest8 = 0;
    for (int r = -5000; r <= 5000; ++r) {
        const int b256 = logBucketPosition(r, 256, 512);
        const int b8 = logBucketPosition(r, 8, 24);
        sum256 += static_cast<long long>(b256) * r;
        sum8 += static_cast<long long>(b8) * r;
        largest256 = std::max(largest256, std::abs(b256));
        largest8 = std::max(largest8, std::abs(b8));
    }
    QCOMPARE(sum256, 10474214910LL);
    QCOMPARE(largest256, 465);
    QCOMPARE(sum8, 397313822LL);
    QCOMPARE(largest8, 17);
    QCOMPARE(logBucketPosition(511, 256, 512), 255);
    QCOMPARE(logBucketPosition(23, 8, 24), 7);
    QCOMPARE(logBucketPosition(4095, 256, 512), 446);
}

void TestDeberta::relativePositionsMatchTheReferences_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<int>("maxRelative");
    QTest::newRow("deberta_v3") << "deberta_v3" << 8 << 24;       // max_relative_positions -1: max_position_embeddings
    QTest::newRow("deberta_v2_bare") << "deberta_v2_bare" << -1 << 6; // not bucketed
}

void TestDeberta::relativePositionsMatchTheReferences()
{
    QFETCH(QString, name);
    QFETCH(int, buckets);
    QFETCH(int, maxRelative);
    const json::Value root = json::parseFile(modelCase(name.toStdString()) + "/expected.json");
    const std::vector<int> expected = intsOf(*root.find("relative_positions"));
    const auto T = static_cast<int>(intsOf(*root.find("ids")).size());
    DisentangledAttention a;
    a.positionBuckets = buckets;
    a.maxRelativePositions = maxRelative;
    std::vector<int> ours;
    for (int i = 0; i < T; ++i)
        for (int j = 0; j < T; ++j)
            ours.push_back(relativePosition(i, j, a));
    QCOMPARE(ours, expected);
    // The settings as the loader reads them from the folder's config.json.
    const DisentangledAttention read =
        disentangledSettings(HfConfig::load(modelCase(name.toStdString()) + "/config.json"), 24);
    QVERIFY(read.relative && read.c2p && read.p2c);
    QCOMPARE(read.positionBuckets, buckets);
    QCOMPARE(read.maxRelativePositions, maxRelative);
    QCOMPARE(read.scaleFactor(), 3);
}

void TestDeberta::pipelineHoldsThePositionTerms()
{
    const std::string folder = modelCase("deberta_v3");
    const json::Value root = json::parseFile(folder + "/expected.json");
    const Reference ref = loadReference("deberta_v3");
    const auto T = static_cast<Index>(ref.ids.size());
    const auto model = openModel(folder);
    const Transformer& net = networkOf(*model);
    ForwardOptions options;
    options.mask = everyKey(T);
    options.pipelineHead = std::make_pair(ref.pipelineLayer, ref.pipelineHead);
    const ForwardResult forward = net.forward(ref.ids, {}, options);
    QVERIFY(forward.pipeline.has_value());
    const HeadCapture& c = forward.pipeline->capture;
    const json::Value& p = *root.find("pipeline");
    const Matrix scores = matrixOf(*p.find("scores"), T);
    const Matrix scaled = matrixOf(*p.find("scaled"), T);
    qInfo("max |scores - reference| = %.3g, |scaled - reference| = %.3g", static_cast<double>(maxAbsDiff(c.scores, scores)),
          static_cast<double>(maxAbsDiff(c.scaled, scaled)));
    QVERIFY2(maxAbsDiff(c.scores, scores) < tolerance, "scores are Q·Kᵀ alone");
    QVERIFY2(maxAbsDiff(c.scaled, scaled) < tolerance, "scaled scores hold the c2p and p2c terms");
    // Without the position terms the scaled scores would be scores ÷ √(d_k·3): they are not.
    const float contentOnly = maxAbsDiff(Matrix(scores / std::sqrt(8.0f * 3.0f)), scaled);
    QVERIFY2(contentOnly > 0.05f, "the fixture's position terms are too small to tell");
    // The captured weights are the map shown.
    const AttentionTensor& att = forward.attention;
    const Eigen::Map<const Matrix> map(att.head(ref.pipelineLayer, ref.pipelineHead), T, T);
    QCOMPARE(maxAbsDiff(c.weights, Matrix(map)), 0.0f);
    const std::string& note = forward.pipeline->note;
    QVERIFY2(note.find("c2p") != std::string::npos && note.find("p2c") != std::string::npos, note.c_str());
    QVERIFY2(note.find("share_att_key") != std::string::npos, note.c_str());
}

void TestDeberta::eachPositionTermMatters_data()
{
    QTest::addColumn<QString>("posAttType");
    QTest::newRow("c2p only") << "[\"c2p\"]";
    QTest::newRow("p2c only") << "\"p2c\"";
    QTest::newRow("neither") << "null";
}

void TestDeberta::eachPositionTermMatters()
{
    // Dropping a term from config.json must move the maps well off the reference, so the
    // data-driven test would fail if the forward lost c2p or p2c.
    QFETCH(QString, posAttType);
    QTemporaryDir dir;
    const std::string folder = copyModel(dir.path().toStdString(), "deberta_v3", "dropped",
                                         patchedConfig("deberta_v3", "pos_att_type", posAttType.toStdString()));
    const Reference ref = loadReference("deberta_v3");
    const auto model = openModel(folder);
    ForwardOptions options;
    options.mask = everyKey(static_cast<Index>(ref.ids.size()));
    const ForwardResult forward = networkOf(*model).forward(ref.ids, {}, options);
    const float off = maxAbsDiff(forward.attention.data, ref.attention);
    qInfo("max |attention - reference| without a term: %.3g", static_cast<double>(off));
    QVERIFY(off > 100 * tolerance);
}

void TestDeberta::readouts()
{
    // Value weighting and ALTI read the weights and value writes, defined as for BERT's post-norm
    // blocks; direct logit attribution is not (the masked-LM head is not linear) and says so.
    const Reference ref = loadReference("deberta_v3");
    const auto T = static_cast<Index>(ref.ids.size());
    const auto model = openModel(modelCase("deberta_v3"));
    ForwardOptions options;
    options.mask = everyKey(T);
    options.valueGram = true;
    options.alti = true;
    options.attributionRow = 2;
    const ForwardResult forward = networkOf(*model).forward(ref.ids, {}, options);
    QCOMPARE(static_cast<int>(forward.alti.size()), 2);
    QVERIFY(!forward.valueGram.empty());
    QVERIFY(!forward.attribution.has_value());
    QCOMPARE(forward.readoutNotes.size(), std::size_t(1));
    QVERIFY(forward.readoutNotes.front().find("masked-LM head") != std::string::npos);
    for (const Matrix& layer : forward.alti) // each query's contributions add up to one
        QVERIFY((layer.rowwise().sum().array() - 1.0f).abs().maxCoeff() < 1e-4f);
}

void TestDeberta::sameWithOneAndTwoThreads_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("deberta_v3_legacy_head") << "deberta_v3_legacy_head";
    QTest::newRow("deberta_v2_conv") << "deberta_v2_conv";
}

void TestDeberta::sameWithOneAndTwoThreads()
{
    // The position terms are computed per head in parallel: bit for bit what one thread gives.
    // 24 tokens (the fixture's every position) × 4 heads is enough work to run the heads in parallel.
    QFETCH(QString, name);
    const Reference ref = loadReference(name.toStdString());
    std::vector<int> ids = ref.ids;
    ids.insert(ids.end(), ref.ids.begin(), ref.ids.begin() + 11);
    QCOMPARE(ids.size(), std::size_t(24));
    const auto model = openModel(modelCase(name.toStdString()));
    ForwardOptions options;
    options.mask = everyKey(static_cast<Index>(ids.size()));
    options.pipelineHead = std::make_pair(1, 1);
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    const ForwardResult one = networkOf(*model).forward(ids, {}, options);
    omp_set_num_threads(2);
    const ForwardResult two = networkOf(*model).forward(ids, {}, options);
    omp_set_num_threads(saved);
    QVERIFY(one.attention.data == two.attention.data);
    QVERIFY(one.hidden == two.hidden);
    QVERIFY(one.logits.size() > 0 && one.logits == two.logits);
    QVERIFY(one.pipeline->capture.scaled == two.pipeline->capture.scaled);
}

void TestDeberta::convolutionMatters()
{
    // deberta_v2_conv without its convolution (conv_kernel_size 0) keeps layer 0's maps and loses
    // layer 1's: the reference holds the convolution. ALTI says it is not defined there.
    const Reference ref = loadReference("deberta_v2_conv");
    const auto T = static_cast<Index>(ref.ids.size());
    QTemporaryDir dir;
    const std::string folder = copyModel(dir.path().toStdString(), "deberta_v2_conv", "noconv",
                                         patchedConfig("deberta_v2_conv", "conv_kernel_size", "0"));
    ForwardOptions options;
    options.mask = everyKey(T);
    const ForwardResult without = networkOf(*openModel(folder)).forward(ref.ids, {}, options);
    const std::size_t perLayer = static_cast<std::size_t>(4 * T * T);
    const std::span<const float> ours(without.attention.data), theirs(ref.attention);
    QVERIFY(maxAbsDiff(ours.first(perLayer), theirs.first(perLayer)) < tolerance);
    QVERIFY(maxAbsDiff(ours.subspan(perLayer), theirs.subspan(perLayer)) > 100 * tolerance);

    const auto model = openModel(modelCase("deberta_v2_conv"));
    options.alti = true;
    options.valueGram = true;
    const ForwardResult with = networkOf(*model).forward(ref.ids, {}, options);
    QVERIFY(with.alti.empty());
    QVERIFY(!with.valueGram.empty());
    QCOMPARE(with.readoutNotes.size(), std::size_t(1));
    QVERIFY2(with.readoutNotes.front().find("convolution") != std::string::npos, with.readoutNotes.front().c_str());
}

void TestDeberta::tokenizerAndMaskedPredictions()
{
    // deberta_v3's tokenizer.json is in DeBERTa-v3's layout (tools/fixtures: Unigram, Strip and
    // Replace normalizers, a Sequence holding Metaspace "always", [CLS] $A [SEP], [MASK] added past
    // the Unigram vocabulary). Ids by hand from its pieces: ▁the 6, ▁cat 7, ▁sat 8, ▁on 9; after
    // [MASK] the "." is its own word, so Metaspace prepends ▁ (4) and "▁." splits into ▁ and . (5).
    const auto model = openModel(modelCase("deberta_v3"));
    const Tokenizer* tokenizer = model->tokenizer();
    QVERIFY(tokenizer != nullptr);
    QCOMPARE(idsOf(tokenizer->encodeForModel("the cat sat on the [MASK].")),
             std::vector<int>({1, 6, 7, 8, 9, 6, 99, 4, 5, 2}));
    RunRequest request;
    request.text = "the cat sat on the [MASK].";
    const auto result = model->run(request);
    QCOMPARE(result->maskedPredictions.size(), std::size_t(1));
    QCOMPARE(result->maskedPredictions.front().first, 6);
    QVERIFY(!result->maskedPredictions.front().second.empty());
}

void TestDeberta::spmModelAloneTakesIds()
{
    // A folder as microsoft/deberta-v3-* ship it, spm.model without tokenizer.json: it opens, takes
    // token ids, and every result says why there is no tokenizer.
    QTemporaryDir dir;
    const std::string folder = copyModel(dir.path().toStdString(), "deberta_v3", "spm");
    std::filesystem::remove(folder + "/tokenizer.json");
    std::ofstream(folder + "/spm.model") << "not read";
    const auto model = openModel(folder);
    QVERIFY(model->tokenizer() == nullptr);
    RunRequest request;
    request.ids = loadReference("deberta_v3").ids;
    const auto result = model->run(request);
    const bool said = std::any_of(result->notices.begin(), result->notices.end(), [](const std::string& n) {
        return n.find("token ids only") != std::string::npos;
    });
    QVERIFY(said);
}

void TestDeberta::refusals_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("named");
    QTest::newRow("conv layer without its tensors") << "conv_kernel_size" << "3" << "encoder.conv.conv.weight";
    QTest::newRow("even conv kernel") << "conv_kernel_size" << "4" << "conv_kernel_size";
    QTest::newRow("conv groups not dividing the width") << "conv_groups" << "3" << "conv_groups";
    QTest::newRow("pos_att_type number") << "pos_att_type" << "7" << "pos_att_type";
    QTest::newRow("too few buckets") << "position_buckets" << "2" << "position_buckets";
    QTest::newRow("buckets beyond the positions") << "position_buckets" << "64" << "position_buckets";
    QTest::newRow("table of another size") << "position_buckets" << "6" << "rel_embeddings";
}

void TestDeberta::refusals()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, named);
    QTemporaryDir dir;
    const std::string base = key == "conv_groups" ? "deberta_v2_conv" : "deberta_v3";
    const std::string folder = copyModel(dir.path().toStdString(), base, "refused",
                                         patchedConfig(base, key.toStdString(), value.toStdString()));
    try {
        openModel(folder);
        QFAIL("loaded");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find(named.toStdString()) != std::string::npos, e.what());
    }
}

QTEST_APPLESS_MAIN(TestDeberta)
#include "test_deberta.moc"
