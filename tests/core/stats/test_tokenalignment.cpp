// Token alignment for compare mode: matched ids, equal-length substitutions, insertions left
// unpaired, the size bound, and the difference of two maps over the aligned cells, by hand.
#include "stats/tokenalignment.h"

#include <QTest>

using namespace attnviz;

namespace {

using Pairs = std::vector<std::pair<int, int>>;

AttentionStack stackOf(int tokens, const std::vector<float>& weights)
{
    AttentionStack s;
    s.attention.resize(1, 1, tokens, tokens);
    std::copy(weights.begin(), weights.end(), s.attention.data.begin());
    return s;
}

} // namespace

class TestTokenAlignment : public QObject
{
    Q_OBJECT
private slots:
    void identicalInputsPairEveryToken()
    {
        const auto a = alignTokens({4, 5, 6}, {4, 5, 6});
        QVERIFY(a);
        QCOMPARE(a->pairs, (Pairs{{0, 0}, {1, 1}, {2, 2}}));
        QCOMPARE(a->same, (std::vector<bool>{true, true, true}));
    }

    void aSubstitutedWordIsPairedWithItsCounterpart()
    {
        // "it was too tired ." / "it was too wide ."
        const auto a = alignTokens({10, 11, 12, 13, 99}, {10, 11, 12, 14, 99});
        QCOMPARE(a->pairs, (Pairs{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}}));
        QCOMPARE(a->same, (std::vector<bool>{true, true, true, false, true}));
        // At the end, too: the last tokens differ.
        QCOMPARE(alignTokens({1, 2, 3}, {1, 2, 7})->pairs, (Pairs{{0, 0}, {1, 1}, {2, 2}}));
    }

    void insertionsAndUnequalStretchesStayUnpaired()
    {
        QCOMPARE(alignTokens({1, 2, 3}, {1, 5, 6, 2, 3})->pairs, (Pairs{{0, 0}, {1, 3}, {2, 4}}));
        QCOMPARE(alignTokens({1, 7, 3}, {1, 8, 9, 3})->pairs, (Pairs{{0, 0}, {2, 3}}));
        QVERIFY(alignTokens({}, {1, 2})->pairs.empty());
    }

    void longInputsAreRefused()
    {
        QVERIFY(!alignTokens(std::vector<int>(maxAlignedTokens + 1, 1), {1}));
        QVERIFY(alignTokens(std::vector<int>(300, 1), std::vector<int>(300, 1)));
    }

    void differenceOverAlignedCells()
    {
        // A has 3 tokens, B has 4 with one inserted at index 1: pairs (0,0), (1,2), (2,3).
        const AttentionStack a = stackOf(3, {1.0f, 0.0f, 0.0f, 0.5f, 0.5f, 0.0f, 0.2f, 0.3f, 0.5f});
        const AttentionStack b = stackOf(4, {1.0f, 0.0f, 0.0f, 0.0f, 0.5f, 0.5f, 0.0f, 0.0f, 0.3f, 0.3f, 0.4f, 0.0f,
                                             0.1f, 0.1f, 0.4f, 0.4f});
        const auto alignment = alignTokens({7, 8, 9}, {7, 6, 8, 9});
        QCOMPARE(alignment->pairs, (Pairs{{0, 0}, {1, 2}, {2, 3}}));
        const auto d = mapDifference(a, b, 0, 0, *alignment);
        QVERIFY(d);
        QCOMPARE(d->rows(), Index(3));
        QCOMPARE((*d)(1, 0), 0.5f - 0.3f); // A(1,0) − B(2,0)
        QCOMPARE((*d)(1, 1), 0.5f - 0.4f); // A(1,1) − B(2,2)
        QCOMPARE((*d)(2, 2), 0.5f - 0.4f); // A(2,2) − B(3,3)
        QVERIFY(!mapDifference(a, b, 1, 0, *alignment)); // no such layer
    }
};

QTEST_GUILESS_MAIN(TestTokenAlignment)
#include "test_tokenalignment.moc"
