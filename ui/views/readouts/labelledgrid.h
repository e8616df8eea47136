#pragma once
// A table of coloured cells with a line of text each, row and column labels and a title: what the
// logit lens (tokens by layer and position) and the logit attribution (numbers by layer and head)
// both draw. Painted on any QPainter, so the views export as they look.

#include "views/colormap.h"

#include <QFont>
#include <QPalette>
#include <QRectF>
#include <QStringList>

#include <cmath>
#include <functional>
#include <optional>

class QPainter;

namespace attnviz {

struct LabelledGrid
{
    QString title;
    QString caption; // one line under the grid: what the colours mean
    QStringList rowLabels;
    QStringList colLabels;
    std::function<QString(int row, int col)> text;
    std::function<double(int row, int col)> shade; // in [0, 1] on `map`; NaN = no colour
    ColorMap map;
    int highlightedColumn = -1; // outlined (the selected query token)
    qreal scale = 1.0;          // the view's text scale

    int rows() const { return static_cast<int>(rowLabels.size()); }
    int cols() const { return static_cast<int>(colLabels.size()); }
    QSizeF preferredSize(const QFont& font) const; // every text whole (up to the widest cell)
    QSizeF minimumSize(const QFont& font) const;   // narrow cells, texts elided: a window's scroll limit
    void paint(QPainter& painter, const QRectF& target, const QPalette& palette, const QFont& font) const;
    // The cell under `point` in a grid painted into `target`, if any.
    std::optional<std::pair<int, int>> cellAt(const QPointF& point, const QRectF& target, const QFont& font) const;

private:
    struct Geometry
    {
        QRectF cells;     // the grid's cells, without labels
        double cellWidth = 0, cellHeight = 0;
        double titleHeight = 0, rowLabelWidth = 0, colLabelHeight = 0;
    };
    Geometry geometry(const QRectF& target, const QFont& font) const;
    QFont cellFont(const QFont& base) const;
};

} // namespace attnviz
