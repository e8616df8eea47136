// The shipped models (resources/models), opened with openModel("builtin:NAME") exactly as the
// app does, reproduce what their model cards report: head statistics computed by the core agree
// with metrics.json (computed by tools/train with PyTorch) within 1e-4, the cards' bars hold,
// and the translator's greedy translations, its chrF on the stored held-out sample (core/stats/chrf)
// and its cross-attention alignment on that sample are the card's.
#include "attention/mask.h"
#include "engine/attentionmodel.h"
#include "models/seq2seqmodel.h"
#include "registry/modelregistry.h"
#include "stats/chrf.h"
#include "stats/headstats.h"
#include "tokenizers/tokenizer.h"
#include "util/json.h"

#include <QTest>

#include <map>

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

std::vector<int> ints(const json::Value& array)
{
    std::vector<int> out;
    for (const auto& v : array.asArray())
        out.push_back(int(v.asNumber()));
    return out;
}

// Hits of one stored held-out pair for decoder layer `layer`, head `head`: links are
// [decoder query, first source token, end source token]; a hit is an argmax inside the range.
// The translator's forward pass on `source` and the decoder input `target` (its start id first),
// with the masks it uses itself: no padding, causal decoder.
Seq2SeqResult translatorForward(const Seq2SeqModel& model, const std::vector<int>& source, const std::vector<int>& target)
{
    const auto S = static_cast<Index>(source.size());
    const auto T = static_cast<Index>(target.size());
    const std::vector<std::uint8_t> valid(source.size(), 1);
    Seq2SeqOptions options;
    options.masks[0] = buildMask(MaskSpec::padding(valid), S, S);
    options.masks[1] = buildMask(MaskSpec::causal(), T, T);
    options.masks[2] = buildMask(MaskSpec::padding(valid), T, S);
    return model.network().forward(source, target, options);
}

int alignmentHits(const Seq2SeqModel& model, const json::Value& pair, int layer, int head)
{
    const std::vector<int> src = ints(*pair.find("source_ids"));
    std::vector<int> tgt = ints(*pair.find("target_ids"));
    tgt.insert(tgt.begin(), model.network().decoderStartId());
    const Seq2SeqResult r = translatorForward(model, src, tgt);
    const AttentionTensor& cross = r.attention[2];
    int hits = 0;
    for (const auto& link : pair.find("links")->asArray()) {
        const std::vector<int> l = ints(link);
        int best = 0;
        for (int k = 1; k < cross.keys; ++k) {
            if (cross.at(layer, head, l[0], k) > cross.at(layer, head, l[0], best))
                best = k;
        }
        hits += best >= l[1] && best < l[2];
    }
    return hits;
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

    void translatorCardHolds()
    {
        const json::Value card = metrics("translator");
        QVERIFY2(card.find("heldout_sample") != nullptr, "metrics.json of the English -> Spanish translator");
        const auto model = openModel("builtin:translator");
        const auto* seq2seq = dynamic_cast<const Seq2SeqModel*>(model.get());
        QVERIFY(seq2seq != nullptr);
        const Tokenizer& tokenizer = *model->tokenizer();
        auto greedy = [&](const std::vector<int>& source) { // the same length cap as tools/train
            return model->generateGreedy(source, std::min(127, 2 * int(source.size()) + 10));
        };

        // The card's sentence and its translation, as attnviz-cli generate prints it.
        const std::vector<int> source = ints(*card.find("reference_src_ids"));
        const std::vector<int> expected = ints(*card.find("reference_greedy_ids"));
        QCOMPARE(greedy(source), expected);
        QCOMPARE(tokenizer.decode(expected), card.find("reference_translation")->asString());
        QVERIFY(card.find("heldout_chrf")->asNumber() >= 55.0);

        // The stored held-out sample: same greedy translations, same chrF against Apertium.
        const auto& sample = card.find("heldout_sample")->asArray();
        QCOMPARE(int(sample.size()), int(card.find("heldout_sample_size")->asNumber()));
        std::vector<std::string> hypotheses, references;
        for (const auto& pair : sample) {
            const std::vector<int> ids = greedy(ints(*pair.find("source_ids")));
            QCOMPARE(ids, ints(*pair.find("greedy_ids")));
            hypotheses.push_back(tokenizer.decode(ids));
            references.push_back(pair.find("apertium")->asString());
        }
        const double chrf = corpusChrf({hypotheses.begin(), hypotheses.end()}, {references.begin(), references.end()});
        QVERIFY2(std::abs(chrf - card.find("heldout_sample_chrf")->asNumber()) < 1e-6, qPrintable(QString::number(chrf)));
        QVERIFY(chrf > 30.0); // a translator, not noise: Apertium's sentences are largely recovered

        // The alignment figure: the best head's hits on the sample, from the core's cross-attention.
        const json::Value& best = *card.find("best_alignment_head");
        const int layer = int(best.find("layer")->asNumber());
        const int head = int(best.find("head")->asNumber());
        int hits = 0;
        for (const auto& pair : sample)
            hits += alignmentHits(*seq2seq, pair, layer, head);
        const int links = int(card.find("heldout_sample_alignment_links")->asNumber());
        QVERIFY(links > 0);
        QVERIFY2(std::abs(hits - int(card.find("heldout_sample_alignment_hits")->asNumber())) <= 1,
                 qPrintable(QString::number(hits)));
        // On the card's sentence, the best head's argmax keys are the card's, and they cross:
        // "the red car" -> "El coche rojo" reads " car" for " coche" and then " red" for " ro(jo)".
        {
            std::vector<int> decoder = expected;
            decoder.insert(decoder.begin(), seq2seq->network().decoderStartId());
            const auto T = static_cast<Index>(decoder.size());
            const Seq2SeqResult run = translatorForward(*seq2seq, source, decoder); // kept: cross refers into it
            const AttentionTensor& cross = run.attention[2];
            const auto& argmax = card.find("reference_best_head_argmax")->asArray();
            QCOMPARE(int(argmax.size()), cross.queries);
            std::map<std::string, std::string> readFrom; // predicted token -> source token read
            for (int q = 0; q < cross.queries; ++q) {
                int key = 0;
                for (int k = 1; k < cross.keys; ++k) {
                    if (cross.at(layer, head, q, k) > cross.at(layer, head, q, key))
                        key = k;
                }
                QCOMPARE(key, int(argmax[std::size_t(q)].find("key")->asNumber()));
                const int predicted = q + 1 < T ? decoder[std::size_t(q) + 1] : seq2seq->network().eosId();
                readFrom[tokenizer.decode({predicted})] = tokenizer.decode({source[std::size_t(key)]});
            }
            QCOMPARE(readFrom[" coche"], std::string(" car"));
            QCOMPARE(readFrom[" ro"], std::string(" red"));
        }
        const double bestScore = best.find("score")->asNumber();
        for (const auto& row : card.find("cross_attention_alignment")->asArray()) {
            for (const auto& v : row.asArray())
                QVERIFY(v.asNumber() <= bestScore);
        }

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
    }
};

QTEST_APPLESS_MAIN(TestBuiltinMetrics)
#include "test_builtin_metrics.moc"
