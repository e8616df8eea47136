#pragma once
// Base of the views that draw a LabelledGrid built from the result (logit lens, logit attribution):
// painting, export size, hover tooltips and the message shown when the run has nothing to draw.

#include "views/attentionview.h"
#include "views/readouts/labelledgrid.h"

#include <optional>

namespace attnviz {

class ReadoutView : public AttentionView
{
    Q_OBJECT
public:
    explicit ReadoutView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    // The grid for the current result, or nullopt with emptyMessage() saying why.
    virtual std::optional<LabelledGrid> grid() const = 0;
    virtual QString emptyMessage() const = 0;

protected:
    // The tooltip of one cell (HTML); empty for none.
    virtual QString cellToolTip(int row, int col) const = 0;
    // A click on a cell; grids of layers × heads focus that head (the default does nothing).
    virtual void cellClicked(int row, int col) { (void)row; (void)col; }
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;
    void resultChanged() override; // the scroll area's minimum: the grid at a readable size
    LabelledGrid styled(LabelledGrid grid) const; // the view's scale and colour map applied
};

} // namespace attnviz
