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
    // Whole pixels keep cell edges crisp and make the maths exact for tests.
    g.cellSize = std::floor(std::clamp(fitting, minCell, std::max(minCell, maxCell)));
    return g;
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
