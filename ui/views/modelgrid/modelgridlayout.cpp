#include "views/modelgrid/modelgridlayout.h"

#include <QSizeF>

#include <algorithm>
#include <cmath>

namespace attnviz {

ModelGridLayout ModelGridLayout::compute(const QRectF& area, int layers, int heads, qreal scale)
{
    ModelGridLayout g;
    g.area = area;
    g.scale = scale;
    g.layers = std::max(0, layers);
    g.heads = std::max(0, heads);
    if (g.layers == 0 || g.heads == 0) return g;
    const qreal width = area.width() - 2 * margin - g.labelWidth();
    const qreal height = area.height() - 2 * margin - g.titleLine() - g.labelHeight();
    auto fit = [&](qreal badge) {
        return std::min(width / g.heads - spacing, height / g.layers - spacing - badge);
    };
    g.thumb = fit(g.badgeLine());
    g.badges = g.thumb >= minBadgeThumb;
    if (!g.badges) g.thumb = fit(0.0);
    g.thumb = std::clamp(std::floor(g.thumb), 1.0, maxThumb);

    // Centre the grid horizontally; keep it at the top so the title stays put while resizing.
    const qreal gridWidth = g.labelWidth() + g.heads * g.cellWidth();
    const qreal left = area.left() + std::max(margin, (area.width() - gridWidth) / 2.0);
    g.origin = {left + g.labelWidth(), area.top() + margin + g.titleLine() + g.labelHeight()};
    return g;
}

QRectF ModelGridLayout::thumbRect(int layer, int head) const
{
    return {origin.x() + head * cellWidth(), origin.y() + layer * cellHeight(), thumb, thumb};
}

QRectF ModelGridLayout::badgeRect(int layer, int head) const
{
    const QRectF t = thumbRect(layer, head);
    return {t.left(), t.bottom(), t.width(), badges ? badgeLine() : 0.0};
}

QRectF ModelGridLayout::rowLabelRect(int layer) const
{
    const QRectF t = thumbRect(layer, 0);
    return {t.left() - labelWidth(), t.top(), labelWidth() - 6.0, thumb};
}

QRectF ModelGridLayout::columnLabelRect(int head) const
{
    const QRectF t = thumbRect(0, head);
    return {t.left(), t.top() - labelHeight(), thumb, labelHeight()};
}

QPoint ModelGridLayout::hitTest(const QPointF& point) const
{
    if (thumb <= 0.0) return {-1, -1};
    const int head = static_cast<int>(std::floor((point.x() - origin.x()) / cellWidth()));
    const int layer = static_cast<int>(std::floor((point.y() - origin.y()) / cellHeight()));
    if (layer < 0 || layer >= layers || head < 0 || head >= heads) return {-1, -1};
    if (!thumbRect(layer, head).contains(point)) return {-1, -1};
    return {layer, head};
}

QSizeF ModelGridLayout::preferredSize(int layers, int heads, qreal thumb, qreal scale)
{
    const qreal badge = thumb >= minBadgeThumb ? badgeHeight * scale : 0.0;
    return {2 * margin + rowLabelWidth * scale + heads * (thumb + spacing),
            2 * margin + (titleHeight + columnLabelHeight) * scale + layers * (thumb + badge + spacing)};
}

} // namespace attnviz
