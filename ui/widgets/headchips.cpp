#include "widgets/headchips.h"

#include "views/arcs/arcspalette.h"
#include "state/selectionstate.h"

#include <QMenu>

namespace attnviz {

HeadChips::HeadChips(SelectionState* selection, QWidget* parent) : ChipStrip(parent), m_selection(selection)
{
    setToolTip(tr("Heads of this layer. Click to focus a head (Alt+Up / Alt+Down); right-click to switch a head "
                  "off for the mean view or to ablate it."));
    setEmptyText(tr("No heads"));
    connect(this, &ChipStrip::chipActivated, selection, &SelectionState::setHead);
    connect(this, &ChipStrip::chipContextMenuRequested, this, &HeadChips::showMenu);
    connect(selection, &SelectionState::headChanged, this, &HeadChips::refresh);
    connect(selection, &SelectionState::layerChanged, this, &HeadChips::refresh);
    connect(selection, &SelectionState::enabledHeadsChanged, this, &HeadChips::refresh);
    connect(selection, &SelectionState::computeInputsChanged, this, &HeadChips::refresh);
    connect(selection, &SelectionState::displayOptionsChanged, this, &HeadChips::refresh);
}

void HeadChips::setHeadNames(const QStringList& names)
{
    m_names = names;
    refresh();
}

void HeadChips::refresh()
{
    QList<Chip> chips;
    const int layer = m_selection->layer();
    for (int h = 0; h < m_selection->headCount(); ++h) {
        Chip chip;
        // A lesson's own head names teach ("looks back"); a generic "head 1" would only repeat H1.
        QString name = m_names.value(h);
        if (name.compare(tr("head %1").arg(h), Qt::CaseInsensitive) == 0)
            name.clear();
        chip.text = name.isEmpty() ? tr("H%1").arg(h) : tr("H%1 %2").arg(h).arg(name);
        chip.accent = ArcsPalette::headColor(h);
        chip.dimmed = !m_selection->isHeadEnabled(h);
        chip.struck = m_selection->isHeadAblated(layer, h);
        chip.toolTip = tr("Head %1 of layer %2").arg(h).arg(layer);
        if (!name.isEmpty())
            chip.toolTip += tr(": \u201c%1\u201d").arg(name.toHtmlEscaped());
        if (chip.dimmed)
            chip.toolTip += tr("<br>switched off: left out of the mean of heads");
        if (chip.struck)
            chip.toolTip += tr("<br>ablated: its output is zeroed before W_O");
        chips.append(chip);
    }
    setChips(chips);
    // The mean view shows every switched-on head; marking one as focused would say otherwise.
    setCurrent(m_selection->meanOfHeads() ? -1 : m_selection->head());
}

void HeadChips::showMenu(int head, const QPoint& globalPos)
{
    QMenu menu(this);
    const int layer = m_selection->layer();
    QAction* focus = menu.addAction(tr("Focus head %1").arg(head));
    QAction* enabled = menu.addAction(tr("Include in the mean of heads"));
    enabled->setCheckable(true);
    enabled->setChecked(m_selection->isHeadEnabled(head));
    QAction* only = menu.addAction(tr("Only this head in the mean"));
    QAction* all = menu.addAction(tr("All heads in the mean"));
    menu.addSeparator();
    QAction* ablate = menu.addAction(tr("Ablate head %1 in layer %2").arg(head).arg(layer));
    ablate->setCheckable(true);
    ablate->setChecked(m_selection->isHeadAblated(layer, head));
    ablate->setToolTip(tr("Zero this head's output before the output projection and run the model again"));
    QAction* chosen = menu.exec(globalPos);
    if (chosen == focus) {
        m_selection->setHead(head);
    } else if (chosen == enabled) {
        m_selection->setHeadEnabled(head, enabled->isChecked());
    } else if (chosen == only || chosen == all) {
        for (int h = 0; h < m_selection->headCount(); ++h)
            m_selection->setHeadEnabled(h, chosen == all || h == head);
    } else if (chosen == ablate) {
        m_selection->setHeadAblated(layer, head, ablate->isChecked());
    }
}

} // namespace attnviz
