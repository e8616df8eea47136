#include "views/readouts/readoutview.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace attnviz {

ReadoutView::ReadoutView(SelectionState* selection, QWidget* parent) : AttentionView(selection, parent)
{
    setMouseTracking(true);
    connect(selection, &SelectionState::displayOptionsChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::queryTokenChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::layerChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::headChanged, this, qOverload<>(&QWidget::update));
}

LabelledGrid ReadoutView::styled(LabelledGrid g) const
{
    g.scale = textScale();
    return g;
}

void ReadoutView::paint(QPainter& painter, const QRectF& target) const
{
    const std::optional<LabelledGrid> g = grid();
    if (!g) {
        painter.save();
        painter.fillRect(target, palette().base());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(target.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, emptyMessage());
        painter.restore();
        return;
    }
    styled(*g).paint(painter, target, palette(), font());
}

QSizeF ReadoutView::preferredExportSize() const
{
    const std::optional<LabelledGrid> g = grid();
    return g ? styled(*g).preferredSize(font()) : QSizeF(640, 360);
}

void ReadoutView::mousePressEvent(QMouseEvent* event)
{
    const std::optional<LabelledGrid> g = grid();
    if (const auto cell = g ? styled(*g).cellAt(event->position(), QRectF(rect()), font()) : std::nullopt)
        cellClicked(cell->first, cell->second);
    AttentionView::mousePressEvent(event);
}

void ReadoutView::resultChanged()
{
    const std::optional<LabelledGrid> g = grid();
    setMinimumSize(g ? styled(*g).minimumSize(font()).toSize() : QSize(200, 150));
    AttentionView::resultChanged();
}

bool ReadoutView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const std::optional<LabelledGrid> g = grid();
        const auto cell = g ? styled(*g).cellAt(help->pos(), QRectF(rect()), font()) : std::nullopt;
        const QString text = cell ? cellToolTip(cell->first, cell->second) : QString();
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return AttentionView::event(event);
}

} // namespace attnviz
