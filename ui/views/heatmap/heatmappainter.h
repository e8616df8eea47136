#pragma once
// Lays out and paints a heatmap (title, rotated key labels, query labels, cells, legend) onto
// any QPainter. Holds no widget state, so the screen, exports and tests draw the same picture.

#include "views/colormap.h"
#include "views/heatmap/heatmapdata.h"
#include "views/heatmap/heatmapgeometry.h"

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPalette>
#include <QTransform>

#include <optional>

class QPainter;

namespace attnviz {

struct HeatmapLayout
{
    HeatmapGeometry grid;
    QRectF title;
    QRectF legend; // the colour bar
    double rowLabelWidth = 0;
    double colLabelHeight = 0;
};

class HeatmapPainter
{
public:
    static constexpr double kMinCell = 14.0; // the smallest cells with a label on every row
    // Fitting the window goes smaller, labelling every few rows, so that Fit shows every row and
    // column: below a pixel per cell the picture is an overview, each pixel the largest of its
    // n × n cells (said in the legend); zooming in gives exact cells again. The view keeps cells
    // of this size for short inputs as its minimum.
    static constexpr double kMinFitCell = 6.0;
    static constexpr double kMaxCell = 96.0;
    // The fill of a masked cell (under its hatching), for the legend and for pixel tests.
    static QColor maskedColor(const QPalette& palette);
    // The logical area `painter` can change: its clip and, on raster devices, the device itself
    // (a widget far taller than its window, or rendered into a smaller image). None = unbounded.
    static std::optional<QRectF> paintableArea(const QPainter& painter);
    // Where a key label is drawn: text laid out from (0, 0) along +x with its baseline at
    // `baseline`, mapped up and to the right of its column at 45°, clear of the grid's top edge.
    static QTransform colLabelTransform(const QRectF& firstCell, const QFontMetricsF& fm, double* baseline);

    HeatmapPainter(const HeatmapData& data, ColorMap map, QFont font, QPalette palette);

    // cellSize 0 = fit the target (within kMinFitCell..kMaxCell); otherwise exactly that size.
    HeatmapLayout layout(const QRectF& target, double cellSize = 0) const;
    // The smallest target in which cells of `cellSize` fit with all labels.
    QSizeF requiredSize(double cellSize) const;
    void paint(QPainter& painter, const QRectF& target, double cellSize = 0, int selectedRow = -1) const;
    // The same with a layout() made earlier for this data and font: measuring every label is the
    // dearest part of painting a small area. Draws nothing for empty data.
    void paint(QPainter& painter, const HeatmapLayout& l, int selectedRow = -1) const;
    void setShowValues(bool on) { m_showValues = on; } // numbers in cells, when they fit
    void setShowTitle(bool on) { m_showTitle = on; }   // off: no title line, the grid moves up

private:
    void paintEmpty(QPainter& painter, const QRectF& target) const;
    void paintCells(QPainter& painter, const HeatmapGeometry& g) const;
    void fillCells(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const;
    // Below a pixel per cell: each pixel the largest weight of its pool × pool cells, and the
    // pixels whose cells are all masked hatched.
    void fillPooledCells(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const;
    // The colours of `cells` (x = column, y = row), `scale` pixels per cell.
    QImage cellImage(const QRect& cells, int scale) const;
    void paintHatching(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const;
    void paintValues(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const;
    void paintSeparators(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const;
    void paintLabels(QPainter& painter, const HeatmapLayout& l) const;
    void paintSentenceBoundary(QPainter& painter, const HeatmapGeometry& g) const;
    void paintLegend(QPainter& painter, const HeatmapLayout& l) const;
    double maxLabelWidth(const QStringList& labels) const;
    QFont labelFont(double cellSize) const;
    double titleHeight(const QFontMetricsF& fm) const;

    const HeatmapData& m_data;
    ColorMap m_map;
    QFont m_font;
    QPalette m_palette;
    bool m_showValues = true;
    bool m_showTitle = true;
};

} // namespace attnviz
