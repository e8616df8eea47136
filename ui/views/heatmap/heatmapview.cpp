#include "views/heatmap/heatmapview.h"

#include "views/numberformat.h"

#include "state/selectionstate.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

// Long inputs make a huge widget inside the scroll area: caching all of it would cost hundreds of
// MB, so those cache the visible part with a margin instead.
constexpr double kMaxCachedPixels = 16.0 * 1024 * 1024;

bool fitsCache(const QRect& r, qreal dpr)
{
    return !r.isEmpty() && double(r.width()) * r.height() * dpr * dpr <= kMaxCachedPixels;
}

} // namespace

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
    p.setShowTitle(showsTitle());
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
    const HeatmapPainter p = this->painter();
    if (target == QRectF(rect()) && !m_data.isEmpty())
        p.paint(painter, currentLayout(), selectedRow()); // measured once for hit testing
    else
        p.paint(painter, target, m_cellSize, selectedRow());
}

QSizeF HeatmapView::preferredExportSize() const
{
    const double cell = m_cellSize > 0 ? m_cellSize : 40.0;
    return painter().requiredSize(cell).expandedTo(QSizeF(480, 360));
}

QSizeF HeatmapView::minimumExportSize() const
{
    return painter().requiredSize(HeatmapPainter::kMinCell);
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
    // Small cells (an overview of a long input) double per step, so a few steps reach exact cells.
    double next = current * std::pow(current < 4.0 ? 2.0 : 1.2, steps);
    next = next >= 4.0 ? std::min(std::round(next), 160.0) : HeatmapGeometry::snapped(next);
    const double fitted = painter().layout(QRectF(rect()), 0).grid.cellSize;
    if (steps < 0 && next < 4.0 && next <= fitted)
        return resetZoom(); // an overview no smaller than the whole map in the window: that is Fit
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

void HeatmapView::showsTitleChanged()
{
    rebuild(); // the title's line comes and goes: new layout and minimum size
}

void HeatmapView::rebuild()
{
    if (selection() == nullptr)
        return;
    m_data = HeatmapData::build(result(), *selection());
    m_hover.reset();
    // Zoomed in, the cells keep their size and the surrounding scroll area scrolls. Fitted, a long
    // input becomes an overview that fits the window, so the minimum holds a small grid only.
    const int cells = std::max(m_data.rows(), m_data.cols());
    const double cell = m_cellSize > 0 ? m_cellSize
                                        : std::min(HeatmapPainter::kMinFitCell,
                                                   HeatmapGeometry::snapped(kMinimumGrid / std::max(1, cells)));
    setMinimumSize(m_data.isEmpty() ? QSize(200, 150) : painter().requiredSize(cell).toSize());
    invalidate();
}

void HeatmapView::invalidate()
{
    m_cache = QImage();
    m_layout.reset();
    update();
}

QRect HeatmapView::cacheAreaFor(const QRect& needed) const
{
    const qreal dpr = devicePixelRatioF();
    // The whole widget when it fits, so scrolling stays a blit; otherwise what is visible plus up
    // to a quarter on each side (as far as the budget allows), so short scrolls still hit the cache.
    if (fitsCache(rect(), dpr))
        return rect();
    QRect around = needed; // may be a thin strip of what the user sees: centre on all of it
    if (isVisible())
        around |= visibleRegion().boundingRect();
    if (!fitsCache(around, dpr))
        return fitsCache(needed, dpr) ? needed : QRect();
    const double room = std::sqrt(kMaxCachedPixels / (double(around.width()) * around.height() * dpr * dpr));
    const double share = std::min((room - 1) / 2, 0.25);
    const int dx = static_cast<int>(around.width() * share);
    const int dy = static_cast<int>(around.height() * share);
    return around.marginsAdded(QMargins(dx, dy, dx, dy)) & rect();
}

void HeatmapView::refreshCache(const QRect& area, qreal dpr)
{
    m_cacheArea = area;
    if (area.isEmpty()) {
        m_cache = QImage();
        return;
    }
    if (area == rect()) {
        m_cache = renderImage(size(), dpr);
        return;
    }
    // Scrolling a large widget refills the cache again and again: keep its memory.
    const QSize pixels = area.size() * dpr;
    if (m_cache.size() != pixels)
        m_cache = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
    m_cache.setDevicePixelRatio(dpr);
    m_cache.fill(palette().color(QPalette::Base));
    QPainter painter(&m_cache);
    // Large widgets have always been drawn without antialiasing: crisp one-pixel separators.
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.translate(-area.topLeft());
    painter.setClipRect(area); // the painter skips cells and labels outside it
    paint(painter, QRectF(rect()));
}

void HeatmapView::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    // Only what reaches the device: render() into a small image, or a scroll area's window, may
    // show a small part of a widget enlarged for a long input.
    QRect needed = event->rect();
    if (const auto reach = HeatmapPainter::paintableArea(p))
        needed &= reach->toAlignedRect();
    if (!needed.isEmpty()) {
        const qreal dpr = devicePixelRatioF();
        if (m_cache.isNull() || m_cache.devicePixelRatio() != dpr || !m_cacheArea.contains(needed))
            refreshCache(cacheAreaFor(needed), dpr);
        if (!m_cache.isNull()) {
            p.drawImage(m_cacheArea.topLeft(), m_cache);
        } else {
            // Too large even for a partial cache (e.g. grab() of the whole widget): paint directly.
            p.setClipRect(needed);
            p.fillRect(needed, palette().color(QPalette::Base));
            p.setRenderHint(QPainter::TextAntialiasing);
            paint(p, QRectF(rect()));
            p.setClipping(false);
        }
    }
    paintHover(p);
}

