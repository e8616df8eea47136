#pragma once
// The logit lens: what the residual stream predicts after every layer (rows) at every position
// (columns), through the model's own final norm and output head; the colour is the probability.
// With one position read out, its top predictions side by side instead.

#include "views/readouts/readoutview.h"

namespace attnviz {

class LogitLensView : public ReadoutView
{
    Q_OBJECT
public:
    explicit LogitLensView(SelectionState* selection, QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("lens"); }
    std::optional<LabelledGrid> grid() const override;
    QString emptyMessage() const override;

protected:
    QString cellToolTip(int row, int col) const override;
};

} // namespace attnviz
