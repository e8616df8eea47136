#pragma once
// Where the cells of a heatmap are: rect for a cell, cell for a point. Plain maths shared by
// painting, hit testing and tests.

#include <QRectF>

#include <optional>

namespace attnviz {

struct HeatmapCell
{
    int row = -1;
    int col = -1;
    friend bool operator==(const HeatmapCell&, const HeatmapCell&) = default;
};

struct HeatmapGeometry
{
    static constexpr int kMaxPool = 1024; // cells per pixel at most: 1M tokens in a 1,000-pixel overview
    QPointF origin;      // top-left of cell (0, 0)
    double cellSize = 0; // cells are square
    int rows = 0;
    int cols = 0;

    // Square cells as large as fit in `area` but within [minCell, maxCell], anchored top-left.
    // Sizes of a pixel or more are whole pixels; smaller ones (minCell < 1: an overview of a long
    // input) are 1 / n, so each pixel shows exactly n × n cells.
    static HeatmapGeometry fit(const QRectF& area, int rows, int cols, double minCell, double maxCell);
    // A size as fit() would give it: whole pixels, or 1 / n below one pixel.
    static double snapped(double cellSize);

    // Cells per pixel along each axis: 1 unless the cells are smaller than a pixel.
    int pool() const;

    QRectF gridRect() const { return {origin, QSizeF(cols * cellSize, rows * cellSize)}; }
    QRectF cellRect(int row, int col) const;
    QRectF rowRect(int row) const { return cellRect(row, 0).united(cellRect(row, cols - 1)); }
    // The cell under `point`, or nothing outside the grid.
    std::optional<HeatmapCell> cellAt(const QPointF& point) const;
};

} // namespace attnviz
