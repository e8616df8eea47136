// A custom mask carried over to new tokens: which positions an edit keeps, and which cells keep
// the person's values, worked out by hand.
#include "attention/mask.h"
#include "engine/attentionmodel.h"

#include <QTest>

using namespace attnviz;

class TestMaskCarryOver : public QObject
{
    Q_OBJECT
private slots:
    void keptPositionsByHand()
    {
        using V = std::vector<Index>;
        // Typed at the end: the old tokens are a prefix.
        QCOMPARE(keptPositions({1, 2, 3}, {1, 2, 3, 4, 5}), (V{0, 1, 2, -1, -1}));
        // A word changed in the middle: prefix 1 2, suffix 9.
        QCOMPARE(keptPositions({1, 2, 3, 9}, {1, 2, 7, 8, 9}), (V{0, 1, -1, -1, 3}));
        // Deleted at the front: only the suffix is kept.
        QCOMPARE(keptPositions({1, 2, 3}, {2, 3}), (V{1, 2}));
        // Repeated tokens: prefix and suffix never claim the same old position.
        QCOMPARE(keptPositions({5, 5}, {5, 5, 5}), (V{0, 1, -1}));
        QCOMPARE(keptPositions({}, {4}), (V{-1}));
    }

    void editsSurviveBetweenKeptTokens()
    {
        // Causal 3×3 with the edit (2, 0) forbidden and (0, 2) allowed; then a token is added.
        MaskMatrix edited = buildMask(MaskSpec::causal(), 3, 3);
        edited(2, 0) = 0;
        edited(0, 2) = 1;
        const MaskMatrix fallback = buildMask(MaskSpec::causal(), 4, 4);
        const MaskMatrix now = carryOverMask(edited, {7, 8, 9}, {7, 8, 9}, {7, 8, 9, 10}, {7, 8, 9, 10}, fallback);
        MaskMatrix expected = fallback;
        expected(2, 0) = 0;
        expected(0, 2) = 1;
        QVERIFY(now == expected);
        // A mask whose shape does not match its ids is not trusted: the model's mask.
        QVERIFY(carryOverMask(edited, {7, 8}, {7, 8}, {7, 8, 9, 10}, {7, 8, 9, 10}, fallback) == fallback);
    }

    void requestsWithAndWithoutIds()
    {
        RunRequest request;
        const MaskMatrix model = buildMask(MaskSpec::causal(), 2, 2);
        QVERIFY(customMaskFor(request, {1, 2}, {1, 2}, model) == model); // nothing edited yet
        request.customMask = MaskMatrix::Ones(3, 3);
        QVERIFY_THROWS_EXCEPTION(InputError, customMaskFor(request, {1, 2}, {1, 2}, model));
        request.customMaskRowIds = request.customMaskColIds = {1, 2, 3};
        const MaskMatrix carried = customMaskFor(request, {1, 2}, {1, 2}, model);
        QVERIFY(carried == MaskMatrix::Ones(2, 2)); // both tokens kept, the edited cells win
    }
};

QTEST_APPLESS_MAIN(TestMaskCarryOver)
#include "test_maskcarryover.moc"
