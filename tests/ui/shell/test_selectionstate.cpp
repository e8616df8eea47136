// SelectionState: clamping to the result's shape, change signals, masks, ablation.
#include "state/selectionstate.h"

#include <QSignalSpy>
#include <QTest>

using namespace attnviz;

class TestSelectionState : public QObject
{
    Q_OBJECT
private slots:
    void clampsToShape()
    {
        SelectionState s;
        s.setShape(1, 4, 8, 10);
        s.setLayer(3);
        s.setHead(7);
        s.setQueryToken(9);
        QCOMPARE(s.layer(), 3);
        s.setShape(1, 2, 2, 5); // a smaller model
        QCOMPARE(s.layer(), 1);
        QCOMPARE(s.head(), 1);
        QCOMPARE(s.queryToken(), 4);
        QCOMPARE(s.keyCount(), 5);
        s.setLayer(-3);
        QCOMPARE(s.layer(), 0);
        s.setQueryToken(-5);
        QCOMPARE(s.queryToken(), -1);
        s.setShape(0, 0, 0, 0);
        QCOMPARE(s.queryToken(), -1);
    }

    void signalsOnlyOnChange()
    {
        SelectionState s;
        s.setShape(1, 3, 3, 3);
        QSignalSpy layer(&s, &SelectionState::layerChanged);
        QSignalSpy compute(&s, &SelectionState::computeInputsChanged);
        QSignalSpy display(&s, &SelectionState::displayOptionsChanged);
        s.setLayer(1);
        s.setLayer(1);
        QCOMPARE(layer.count(), 1);
        QCOMPARE(layer.first().first().toInt(), 1);
        s.setMeanOfHeads(true);
        s.setColorMap(ColorMapKind::Magma);
        s.setColorMap(ColorMapKind::Magma);
        QCOMPARE(display.count(), 2);
        QCOMPARE(compute.count(), 0);
        s.setMaskMode(MaskOverride::None);
        s.setHeadAblated(0, 1, true);
        s.setHeadAblated(0, 1, true);
        QCOMPARE(compute.count(), 2);
        QVERIFY(s.isHeadAblated(0, 1));
        QCOMPARE(s.ablatedHeads(), (std::set<std::pair<int, int>>{{0, 1}}));
        // A whole set (a restored session) reruns once, and not at all when nothing changes.
        const std::set<std::pair<int, int>> several{{0, 0}, {1, 2}, {3, 1}};
        s.setAblatedHeads(several);
        s.setAblatedHeads(several);
        QCOMPARE(compute.count(), 3);
        QCOMPARE(s.ablatedHeads(), several);
        QVERIFY(!s.isHeadAblated(0, 1));
    }

    void enabledHeads()
    {
        SelectionState s;
        s.setShape(1, 1, 4, 2);
        QSignalSpy spy(&s, &SelectionState::enabledHeadsChanged);
        s.setHeadEnabled(2, false);
        QCOMPARE(s.enabledHeads(), (QList<int>{0, 1, 3}));
        QCOMPARE(spy.count(), 1);
        s.resetOverrides();
        QCOMPARE(s.enabledHeads().size(), 4);
    }

    void customMaskToggles()
    {
        SelectionState s;
        s.setShape(1, 1, 1, 3, 4);
        QSignalSpy compute(&s, &SelectionState::computeInputsChanged);
        s.toggleCustomMaskCell(1, 2); // not in custom mode: edits, but no recompute
        QCOMPARE(compute.count(), 0);
        QCOMPARE(s.customMask().rows(), Index(3));
        QCOMPARE(s.customMask().cols(), Index(4));
        QCOMPARE(int(s.customMask()(1, 2)), 0);
        QCOMPARE(int(s.customMask()(0, 0)), 1);
        s.setMaskMode(MaskOverride::Custom);
        s.toggleCustomMaskCell(1, 2);
        QCOMPARE(int(s.customMask()(1, 2)), 1);
        QCOMPARE(compute.count(), 2);
        s.toggleCustomMaskCell(7, 7); // outside: ignored
        QCOMPARE(compute.count(), 2);
    }

    void scalingOverride()
    {
        SelectionState s;
        QVERIFY(!s.scalingOverridden());
        s.setModelScaling(false); // the model's own choice: shown, not an override
        QVERIFY(!s.scaling());
        QVERIFY(!s.scalingOverridden());
        QSignalSpy compute(&s, &SelectionState::computeInputsChanged);
        s.setScaling(true);
        QVERIFY(s.scalingOverridden());
        QCOMPARE(compute.count(), 1);
        s.setModelScaling(false); // ignored once the user chose
        QVERIFY(s.scaling());
    }
};

QTEST_GUILESS_MAIN(TestSelectionState)
#include "test_selectionstate.moc"
