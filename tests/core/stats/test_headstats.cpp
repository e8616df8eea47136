// Head statistics on small attention matrices whose scores are worked out by hand.
#include "stats/headstats.h"

#include <QTest>

#include <cmath>

using namespace attnviz;

class TestHeadStats : public QObject
{
    Q_OBJECT
private slots:
    void previousAndFirstToken()
    {
        // 3 x 3 causal pattern: row 1 = [0.2, 0.8, 0], row 2 = [0.1, 0.6, 0.3].
        const float a[] = {1, 0, 0, 0.2f, 0.8f, 0, 0.1f, 0.6f, 0.3f};
        // previous: (A[1,0] + A[2,1]) / 2 = (0.2 + 0.6) / 2 = 0.4; first: (0.2 + 0.1) / 2 = 0.15
        QVERIFY(std::abs(previousTokenScore(a, 3) - 0.4f) < 1e-6f);
        QVERIFY(std::abs(firstTokenScore(a, 3) - 0.15f) < 1e-6f);
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
