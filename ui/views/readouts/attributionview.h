#pragma once
// Direct logit attribution: how much each head (columns) of each layer (rows) adds to the logit of
// the predicted (or a chosen) token at the last position, with the MLP and W_O's bias beside; the
// final norm's scale is frozen, so every part adds up to the logit. Diverging colours: red raises
// the logit, blue lowers it. Clicking a head focuses it.

#include "views/readouts/readoutview.h"

namespace attnviz {

class AttributionView : public ReadoutView
{
    Q_OBJECT
public:
    explicit AttributionView(SelectionState* selection, QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("attribution"); }
    std::optional<LabelledGrid> grid() const override;
    QString emptyMessage() const override;

protected:
    QString cellToolTip(int row, int col) const override;
    void cellClicked(int row, int col) override;
};

} // namespace attnviz
