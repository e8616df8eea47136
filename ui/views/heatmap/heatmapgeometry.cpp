#include "views/heatmap/heatmapgeometry.h"

#include <algorithm>
#include <cmath>

namespace attnviz {

HeatmapGeometry HeatmapGeometry::fit(const QRectF& area, int rows, int cols, double minCell, double maxCell)
{
    HeatmapGeometry g;
    g.origin = area.topLeft();
    g.rows = std::max(0, rows);
    g.cols = std::max(0, cols);
    if (g.rows == 0 || g.cols == 0)
        return g;
    const double fitting = std::min(area.width() / g.cols, area.height() / g.rows);
    const double smallest = minCell > 0 ? minCell : 1.0 / kMaxPool;
    g.cellSize = snapped(std::clamp(fitting, smallest, std::max(smallest, maxCell)));
    return g;
}

double HeatmapGeometry::snapped(double cellSize)
{
    // Whole pixels keep cell edges crisp and make the maths exact for tests; below a pixel, a
    // whole number of cells per pixel lets the picture pool exact blocks.
    if (cellSize >= 1.0)
        return std::floor(cellSize);
    const double cellsPerPixel = std::clamp(std::ceil(1.0 / std::max(cellSize, 1e-9)), 1.0, double(kMaxPool));
    return 1.0 / cellsPerPixel;
}

int HeatmapGeometry::pool() const
{
    return cellSize >= 1.0 || cellSize <= 0 ? 1 : static_cast<int>(std::lround(1.0 / cellSize));
}

QRectF HeatmapGeometry::cellRect(int row, int col) const
{
    return {origin.x() + col * cellSize, origin.y() + row * cellSize, cellSize, cellSize};
}

std::optional<HeatmapCell> HeatmapGeometry::cellAt(const QPointF& point) const
{
    if (cellSize <= 0)
        return std::nullopt;
    const double x = (point.x() - origin.x()) / cellSize;
    const double y = (point.y() - origin.y()) / cellSize;
    if (x < 0 || y < 0)
        return std::nullopt;
    const auto col = static_cast<int>(x);
    const auto row = static_cast<int>(y);
    if (row >= rows || col >= cols)
        return std::nullopt;
    return HeatmapCell{row, col};
}

} // namespace attnviz
