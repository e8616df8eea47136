#include "views/arcs/arcslayout.h"

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

// Each column is centred vertically on its own, so a short source sentence sits mid-height.
QRectF columnRect(qreal x, qreal width, int count, qreal rowHeight, qreal bodyTop, qreal bodyHeight)
{
    const qreal height = count * rowHeight;
    return {x, bodyTop + std::max(0.0, (bodyHeight - height) / 2.0), width, height};
}

} // namespace

ArcsLayout ArcsLayout::compute(const QRectF& area, int leftCount, int rightCount, qreal labelWidth, qreal scale)
{
    ArcsLayout layout;
    layout.area = area;
    layout.scale = scale;
    layout.leftCount = std::max(0, leftCount);
    layout.rightCount = std::max(0, rightCount);
    const qreal bodyTop = area.top() + headerHeight * scale;
    const qreal bodyHeight = std::max(0.0, area.height() - headerHeight * scale - margin);
    const int rows = std::max({layout.leftCount, layout.rightCount, 1});
    layout.rowHeight = std::clamp(bodyHeight / rows, minRowHeight * scale, maxRowHeight * scale);

    // Labels take what they need as long as the lines keep a minimum width; lines get the
    // rest, up to a cap.
    const qreal usable = std::max(0.0, area.width() - 2 * margin);
    layout.labelWidth = std::min(labelWidth, std::max(0.0, (usable - minLinesWidth) / 2.0));
    const qreal linesWidth = std::min(maxLinesWidth, usable - 2 * layout.labelWidth);
    const qreal total = 2 * layout.labelWidth + linesWidth;
    const qreal left = area.left() + (area.width() - total) / 2.0;
    layout.leftColumn =
        columnRect(left, layout.labelWidth, layout.leftCount, layout.rowHeight, bodyTop, bodyHeight);
    layout.rightColumn = columnRect(left + layout.labelWidth + linesWidth, layout.labelWidth, layout.rightCount,
                                    layout.rowHeight, bodyTop, bodyHeight);
    return layout;
}

QRectF ArcsLayout::leftLabelRect(int i) const
{
    return {leftColumn.left(), leftColumn.top() + i * rowHeight, leftColumn.width(), rowHeight};
}

QRectF ArcsLayout::rightLabelRect(int j) const
{
    return {rightColumn.left(), rightColumn.top() + j * rowHeight, rightColumn.width(), rowHeight};
}

QPointF ArcsLayout::leftAnchor(int i) const
{
    const QRectF r = leftLabelRect(i);
    return {r.right() + labelGap, r.center().y()};
}

QPointF ArcsLayout::rightAnchor(int j) const
{
    const QRectF r = rightLabelRect(j);
    return {r.left() - labelGap, r.center().y()};
}

ArcsLayout::Hit ArcsLayout::hitTest(const QPointF& point) const
{
    if (rowHeight <= 0.0) return {};
    auto row = [&](const QRectF& column, int count) {
        if (!column.contains(point)) return -1;
        const int r = static_cast<int>(std::floor((point.y() - column.top()) / rowHeight));
        return r >= 0 && r < count ? r : -1;
    };
    if (const int i = row(leftColumn, leftCount); i >= 0) return {Side::Left, i};
    if (const int j = row(rightColumn, rightCount); j >= 0) return {Side::Right, j};
    return {};
}

qreal ArcsLayout::preferredHeight(int leftCount, int rightCount, qreal rowHeight, qreal scale)
{
    return headerHeight * scale + std::max({leftCount, rightCount, 1}) * rowHeight + margin;
}

} // namespace attnviz
