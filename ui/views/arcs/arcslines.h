#pragma once
// The arcs view's lines, grouped by pen (one head's colour at one opacity level), and the two
// ways of drawing them. Vector devices (SVG, PDF) get QPainter::drawLines, so exports keep real
// lines. Images and widgets get a small rasteriser instead: Qt's raster engine hands the pixels
// of every thin line to its thread pool in batches of a few hundred, and on two cores that
// dispatch, not the drawing, made 8,000 lines cost about 200 ms.

#include <QColor>
#include <QLineF>
#include <QList>
#include <QRectF>

#include <vector>

class QImage;
class QPainter;
class QTransform;

namespace attnviz {

struct ArcsLines
{
    struct Group
    {
        QColor color; // including the group's opacity
        QList<QLineF> lines;
    };

    std::vector<Group> groups; // in drawing order: later groups blend over earlier ones
    qreal width = 1.0;         // pen width in logical pixels, flat caps
    bool antialiased = true;

    // Larger layers (huge exports) are left to QPainter rather than held in memory twice.
    static constexpr qint64 maxLayerPixels = qint64(16) * 1024 * 1024;

    bool isEmpty() const;
    QRectF bounds() const; // every line, widened by the pen

    // Draws every group with the painter's transform, clip and opacity.
    void paint(QPainter& painter) const;
    // Blends every line into `image` (ARGB32 premultiplied) as QPainter would, through
    // `toImage`, which may scale and translate but not rotate.
    void rasterize(QImage& image, const QTransform& toImage) const;

private:
    bool paintRaster(QPainter& painter) const;
    void paintVector(QPainter& painter) const;
};

} // namespace attnviz
