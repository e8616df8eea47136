#include "widgets/tokenstrip.h"

#include "state/selectionstate.h"
#include "state/stacktokens.h"
#include "widgets/tokenlabel.h"

#include <algorithm>

namespace attnviz {

TokenStrip::TokenStrip(SelectionState* selection, QWidget* parent) : ChipStrip(parent), m_selection(selection)
{
    setToolTip(tr("Tokens of the input. Click one (or use Left/Right, Alt+Left/Right anywhere) to make it the query."));
    setEmptyText(tr("No tokens yet"));
    connect(this, &ChipStrip::chipActivated, this, &TokenStrip::activate);
    connect(selection, &SelectionState::queryTokenChanged, this, &ChipStrip::setCurrent);
    connect(selection, &SelectionState::hoveredTokenChanged, this, &ChipStrip::setHighlighted);
    // An encoder stack's queries are the source tokens: the strip follows the stack shown.
    connect(selection, &SelectionState::stackChanged, this, [this]() { setResult(m_result); });
}

void TokenStrip::setResult(const std::shared_ptr<const AttentionResult>& result)
{
    m_result = result;
    QList<Chip> chips;
    if (result && !result->stacks.empty()) {
        int index = 0;
        const int stack = std::clamp(m_selection->stack(), 0, static_cast<int>(result->stacks.size()) - 1);
        for (const Token& t : StackTokens::queries(*result, stack)) {
            Chip chip;
            chip.text = TokenLabel::text(t, 24);
            chip.special = t.special;
            chip.toolTip = tr("Token %1: “%2”").arg(index).arg(QString::fromStdString(t.display).toHtmlEscaped());
            if (t.id >= 0)
                chip.toolTip +=
                    tr("<br>id %1, piece %2").arg(t.id).arg(QString::fromStdString(t.piece).toHtmlEscaped());
            chips.append(chip);
            ++index;
        }
    }
    setChips(chips);
    setCurrent(m_selection->queryToken());
}

void TokenStrip::activate(int index)
{
    m_selection->setQueryToken(index);
}

} // namespace attnviz
