#pragma once
// Geometry of the arcs ("head") view: two columns of token labels, queries left and keys right,
// joined by lines. Rows shrink with the input down to a readable minimum, below which the columns
// run past the area and the view scrolls. Plain maths, unit tested; the view and its hit testing
// share it.

#include <QPointF>
#include <QRectF>

namespace attnviz {

struct ArcsLayout
{
    enum class Side { None, Left, Right };
    struct Hit
    {
        Side side = Side::None;
        int index = -1;
        bool operator==(const Hit&) const = default;
    };

    static constexpr qreal margin = 12.0;
    static constexpr qreal headerHeight = 52.0; // title, head legend and column captions
    static constexpr qreal maxRowHeight = 26.0;
    static constexpr qreal minRowHeight = 14.0; // readable labels: a longer input scrolls instead
    static constexpr qreal labelGap = 8.0;       // between a label and its line ends
    static constexpr qreal maxLinesWidth = 320.0; // beyond this, lines only get flatter
    static constexpr qreal minLinesWidth = 40.0;  // narrow areas (the side dock) give labels the rest

    QRectF area;
    int leftCount = 0;
    int rightCount = 0;
    qreal labelWidth = 0.0;
    qreal rowHeight = 0.0;
    int labelPixelSize = 0; // the labels' font, chosen by the view so they fit labelWidth
    qreal scale = 1.0;      // the view's text scale: header and rows grow with the type
    QRectF leftColumn;  // label boxes of the queries
    QRectF rightColumn; // label boxes of the keys

    // labelWidth: width of the widest label (both columns use it, so the picture is symmetric).
    // scale multiplies headerHeight and maxRowHeight (large type, e.g. presentation mode).
    static ArcsLayout compute(const QRectF& area, int leftCount, int rightCount, qreal labelWidth,
                              qreal scale = 1.0);

    QRectF leftLabelRect(int i) const;
    QRectF rightLabelRect(int j) const;
    QPointF leftAnchor(int i) const;  // where lines leave query i
    QPointF rightAnchor(int j) const; // where lines reach key j
    Hit hitTest(const QPointF& point) const;

    // The height needed to give every row `rowHeight` (for export sizes).
    static qreal preferredHeight(int leftCount, int rightCount, qreal rowHeight = maxRowHeight, qreal scale = 1.0);
};

} // namespace attnviz
