// The shipped models (resources/models), opened with openModel("builtin:NAME") exactly as the
// app does, reproduce what their model cards report: head statistics computed by the core agree
// with metrics.json (computed by tools/train with PyTorch) within 1e-4, the cards' bars hold,
// and the translator's greedy output is its recorded reference.
#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "stats/headstats.h"
#include "tokenizers/tokenizer.h"
#include "util/json.h"

#include <QTest>

using namespace attnviz;

namespace {

constexpr const char* Sentence = "The animal didn't cross the street because it was too tired.";

json::Value metrics(const std::string& name)
{
    return json::parseFile(ATTNVIZ_RESOURCES "/models/" + name + "/metrics.json");
}

// Largest difference between the core's statistics and the card's, and the best score of `key`.
struct Comparison
{
    double worst = 0;
    double bestPrevious = 0;
    double bestInduction = 0;
};

Comparison compare(const std::string& name)
{
    const auto model = openModel("builtin:" + name);
    const int vocab = model->tokenizer()->vocabSize();
    const HeadStatsReport report = computeHeadStats(*model, Sentence, vocab / 10, vocab - vocab / 10);
    const json::Value card = metrics(name);
    const auto& layers = card.find("layers")->asArray();
    Comparison c;
    if (layers.size() != report.heads.size()) return {1e9, 0, 0};
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto& heads = layers[l].asArray();
        if (heads.size() != report.heads[l].size()) return {1e9, 0, 0};
        for (std::size_t h = 0; h < heads.size(); ++h) {
            const HeadStats& s = report.heads[l][h];
            const std::pair<const char*, float> values[] = {{"previous_token", s.previousToken},
                                                            {"first_token", s.firstToken},
                                                            {"duplicate_token", s.duplicateToken},
                                                            {"induction", s.induction},
                                                            {"entropy", s.entropy}};
            for (const auto& [key, value] : values) {
                c.worst = std::max(c.worst, std::abs(heads[h].find(key)->asNumber() - value));
            }
            c.bestPrevious = std::max(c.bestPrevious, double(s.previousToken));
            c.bestInduction = std::max(c.bestInduction, double(s.induction));
        }
    }
    // The token ids the card used are the ones the app's tokenizer produces.
    const auto& ids = card.find("sentence_ids")->asArray();
    if (ids.size() != report.tokens.size()) return {1e9, 0, 0};
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (int(ids[i].asNumber()) != report.tokens[i].id) return {1e9, 0, 0};
    }
    return c;
}

} // namespace

class TestBuiltinMetrics : public QObject
{
    Q_OBJECT
private slots:
    void decoderCardHolds()
    {
        const Comparison c = compare("decoder");
        QVERIFY2(c.worst < 1e-4, qPrintable(QString::number(c.worst)));
        QVERIFY(c.bestPrevious >= 0.6);  // the card's bar: a previous-token head
        QVERIFY(c.bestInduction >= 0.3); // and an induction head
        const json::Value card = metrics("decoder");
        QVERIFY(card.find("val_loss_nats")->asNumber() < card.find("unigram_baseline_loss_nats")->asNumber());
    }

    void encoderCardHolds()
    {
        const Comparison c = compare("encoder");
        QVERIFY2(c.worst < 1e-4, qPrintable(QString::number(c.worst)));
        const json::Value card = metrics("encoder");
        QVERIFY(card.find("masked_accuracy")->asNumber() > 2 * card.find("unigram_baseline_accuracy")->asNumber());
    }

    void translatorReversesWords()
    {
        const json::Value card = metrics("translator");
        const auto model = openModel("builtin:translator");
        std::vector<int> source;
        for (const auto& v : card.find("reference_src_ids")->asArray()) source.push_back(int(v.asNumber()));
        std::vector<int> expected;
        for (const auto& v : card.find("reference_greedy_ids")->asArray()) expected.push_back(int(v.asNumber()));
        expected.pop_back(); // </s>: generateGreedy stops before it
        QCOMPARE(model->generateGreedy(source, 40), expected);
        const std::string text = model->tokenizer()->decode(expected);
        QCOMPARE(QString::fromStdString(text).trimmed(),
                 QStringLiteral("old too was it because street the cross not did animal the"));
        QVERIFY(card.find("heldout_exact_match")->asNumber() >= 0.95);

        // Each stack is labelled with its own tokens: encoder source x source, cross target x source.
        RunRequest request;
        request.secondText = card.find("reference_text")->asString();
        const auto result = model->run(request);
        QCOMPARE(result->stacks.size(), std::size_t(3));
        const AttentionStack& encoder = result->stacks[0];
        QCOMPARE(queryTokensOf(*result, encoder).size(), std::size_t(encoder.attention.queries));
        QCOMPARE(keyTokensOf(*result, encoder).size(), std::size_t(encoder.attention.keys));
        QCOMPARE(queryTokensOf(*result, encoder).size(), source.size());
        const AttentionStack& cross = result->stacks[2];
        QCOMPARE(queryTokensOf(*result, cross).size(), std::size_t(cross.attention.queries));
        QCOMPARE(keyTokensOf(*result, cross).size(), source.size());
        QVERIFY(card.find("best_alignment_head")->find("score")->asNumber() >= 0.9);
    }
};

QTEST_APPLESS_MAIN(TestBuiltinMetrics)
#include "test_builtin_metrics.moc"
