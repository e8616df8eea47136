// The shipped built-in GPT-2 and BERT models (resources/models, f16 weights) load through the
// Hugging Face loader and reproduce the reference.json that tools/train computed with its own
// PyTorch forward pass: two attention matrices and the top-5 logits.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "modelfixture.h"
#include "models/checkpointmodel.h"
#include "models/seq2seqmodel.h"

#include <QTest>

using namespace attnviz;
using namespace attnviz::testing;

namespace {

std::string builtin(const std::string& name)
{
    return std::string(ATTNVIZ_RESOURCES) + "/models/" + name;
}

// reference "layerL_headH" matrix against our tensor; returns the largest difference.
float headDiff(const json::Value& matrix, const AttentionTensor& att, int layer, int head)
{
    float worst = 0.0f;
    const auto& rows = matrix.asArray();
    if (static_cast<int>(rows.size()) != att.queries)
        return INFINITY;
    for (int q = 0; q < att.queries; ++q) {
        const auto& row = rows[q].asArray();
        if (static_cast<int>(row.size()) != att.keys)
            return INFINITY;
        for (int k = 0; k < att.keys; ++k) {
            worst = std::max(worst, std::abs(static_cast<float>(row[k].asNumber()) - att.at(layer, head, q, k)));
        }
    }
    return worst;
}

void compareTop5(const json::Value& top5, const Matrix& logits, Index row)
{
    const std::vector<int> ids = intsOf(*top5.find("ids"));
    const std::vector<float> values = floatsOf(*top5.find("logits"));
    for (std::size_t i = 0; i < ids.size(); ++i) {
        QVERIFY2(std::abs(logits(row, ids[i]) - values[i]) < 1e-4f, "top-5 logit differs");
    }
    Index best = 0;
    logits.row(row).maxCoeff(&best);
    QCOMPARE(static_cast<int>(best), ids[0]);
}

} // namespace

class TestBuiltin : public QObject
{
    Q_OBJECT

private slots:
    void decoder();
    void encoder();
    void translator();
};

void TestBuiltin::decoder()
{
    const json::Value ref = json::parseFile(builtin("decoder") + "/reference.json");
    const auto model = openModel(builtin("decoder"));
    const std::vector<int> ids = intsOf(*ref.find("input_ids"));
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    ForwardOptions options;
    options.mask = buildMask(MaskSpec::causal(), static_cast<Index>(ids.size()), static_cast<Index>(ids.size()));
    const ForwardResult r = checkpoint->transformer().forward(ids, {}, options);
    const json::Value& att = *ref.find("attention");
    QVERIFY(headDiff(*att.find("layer0_head0"), r.attention, 0, 0) < 1e-4f);
    QVERIFY(headDiff(*att.find("layer3_head3"), r.attention, 3, 3) < 1e-4f);
    compareTop5(*ref.find("last_position_top5"), r.logits, static_cast<Index>(ids.size()) - 1);

    // Text goes through the folder's tokenizer.json; spans point into the text.
    RunRequest request;
    request.text = "The animal didn't cross the street";
    const auto result = model->run(request);
    QVERIFY(result->tokens.size() >= 6);
    // The folder's post-processor puts BOS first, as the model was trained.
    QVERIFY(result->tokens.front().special);
    QCOMPARE(result->tokens.front().id, 4089);
    const Token& first = result->tokens[1];
    QCOMPARE(request.text.substr(first.begin, first.end - first.begin), std::string("The"));
    QCOMPARE(result->nextToken.size(), std::size_t(10));
    QCOMPARE(result->stacks[0].attention.queries, static_cast<int>(result->tokens.size()));
}

void TestBuiltin::encoder()
{
    const json::Value ref = json::parseFile(builtin("encoder") + "/reference.json");
    const auto model = openModel(builtin("encoder"));
    const std::vector<int> ids = intsOf(*ref.find("input_ids"));
    const std::vector<int> types = intsOf(*ref.find("token_type_ids"));
    std::vector<std::uint8_t> valid;
    for (int v : intsOf(*ref.find("attention_mask")))
        valid.push_back(v != 0);
    const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get());
    QVERIFY(checkpoint != nullptr);
    ForwardOptions options;
    options.mask = buildMask(MaskSpec::padding(valid), static_cast<Index>(ids.size()), static_cast<Index>(ids.size()));
    const ForwardResult r = checkpoint->transformer().forward(ids, types, options);
    const json::Value& att = *ref.find("attention");
    QVERIFY(headDiff(*att.find("layer0_head0"), r.attention, 0, 0) < 1e-4f);
    QVERIFY(headDiff(*att.find("layer3_head3"), r.attention, 3, 3) < 1e-4f);
    compareTop5(*ref.find("mask_position_top5"), r.logits, static_cast<Index>(ref.find("mask_position")->asNumber()));
}

void TestBuiltin::translator()
{
    const json::Value ref = json::parseFile(builtin("translator") + "/reference.json");
    const auto model = openModel(builtin("translator"));
    const auto* seq2seq = dynamic_cast<const Seq2SeqModel*>(model.get());
    QVERIFY(seq2seq != nullptr);
    const std::vector<int> src = intsOf(*ref.find("input_ids"));
    const std::vector<int> tgt = intsOf(*ref.find("decoder_input_ids"));
    std::vector<std::uint8_t> valid;
    for (int v : intsOf(*ref.find("attention_mask")))
        valid.push_back(v != 0);
    const Index S = static_cast<Index>(src.size());
    const Index T = static_cast<Index>(tgt.size());
    Seq2SeqOptions options;
    options.masks[0] = buildMask(MaskSpec::padding(valid), S, S);
    options.masks[1] = buildMask(MaskSpec::causal(), T, T);
    options.masks[2] = buildMask(MaskSpec::padding(valid), T, S);
    const Seq2SeqResult r = seq2seq->network().forward(src, tgt, options);
    QVERIFY(headDiff(*ref.find("encoder_self_layer0_head0"), r.attention[0], 0, 0) < 1e-4f);
    QVERIFY(headDiff(*ref.find("decoder_self_layer0_head0"), r.attention[1], 0, 0) < 1e-4f);
    QVERIFY(headDiff(*ref.find("cross_layer0_head0"), r.attention[2], 0, 0) < 1e-4f);
    // and the last decoder layer's last head, named after the folder's shape (3 + 3 layers, 4 heads today)
    const int lastLayer = seq2seq->network().info().layers - 1;
    const int lastHead = seq2seq->network().info().heads - 1;
    const std::string last = "cross_layer" + std::to_string(lastLayer) + "_head" + std::to_string(lastHead);
    QVERIFY2(ref.find(last) != nullptr, last.c_str());
    QVERIFY(headDiff(*ref.find(last), r.attention[2], lastLayer, lastHead) < 1e-4f);
    const auto& top5 = ref.find("top5_per_decoder_position")->asArray();
    QCOMPARE(static_cast<Index>(top5.size()), T);
    for (Index row = 0; row < T; ++row)
        compareTop5(top5[static_cast<std::size_t>(row)], r.logits, row);
}

QTEST_APPLESS_MAIN(TestBuiltin)
#include "test_builtin.moc"
