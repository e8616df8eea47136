#include "heatmapview.h"

#include "selectionstate.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attnviz {

HeatmapView::HeatmapView(SelectionState* selection, QWidget* parent) : AttentionView(selection, parent)
{
    setFocusPolicy(Qt::ClickFocus);
    setToolTip(tr("Each row is a query token, each column a key token; colour = attention weight.\n"
                  "Click a row to select the query token, Ctrl+wheel to zoom, Ctrl+0 to fit."));
    if (selection != nullptr) {
        for (auto signal :
             {&SelectionState::stackChanged, &SelectionState::layerChanged, &SelectionState::headChanged}) {
            connect(selection, signal, this, &HeatmapView::rebuild);
        }
        connect(selection, &SelectionState::enabledHeadsChanged, this, &HeatmapView::rebuild);
        connect(selection, &SelectionState::displayOptionsChanged, this, &HeatmapView::rebuild);
        connect(selection, &SelectionState::computeInputsChanged, this, &HeatmapView::rebuild);
        connect(selection, &SelectionState::queryTokenChanged, this, &HeatmapView::invalidate);
    }
    rebuild();
}

HeatmapPainter HeatmapView::painter() const
{
    const ColorMap map{selection() != nullptr ? selection()->colorMap() : ColorMapKind::Viridis};
    HeatmapPainter p(m_data, map, font(), palette());
    p.setShowValues(m_showValues);
    return p;
}

void HeatmapView::setShowValues(bool on)
{
    if (on == m_showValues)
        return;
    m_showValues = on;
    invalidate();
}

int HeatmapView::selectedRow() const
{
    return selection() != nullptr ? m_data.rowForToken(selection()->queryToken()) : -1;
}

void HeatmapView::paint(QPainter& painter, const QRectF& target) const
{
    this->painter().paint(painter, target, m_cellSize, selectedRow());
}

QSizeF HeatmapView::preferredExportSize() const
{
    const double cell = m_cellSize > 0 ? m_cellSize : 40.0;
    return painter().requiredSize(cell).expandedTo(QSizeF(480, 360));
}

HeatmapLayout HeatmapView::currentLayout() const
{
    if (!m_layout)
        m_layout = painter().layout(QRectF(rect()), m_cellSize);
    return *m_layout;
}

void HeatmapView::zoomBy(int steps)
{
    const double current = m_cellSize > 0 ? m_cellSize : currentLayout().grid.cellSize;
    const double next = std::clamp(std::round(std::max(current, 4.0) * std::pow(1.2, steps)), 4.0, 160.0);
    if (next == m_cellSize)
        return;
    m_cellSize = next;
    rebuild();
}

void HeatmapView::resetZoom()
{
    m_cellSize = 0;
    rebuild();
}

QSize HeatmapView::sizeHint() const
{
    return painter().requiredSize(36).toSize().boundedTo(QSize(900, 700));
}

void HeatmapView::resultChanged()
{
    rebuild();
}

void HeatmapView::rebuild()
{
    if (selection() == nullptr)
        return;
    m_data = HeatmapData::build(result(), *selection());
    m_hover.reset();
    // Long inputs get a minimum size so the surrounding scroll area scrolls instead of squeezing.
    const double cell = m_cellSize > 0 ? m_cellSize : HeatmapPainter::kMinCell;
    setMinimumSize(m_data.isEmpty() ? QSize(200, 150) : painter().requiredSize(cell).toSize());
    invalidate();
}

void HeatmapView::invalidate()
{
    m_cache = QImage();
    m_layout.reset();
    update();
}

