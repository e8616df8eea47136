#include "views/arcs/arcslines.h"

#include <QImage>
#include <QPaintEngine>
#include <QPainter>
#include <QPen>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

// x * a / 255, rounded, for the four 8-bit channels of a pixel at once (two per multiply).
quint32 scaled(quint32 x, quint32 a)
{
    quint32 redBlue = (x & 0xff00ffu) * a;
    redBlue = ((redBlue + ((redBlue >> 8) & 0xff00ffu) + 0x800080u) >> 8) & 0xff00ffu;
    quint32 alphaGreen = ((x >> 8) & 0xff00ffu) * a;
    alphaGreen = (alphaGreen + ((alphaGreen >> 8) & 0xff00ffu) + 0x800080u) & 0xff00ff00u;
    return alphaGreen | redBlue;
}

// Source-over of one premultiplied colour into an ARGB32 premultiplied image.
class PixelBlender
{
public:
    PixelBlender(QImage& image, QColor color)
        : m_bits(image.bits()), m_stride(image.bytesPerLine()), m_color(qPremultiply(color.rgba()))
    {
    }

    // coverage: 0..255, the share of the pixel the line covers.
    void operator()(int x, int y, int coverage) const
    {
        auto* pixel = reinterpret_cast<quint32*>(m_bits + y * m_stride) + x;
        const quint32 source = coverage >= 255 ? m_color : scaled(m_color, quint32(coverage));
        *pixel = source + scaled(*pixel, 255u - qAlpha(source));
    }

private:
    uchar* m_bits;
    qsizetype m_stride;
    quint32 m_color;
};

// Walks a line one pixel column (or row, for steep lines) at a time and hands every pixel it
// covers to `plot(x, y, coverage)`, clipped to `size`. Like QPainter with flat caps, a column
// belongs to the line when its centre lies between the end points.
template <typename Plot>
void walkLine(QPointF from, QPointF to, qreal width, bool antialiased, QSize size, const Plot& plot)
{
    const bool steep = std::abs(to.y() - from.y()) > std::abs(to.x() - from.x());
    if (steep) { // walk rows: swap the roles of x and y
        from = from.transposed();
        to = to.transposed();
        size.transpose();
    }
    if (from.x() > to.x())
        std::swap(from, to);
    if (to.x() - from.x() <= 0.0)
        return; // a point: nothing to draw with flat caps
    const qreal slope = (to.y() - from.y()) / (to.x() - from.x());
    auto put = [&](int x, int y, int coverage) {
        if (y >= 0 && y < size.height() && coverage > 0)
            steep ? plot(y, x, coverage) : plot(x, y, coverage);
    };
    // Across the walk, a line of `width` spans more pixels the steeper it runs.
    const qreal half = width / 2.0 * std::sqrt(1.0 + slope * slope);
    const int first = std::max(0, int(std::ceil(from.x() - 0.5)));
    const int end = std::min(size.width(), int(std::ceil(to.x() - 0.5)));
    if (!antialiased && width <= 1.0) {
        // One-pixel pens (the dense case, most pixels): per step the pixel holding the centre,
        // as in QPainter's one-pixel lines.
        for (int x = first; x < end; ++x)
            put(x, int(std::ceil(from.y() + (x + 0.5 - from.x()) * slope - 1.0)), 255);
        return;
    }
    for (int x = first; x < end; ++x) {
        const qreal centre = from.y() + (x + 0.5 - from.x()) * slope;
        if (!antialiased) {
            // Wider aliased pens: the pixels whose centres the pen covers, at least one.
            const int top = int(std::ceil(centre - half - 0.5));
            const int bottom = std::max(top, int(std::ceil(centre + half - 0.5)) - 1);
            for (int y = top; y <= bottom; ++y)
                put(x, y, 255);
            continue;
        }
        // Coverage: how much of each pixel's height lies within the pen.
        const qreal low = centre - half;
        const qreal high = centre + half;
        for (int y = int(std::floor(low)); y <= int(std::floor(high)); ++y) {
            const qreal covered = std::min<qreal>(high, y + 1) - std::max<qreal>(low, y);
            put(x, y, int(std::lround(std::clamp(covered, 0.0, 1.0) * 255.0)));
        }
    }
}

} // namespace

bool ArcsLines::isEmpty() const
{
    return std::all_of(groups.begin(), groups.end(), [](const Group& g) { return g.lines.isEmpty(); });
}

QRectF ArcsLines::bounds() const
{
    QRectF box;
    for (const Group& g : groups)
        for (const QLineF& l : g.lines)
            box |= QRectF(l.p1(), l.p2()).normalized();
    // Steep lines spread up to half the width times sqrt(2) sideways; a pixel more for rounding.
    const qreal pad = width + 1.0;
    return box.adjusted(-pad, -pad, pad, pad);
}

void ArcsLines::paint(QPainter& painter) const
{
    if (isEmpty())
        return;
    if (!paintRaster(painter))
        paintVector(painter);
}

void ArcsLines::paintVector(QPainter& painter) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, antialiased);
    for (const Group& g : groups) {
        if (g.lines.isEmpty())
            continue;
        painter.setPen(QPen(g.color, width, Qt::SolidLine, Qt::FlatCap));
        painter.drawLines(g.lines);
    }
    painter.restore();
}

bool ArcsLines::paintRaster(QPainter& painter) const
{
    // Only where the picture becomes pixels anyway, and without rotation or shear.
    const QPaintEngine* engine = painter.paintEngine();
    const QTransform device = painter.deviceTransform();
    if (engine == nullptr || engine->type() != QPaintEngine::Raster || device.type() > QTransform::TxScale)
        return false;
    QRect area = device.mapRect(bounds()).toAlignedRect();
    if (painter.hasClipping()) // a part of a long input: only its pixels
        area &= device.mapRect(painter.clipBoundingRect()).toAlignedRect();
    if (area.isEmpty() || qint64(area.width()) * area.height() > maxLayerPixels)
        return false;

    // The lines go into a transparent layer of device pixels, composited once: source-over is
    // associative, so this equals blending each line onto the picture.
    QImage layer(area.size(), QImage::Format_ARGB32_Premultiplied);
    layer.fill(Qt::transparent);
    rasterize(layer, device * QTransform::fromTranslate(-area.left(), -area.top()));
    painter.save();
    painter.setWorldTransform(device.inverted() * painter.worldTransform()); // now in device pixels
    painter.drawImage(area.topLeft(), layer);
    painter.restore();
    return true;
}

void ArcsLines::rasterize(QImage& image, const QTransform& toImage) const
{
    Q_ASSERT(image.format() == QImage::Format_ARGB32_Premultiplied);
    const qreal deviceWidth = width * std::sqrt(std::abs(toImage.determinant()));
    for (const Group& g : groups) {
        const PixelBlender blend(image, g.color);
        for (const QLineF& l : g.lines)
            walkLine(toImage.map(l.p1()), toImage.map(l.p2()), deviceWidth, antialiased, image.size(), blend);
    }
}

} // namespace attnviz
