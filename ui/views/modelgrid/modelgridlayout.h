#pragma once
// Geometry of the model grid: one square thumbnail per (layer, head), rows = layers, columns =
// heads, with layer labels on the left, head labels on top and an optional badge line under each
// thumbnail. Plain maths, unit tested; painting and click handling share it.

#include <QPoint>
#include <QRectF>

namespace attnviz {

struct ModelGridLayout
{
    static constexpr qreal margin = 10.0;
    static constexpr qreal rowLabelWidth = 34.0;  // "L11"
    static constexpr qreal columnLabelHeight = 18.0; // "H11"
    static constexpr qreal titleHeight = 24.0;
    static constexpr qreal spacing = 6.0;         // between neighbouring cells
    static constexpr qreal badgeHeight = 14.0;
    static constexpr qreal minBadgeThumb = 44.0;  // smaller thumbnails get no badge line
    static constexpr qreal maxThumb = 160.0;

    QRectF area;
    int layers = 0;
    int heads = 0;
    qreal thumb = 0.0;       // side of one thumbnail
    bool badges = false;     // whether a badge line fits under each thumbnail
    QPointF origin;          // top-left of thumbnail (0, 0)
    qreal scale = 1.0;       // the view's text scale: labels, title and badges grow with the type

    // scale multiplies the label, title and badge sizes (large type, e.g. presentation mode).
    static ModelGridLayout compute(const QRectF& area, int layers, int heads, qreal scale = 1.0);

    qreal labelWidth() const { return rowLabelWidth * scale; }
    qreal labelHeight() const { return columnLabelHeight * scale; }
    qreal titleLine() const { return titleHeight * scale; }
    qreal badgeLine() const { return badgeHeight * scale; }
    qreal cellWidth() const { return thumb + spacing; }
    qreal cellHeight() const { return thumb + (badges ? badgeLine() : 0.0) + spacing; }
    QRectF thumbRect(int layer, int head) const;
    QRectF badgeRect(int layer, int head) const;
    QRectF rowLabelRect(int layer) const;
    QRectF columnLabelRect(int head) const;
    // (layer, head) of the thumbnail under `point`, or (-1, -1) (the gaps between count as none).
    QPoint hitTest(const QPointF& point) const;

    // The size that gives each thumbnail `thumb` pixels (for export).
    static QSizeF preferredSize(int layers, int heads, qreal thumb, qreal scale = 1.0);
};

} // namespace attnviz
