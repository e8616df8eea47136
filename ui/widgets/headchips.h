#pragma once
// One chip per head of the current layer, in the head's colour. Click focuses a head; the
// context menu switches a head off for the mean view or ablates it (zeroes its output).

#include "widgets/chipstrip.h"

namespace attnviz {

class SelectionState;

class HeadChips : public ChipStrip
{
    Q_OBJECT
public:
    explicit HeadChips(SelectionState* selection, QWidget* parent = nullptr);
    // Head names from the model when it has them (lessons), else "H1", "H2", ...
    void setHeadNames(const QStringList& names);
    void refresh();

private:
    void showMenu(int head, const QPoint& globalPos);
    SelectionState* m_selection;
    QStringList m_names;
};

} // namespace attnviz
