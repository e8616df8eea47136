#include "state/sessionstate.h"

#include "state/selectionstate.h"

namespace attnviz {

void SessionState::capture(const SelectionState& selection, Session& session)
{
    session.stack = selection.stack();
    session.layer = selection.layer();
    session.head = selection.head();
    session.query = selection.queryToken();
    session.mask = selection.maskMode();
    session.customMask = selection.customMask();
    session.customMaskRowIds = selection.customMaskRowIds();
    session.customMaskColIds = selection.customMaskColIds();
    session.customMaskStack = selection.customMaskStack();
    session.scale = selection.scalingOverridden() ? std::optional<bool>(selection.scaling()) : std::nullopt;
    session.ablatedHeads = selection.ablatedHeads();
    session.headsOff.clear();
    for (int h = 0; h < selection.headCount(); ++h) {
        if (!selection.isHeadEnabled(h))
            session.headsOff.insert(h);
    }
    session.meanOfHeads = selection.meanOfHeads();
    session.rollout = selection.rollout();
    session.mergeSubwords = selection.mergeSubwords();
    session.colorMap = ColorMap::name(selection.colorMap()).toStdString();
    session.measure = measureName(selection.measure());
}

QStringList SessionState::applyChoices(const Session& session, SelectionState& selection)
{
    QStringList problems;
    selection.resetOverrides(); // nothing of the state before survives that the session does not say
    selection.setShape(std::max(selection.stackCount(), session.stack + 1), selection.layerCount(),
                       selection.headCount(), selection.queryCount(), selection.keyCount());
    selection.setStack(session.stack);
    selection.adoptCustomMask(session.customMask, session.customMaskRowIds, session.customMaskColIds,
                              session.customMaskStack);
    if (session.scale)
        selection.setScaling(*session.scale);
    selection.setAblatedHeads(session.ablatedHeads);
    for (int h : session.headsOff)
        selection.setHeadEnabled(h, false);
    selection.setMaskMode(session.mask);
    selection.setMeanOfHeads(session.meanOfHeads);
    selection.setRollout(session.rollout);
    selection.setMergeSubwords(session.mergeSubwords);
    const QString map = QString::fromStdString(session.colorMap);
    const ColorMapKind fallback = ColorMapKind::Viridis;
    selection.setColorMap(ColorMap::fromName(map, fallback));
    if (ColorMap::name(ColorMap::fromName(map, fallback)) != map)
        problems << QObject::tr("unknown colour map \u201c%1\u201d, showing %2").arg(map, ColorMap::name(fallback));
    if (const auto measure = measureNamed(session.measure)) {
        selection.setMeasure(*measure);
    } else {
        selection.setMeasure(Measure::Raw);
        problems << QObject::tr("unknown measure \u201c%1\u201d; the cells show raw weights")
                        .arg(QString::fromStdString(session.measure));
    }
    return problems;
}

void SessionState::applyPosition(const Session& session, SelectionState& selection)
{
    selection.setStack(session.stack);
    selection.setLayer(session.layer);
    selection.setHead(session.head);
    selection.setQueryToken(session.query);
}

} // namespace attnviz