void HeatmapView::paintEvent(QPaintEvent* event)
{
    const qreal dpr = devicePixelRatioF();
    QPainter p(this);
    // Long inputs make a huge widget inside the scroll area: caching all of it would cost hundreds
    // of MB, so those paint only the exposed part, directly.
    constexpr double kMaxCachedPixels = 16.0 * 1024 * 1024;
    if (width() * height() * dpr * dpr > kMaxCachedPixels) {
        m_cache = QImage();
        p.setClipRect(event->rect());
        p.fillRect(event->rect(), palette().color(QPalette::Base));
        p.setRenderHint(QPainter::TextAntialiasing);
        paint(p, QRectF(rect()));
    } else {
        if (m_cache.isNull() || m_cache.size() != size() * dpr)
            m_cache = renderImage(size(), dpr);
        p.drawImage(QPointF(0, 0), m_cache);
    }
    if (m_hover) {
        // Hover feedback lives outside the cache so moving the mouse costs one rectangle.
        const HeatmapLayout l = currentLayout();
        p.setPen(QPen(palette().color(QPalette::Text), 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(l.grid.cellRect(m_hover->row, m_hover->col).adjusted(0.75, 0.75, -0.75, -0.75));
    }
}

void HeatmapView::mousePressEvent(QMouseEvent* event)
{
    const auto cell = currentLayout().grid.cellAt(event->position());
    if (!cell || event->button() != Qt::LeftButton || selection() == nullptr) {
        AttentionView::mousePressEvent(event);
        return;
    }
    selection()->setQueryToken(m_data.tokenForRow(cell->row));
    // In custom-mask mode a click also flips whether this query may attend to this key.
    if (selection()->maskMode() == MaskOverride::Custom && !m_data.merged && !m_data.meanOfHeads) {
        selection()->toggleCustomMaskCell(cell->row, cell->col);
    }
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event)
{
    const auto cell = currentLayout().grid.cellAt(event->position());
    if (cell == m_hover)
        return;
    m_hover = cell;
    if (selection() != nullptr)
        selection()->setHoveredToken(cell ? m_data.tokenForRow(cell->row) : -1);
    update();
}

void HeatmapView::leaveEvent(QEvent* event)
{
    m_hover.reset();
    if (selection() != nullptr)
        selection()->setHoveredToken(-1);
    update();
    AttentionView::leaveEvent(event);
}

void HeatmapView::wheelEvent(QWheelEvent* event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        event->ignore(); // plain wheel scrolls the surrounding scroll area
        return;
    }
    const int steps = event->angleDelta().y() / 120;
    if (steps != 0)
        zoomBy(steps);
    event->accept();
}

void HeatmapView::resizeEvent(QResizeEvent* event)
{
    AttentionView::resizeEvent(event);
    m_cache = QImage();
    m_layout.reset();
}

void HeatmapView::changeEvent(QEvent* event)
{
    // Light/dark switches and font changes repaint from scratch.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        rebuild();
    AttentionView::changeEvent(event);
}

bool HeatmapView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const auto cell = currentLayout().grid.cellAt(help->pos());
        if (cell) {
            QToolTip::showText(help->globalPos(), toolTipFor(*cell), this);
        } else {
            QToolTip::showText(help->globalPos(), toolTip(), this);
        }
        return true;
    }
    return AttentionView::event(event);
}

QString HeatmapView::toolTipFor(const HeatmapCell& cell) const
{
    const QString query = m_data.rowLabels.value(cell.row).toHtmlEscaped();
    const QString key = m_data.colLabels.value(cell.col).toHtmlEscaped();
    QString text = tr("<b>%1</b> → <b>%2</b>").arg(query, key);
    if (m_data.isMasked(cell.row, cell.col))
        return text + tr("<br>masked: this query may not attend to this key");
    const float v = m_data.values(cell.row, cell.col);
    text += m_data.showsScores ? tr("<br>scaled score: %1").arg(v, 0, 'f', 4) : tr("<br>weight: %1").arg(v, 0, 'f', 4);
    if (const HeadCapture* c = m_data.capture()) {
        text +=
            tr("<br>weight: %1").arg(c->weights(cell.row, cell.col), 0, 'f', 4).repeated(m_data.showsScores ? 1 : 0);
        text += tr("<br>raw score q·k: %1").arg(c->scores(cell.row, cell.col), 0, 'f', 4);
        text += c->scaledByRootDk ? tr("<br>scaled by √d_k: %1").arg(c->scaled(cell.row, cell.col), 0, 'f', 4)
                                  : tr("<br>(not scaled by √d_k)");
    }
    if (m_data.merged)
        text += tr("<br><i>words merged: sum over key pieces, mean over query pieces</i>");
    if (selection() != nullptr && selection()->maskMode() == MaskOverride::Custom) {
        text += tr("<br><i>click to toggle this cell of the custom mask</i>");
    }
    return text;
}

} // namespace attnviz