void HeatmapView::paintHover(QPainter& p) const
{
    if (!m_hover)
        return;
    // Hover feedback lives outside the cache so moving the mouse costs two cells.
    p.setPen(QPen(palette().color(QPalette::Text), 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(hoverRect(*m_hover));
}

QRectF HeatmapView::hoverRect(const HeatmapCell& cell) const
{
    const HeatmapGeometry g = currentLayout().grid;
    const int pool = g.pool();
    if (pool == 1)
        return g.cellRect(cell.row, cell.col).adjusted(0.75, 0.75, -0.75, -0.75);
    // An overview pixel: a frame around it, since the pixel itself is too small to outline.
    const QRectF pixel = g.cellRect(cell.row / pool * pool, cell.col / pool * pool);
    return QRectF(pixel.topLeft(), QSizeF(1.0, 1.0)).adjusted(-2.0, -2.0, 2.0, 2.0);
}

void HeatmapView::setHover(std::optional<HeatmapCell> cell)
{
    for (const auto& c : {m_hover, cell}) {
        if (c)
            update(hoverRect(*c).toAlignedRect().adjusted(-2, -2, 2, 2));
    }
    m_hover = cell;
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
    if (selection()->maskMode() == MaskOverride::Custom && !m_data.merged && !m_data.meanOfHeads &&
        m_data.block == SentenceBlock::All) {
        selection()->toggleCustomMaskCell(cell->row, cell->col);
    }
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event)
{
    const auto cell = currentLayout().grid.cellAt(event->position());
    if (cell == m_hover)
        return;
    setHover(cell);
    if (selection() != nullptr)
        selection()->setHoveredToken(cell ? m_data.tokenForRow(cell->row) : -1);
}

void HeatmapView::leaveEvent(QEvent* event)
{
    setHover(std::nullopt);
    if (selection() != nullptr)
        selection()->setHoveredToken(-1);
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
    QString text = overviewPixelText(cell) + tr("<b>%1</b> → <b>%2</b>").arg(query, key);
    if (m_data.isMasked(cell.row, cell.col))
        return text + tr("<br>masked: this query may not attend to this key");
    const float v = m_data.values(cell.row, cell.col);
    text += tr("<br>%1: %2").arg(m_data.valueCaption(), formatNumber(v, 4));
    if (m_data.measure != Measure::Raw)
        text += tr("<br><i>%1</i>").arg(QString::fromStdString(measureLegend(m_data.measure)).toHtmlEscaped());
    if (const HeadCapture* c = m_data.capture()) {
        text +=
            tr("<br>weight: %1").arg(formatNumber(c->weights(cell.row, cell.col), 4)).repeated(m_data.showsScores || m_data.measure != Measure::Raw ? 1 : 0);
        text += tr("<br>raw score q·k: %1").arg(formatNumber(c->scores(cell.row, cell.col), 4));
        text += c->scaledByRootDk ? tr("<br>scaled by √d_k: %1").arg(formatNumber(c->scaled(cell.row, cell.col), 4))
                                  : tr("<br>(not scaled by √d_k)");
    }
    if (m_data.merged)
        text += tr("<br><i>words merged: sum over key pieces, mean over query pieces</i>");
    if (selection() != nullptr && selection()->maskMode() == MaskOverride::Custom) {
        text += tr("<br><i>click to toggle this cell of the custom mask</i>");
    }
    return text;
}

QString HeatmapView::overviewPixelText(const HeatmapCell& cell) const
{
    const int pool = currentLayout().grid.pool();
    if (pool == 1)
        return {};
    // What the pixel under the mouse shows: the largest weight of its block, and where it is.
    const int r0 = cell.row / pool * pool, c0 = cell.col / pool * pool;
    const int r1 = std::min(r0 + pool, m_data.rows()), c1 = std::min(c0 + pool, m_data.cols());
    HeatmapCell best{-1, -1};
    for (int i = r0; i < r1; ++i)
        for (int j = c0; j < c1; ++j)
            if (!m_data.isMasked(i, j) && (best.row < 0 || m_data.values(i, j) > m_data.values(best.row, best.col)))
                best = {i, j};
    QString text = tr("overview pixel: queries %1–%2 × keys %3–%4").arg(r0).arg(r1 - 1).arg(c0).arg(c1 - 1);
    if (best.row >= 0)
        text += tr("<br>largest: %1 (<b>%2</b> → <b>%3</b>)")
                    .arg(formatNumber(m_data.values(best.row, best.col), 4),
                         m_data.rowLabels.value(best.row).toHtmlEscaped(), m_data.colLabels.value(best.col).toHtmlEscaped());
    return text + tr("<br>zoom in (Ctrl+wheel) for every cell<hr>");
}

} // namespace attnviz
