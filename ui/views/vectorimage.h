#pragma once
// Small pictures (a matrix as one pixel per cell) drawn so that vector exports stay vector.

#include <QImage>
#include <QPainter>

namespace attnviz {

// True when the painter draws to a vector device (SVG, PDF), where a scaled QImage would be
// embedded as a bitmap instead of cells.
bool paintsVector(const QPainter& painter);

// Draws `source` of `image` into `target`: as one scaled image on raster devices, as one filled
// rectangle per pixel on vector devices (so SVG/PDF contain the cells as shapes).
void drawCells(QPainter& painter, const QRectF& target, const QImage& image, const QRect& source);

} // namespace attnviz
