#pragma once
// Between a session document (core/session) and the SelectionState: what the selection holds goes
// into a session, and back. The window (ui/shell/sessioncontroller.h) adds the model, texts and view.

#include "session/session.h"
#include "state/selectionstate.h"

#include <QStringList>

namespace attnviz {

class SelectionState;

struct SessionState
{
    // Stack, layer, head, query, mask (with its custom cells), scaling, ablation, heads switched
    // off, mean of heads, rollout, merged sub-words, the colour map, the measure, a sentence pair's
    // block and the model grid's badges.
    static void capture(const SelectionState& selection, Session& session);
    // What changes the computation or the display, and the stack, so the first run is already the
    // session's (its custom mask belongs to one stack). Until a result gives the shape, the
    // session's stack is trusted to exist. Returns what could not be applied, for people.
    static QStringList applyChoices(const Session& session, SelectionState& selection);
    // Layer, head and query, once the selection has a result's shape (each is clamped to it).
    static void applyPosition(const Session& session, SelectionState& selection);

    // The names sessions and settings give the model grid's badges ("statistics", "attribution");
    // an unknown name reads as the default, with *known false.
    static const char* gridBadgesName(GridBadges badges);
    static GridBadges gridBadgesNamed(const std::string& name, bool* known = nullptr);
};

} // namespace attnviz
