// Head statistics and the derived per-run statistics on small attention matrices whose scores are
// worked out by hand.
#include "stats/derive.h"
#include "stats/headstats.h"
#include "stats/headsummary.h"
#include "stats/rollout.h"

#include <QTest>

#include <cmath>

using namespace attnviz;

class TestHeadStats : public QObject
{
    Q_OBJECT
    // One stack of `layers` × 1 head over T = rows of `weights` (each layer gets the same map).
    static AttentionStack stackOf(const std::vector<float>& weights, int queries, int keys, int layers = 1)
    {
        AttentionStack s;
        s.attention.resize(layers, 1, queries, keys);
        for (int l = 0; l < layers; ++l)
            std::copy(weights.begin(), weights.end(), s.attention.head(l, 0));
        return s;
    }

private slots:
    void summaryByHand()
    {
        // 3 queries × 3 keys, causal-like rows.
        const AttentionStack s = stackOf({1.0f, 0.0f, 0.0f, 0.25f, 0.75f, 0.0f, 0.5f, 0.3f, 0.2f}, 3, 3);
        const std::vector<HeadSummary> all = summariseHeads(s);
        QCOMPARE(all.size(), std::size_t(1));
        QVERIFY(std::abs(all[0].previousToken - (0.25f + 0.3f) / 2) < 1e-6f);
        QVERIFY(std::abs(all[0].firstToken - (0.25f + 0.5f) / 2) < 1e-6f);
        const double h1 = -(0.25 * std::log(0.25) + 0.75 * std::log(0.75));
        const double h2 = -(0.5 * std::log(0.5) + 0.3 * std::log(0.3) + 0.2 * std::log(0.2));
        QVERIFY(std::abs(all[0].entropy - (0.0 + h1 + h2) / 3.0) < 1e-6);
    }

    void summaryEdgeCases()
    {
        // A fully masked row is left out of the entropy; cross-attention has no previous token.
        AttentionStack cross = stackOf({0.0f, 0.0f, 0.0f, 1.0f}, 2, 2);
        cross.keysFromSource = true;
        const HeadSummary c = summariseHeads(cross)[0];
        QVERIFY(std::isnan(c.previousToken));
        QCOMPARE(c.firstToken, 0.0f);
        QCOMPARE(c.entropy, 0.0f);
        QCOMPARE(attentionEntropy(cross.attention.head(0, 0), 2, 2), 0.0f);
        // One query: no positional score.
        const HeadSummary single = summariseHeads(stackOf({1.0f}, 1, 1))[0];
        QVERIFY(std::isnan(single.firstToken) && std::isnan(single.previousToken));
        QCOMPARE(single.entropy, 0.0f);
    }

    void deriveFillsSummariesAndRollout()
    {
        AttentionResult r;
        r.stacks.push_back(stackOf({1.0f, 0.0f, 0.0f, 0.25f, 0.75f, 0.0f, 0.5f, 0.3f, 0.2f}, 3, 3, 3));
        RunRequest request;
        deriveStatistics(r, request);
        QCOMPARE(r.stacks[0].summaries.size(), std::size_t(3));
        QVERIFY(!r.rollout);
        request.rollout = RunRequest::Rollout{0, {true}};
        deriveStatistics(r, request);
        QVERIFY(r.rollout && r.rollout->covers(0, {true}));
        QCOMPARE(r.rollout->layers.size(), std::size_t(3));
        for (int l = 0; l < 3; ++l)
            QVERIFY(r.rollout->layers[std::size_t(l)].isApprox(attentionRollout(r.stacks[0].attention, l)));
        // No rollout where none is defined: cross-attention, no head switched on, a wrong head count.
        QVERIFY(!rolloutDefined(r.stacks[0], {false}));
        QVERIFY(!rolloutDefined(r.stacks[0], {true, true}));
        r.stacks[0].keysFromSource = true;
        QVERIFY(!rolloutDefined(r.stacks[0], {true}));
        deriveStatistics(r, request);
        QVERIFY(!r.rollout);
    }

    void previousAndFirstToken()
    {
        // 3 x 3 causal pattern: row 1 = [0.2, 0.8, 0], row 2 = [0.1, 0.6, 0.3].
        const float a[] = {1, 0, 0, 0.2f, 0.8f, 0, 0.1f, 0.6f, 0.3f};
        // previous: (A[1,0] + A[2,1]) / 2 = (0.2 + 0.6) / 2 = 0.4; first: (0.2 + 0.1) / 2 = 0.15
        QVERIFY(std::abs(previousTokenScore(a, 3) - 0.4f) < 1e-6f);
        QVERIFY(std::abs(firstTokenScore(a, 3, 3) - 0.15f) < 1e-6f);
        QCOMPARE(previousTokenScore(a, 1), 0.0f);
    }

    void duplicateToken()
    {
        // ids 5 7 5 5: query 2 repeats id 5 (copy at 0); query 3 repeats it (copies at 0 and 2).
        const float a[] = {1, 0, 0, 0,  //
                           0.5f, 0.5f, 0, 0, //
                           0.7f, 0.2f, 0.1f, 0, //
                           0.1f, 0.2f, 0.3f, 0.4f};
        // query 2: 0.7; query 3: 0.1 + 0.3 = 0.4; mean 0.55
        QVERIFY(std::abs(duplicateTokenScore(a, {5, 7, 5, 5}) - 0.55f) < 1e-6f);
        QCOMPARE(duplicateTokenScore(a, {1, 2, 3, 4}), 0.0f);
    }

    void entropy()
    {
        // Row 0 one-hot (0 nats), row 1 uniform over 2 keys (ln 2): mean ln2 / 2.
        const float a[] = {1, 0, 0.5f, 0.5f};
        QVERIFY(std::abs(attentionEntropy(a, 2, 2) - static_cast<float>(std::log(2.0) / 2)) < 1e-6f);
    }

    void inductionOnAPerfectInductionHead()
    {
        // [BOS] r0 r1 r2 r0 r1 r2: a perfect induction head at r0 (pos 4) looks at r1 (pos 2),
        // at r1 (pos 5) looks at r2 (pos 3). Everything else looks at BOS.
        const int t = 7;
        std::vector<float> a(t * t, 0.0f);
        for (int i = 0; i < t; ++i) a[i * t] = 1.0f;
        a[4 * t] = 0.0f;
        a[4 * t + 2] = 1.0f;
        a[5 * t] = 0.2f;
        a[5 * t + 3] = 0.8f;
        // mean over k = 0, 1 of the weight on the successor: (1.0 + 0.8) / 2 = 0.9
        QVERIFY(std::abs(inductionScore(a.data(), t, 1, 3) - 0.9f) < 1e-6f);
        QCOMPARE(inductionScore(a.data(), t, 1, 4), 0.0f); // sequence does not fit: 0, not garbage
    }

    void inductionSequenceIsTheDocumentedGenerator()
    {
        // x1 = (1103515245·1 + 12345) mod 2^31 = 1103527590; 1103527590 mod 100 = 90 -> 10 + 90 = 100
        const auto r = inductionSequence(3, 10, 110, 1);
        QCOMPARE(r.size(), std::size_t(3));
        QCOMPARE(r[0], 100);
        // x2 = (1103515245·1103527590 + 12345) mod 2^31 = 377401575 -> 75 -> 85
        QCOMPARE(r[1], 85);
        for (int id : inductionSequence(50, 10, 20)) QVERIFY(id >= 10 && id < 20);
    }
};

QTEST_APPLESS_MAIN(TestHeadStats)
#include "test_headstats.moc"
