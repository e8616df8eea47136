#include "views/vectorimage.h"

#include <QPaintEngine>

namespace attnviz {

bool paintsVector(const QPainter& painter)
{
    const QPaintEngine* engine = painter.paintEngine();
    return engine != nullptr && engine->type() != QPaintEngine::Raster;
}

void drawCells(QPainter& painter, const QRectF& target, const QImage& image, const QRect& source)
{
    if (!paintsVector(painter)) {
        painter.drawImage(target, image, QRectF(source));
        return;
    }
    const qreal w = target.width() / source.width();
    const qreal h = target.height() / source.height();
    painter.save();
    painter.setPen(Qt::NoPen);
    for (int y = 0; y < source.height(); ++y) {
        for (int x = 0; x < source.width(); ++x) {
            painter.setBrush(QColor::fromRgb(image.pixel(source.left() + x, source.top() + y)));
            painter.drawRect(QRectF(target.left() + x * w, target.top() + y * h, w, h));
        }
    }
    painter.restore();
}

} // namespace attnviz
