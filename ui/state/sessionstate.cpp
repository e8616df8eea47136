#include "state/sessionstate.h"

#include "state/selectionstate.h"

#include <array>
#include <optional>

namespace attnviz {

namespace {

// The session file's names of the selection's display choices.
constexpr std::array<std::pair<SentenceBlock, const char*>, 3> kBlockNames{
    {{SentenceBlock::All, "all"}, {SentenceBlock::AToB, "a-to-b"}, {SentenceBlock::BToA, "b-to-a"}}};
constexpr std::array<std::pair<GridBadges, const char*>, 2> kBadgeNames{
    {{GridBadges::Statistics, "statistics"}, {GridBadges::LogitAttribution, "attribution"}}};

template <typename Enum, std::size_t N>
const char* nameOf(const std::array<std::pair<Enum, const char*>, N>& names, Enum value)
{
    for (const auto& entry : names) {
        if (entry.first == value)
            return entry.second;
    }
    return names.front().second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> lookUp(const std::array<std::pair<Enum, const char*>, N>& names, const std::string& name)
{
    for (const auto& entry : names) {
        if (name == entry.second)
            return entry.first;
    }
    return std::nullopt;
}

// The value named, or the first (the default) with a problem said.
template <typename Enum, std::size_t N>
Enum valueNamed(const std::array<std::pair<Enum, const char*>, N>& names, const std::string& name, const QString& what,
                QStringList& problems)
{
    if (const auto value = lookUp(names, name))
        return *value;
    problems << QObject::tr("unknown %1 \u201c%2\u201d, showing %3")
                    .arg(what, QString::fromStdString(name), QString::fromUtf8(names.front().second));
    return names.front().first;
}

} // namespace

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
    session.sentenceBlock = nameOf(kBlockNames, selection.sentenceBlock());
    session.gridBadges = nameOf(kBadgeNames, selection.gridBadges());
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
    selection.setSentenceBlock(valueNamed(kBlockNames, session.sentenceBlock, QObject::tr("sentence block"), problems));
    selection.setGridBadges(valueNamed(kBadgeNames, session.gridBadges, QObject::tr("model-grid badges"), problems));
    return problems;
}

void SessionState::applyPosition(const Session& session, SelectionState& selection)
{
    selection.setStack(session.stack);
    selection.setLayer(session.layer);
    selection.setHead(session.head);
    selection.setQueryToken(session.query);
}

const char* SessionState::gridBadgesName(GridBadges badges)
{
    return nameOf(kBadgeNames, badges);
}

GridBadges SessionState::gridBadgesNamed(const std::string& name, bool* known)
{
    const auto value = lookUp(kBadgeNames, name);
    if (known != nullptr)
        *known = value.has_value();
    return value.value_or(GridBadges::Statistics);
}

} // namespace attnviz
