#include "views/heatmap/heatmappainter.h"

#include "views/numberformat.h"
#include "views/vectorimage.h"

#include <QFontMetricsF>
#include <QtConcurrent>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <vector>

namespace attnviz {

namespace {

constexpr double kPadding = 14.0;
constexpr double kGap = 8.0;
constexpr double kLegendBar = 14.0;
constexpr double kLegendLabels = 44.0;
constexpr double kCos45 = 0.70710678;

// The rows or columns [first, last) that intersect the painter's clip: long inputs in a scroll
// area repaint only what is on screen.
std::pair<int, int> visibleRange(double clipStart, double clipEnd, double origin, double cell, int count)
{
    if (cell <= 0)
        return {0, 0};
    const int first = std::clamp(static_cast<int>(std::floor((clipStart - origin) / cell)), 0, count);
    const int last = std::clamp(static_cast<int>(std::ceil((clipEnd - origin) / cell)), 0, count);
    return {first, last};
}

// Colours derived from Base and Text work in light and dark palettes alike.
QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor dimText(const QPalette& p)
{
    return mix(p.color(QPalette::Base), p.color(QPalette::Text), 0.55);
}

QColor hatchLine(const QPalette& p)
{
    return mix(p.color(QPalette::Base), p.color(QPalette::Text), 0.35);
}

// The legend's captions under its bar ("weight", the masked swatch), in the legend's font.
// With an overview, one more line says how many cells each pixel pools.
double legendCaptionsHeight(const QFont& base, bool pooled = false)
{
    QFont f = base;
    f.setPointSizeF(std::max(7.0, (f.pointSizeF() > 0 ? f.pointSizeF() : 9.0) - 1));
    const QFontMetricsF fm(f);
    return fm.height() * 1.6 + kLegendBar + 2 + (pooled ? fm.height() * 2.2 : 0.0);
}

} // namespace

HeatmapPainter::HeatmapPainter(const HeatmapData& data, ColorMap map, QFont font, QPalette palette)
    : m_data(data), m_map(map), m_font(std::move(font)), m_palette(std::move(palette))
{
}

double HeatmapPainter::titleHeight(const QFontMetricsF& fm) const
{
    return m_showTitle ? fm.height() * 1.4 : 0.0;
}

QFont HeatmapPainter::labelFont(double cellSize) const
{
    QFont f = m_font;
    // Labels shrink with small cells but stay readable; they never grow past the UI font.
    const double base = m_font.pointSizeF() > 0 ? m_font.pointSizeF() : 9.0;
    f.setPointSizeF(std::clamp(cellSize * 0.5, 7.0, base));
    return f;
}

double HeatmapPainter::maxLabelWidth(const QStringList& labels) const
{
    const QFontMetricsF fm(labelFont(kMaxCell));
    double w = 0;
    for (const QString& l : labels)
        w = std::max(w, fm.horizontalAdvance(l));
    return std::min(w, 180.0);
}

HeatmapLayout HeatmapPainter::layout(const QRectF& target, double cellSize) const
{
    HeatmapLayout l;
    const QFontMetricsF fm(m_font);
    const QRectF inner = target.adjusted(kPadding, kPadding, -kPadding, -kPadding);
    l.title = QRectF(inner.left(), inner.top(), inner.width(), titleHeight(fm));
    l.rowLabelWidth = maxLabelWidth(m_data.rowLabels) + fm.height() * 1.5 + kGap; // + the vertical axis caption
    const double colText = maxLabelWidth(m_data.colLabels);
    l.colLabelHeight = colText * kCos45 + fm.height() * 1.6 + kGap;
    const double legendWidth = kGap * 2 + kLegendBar + kLegendLabels;
    const double overhang = colText * kCos45;
    // The legend's captions hang below the grid's bottom edge: keep them inside the target.
    QRectF area(inner.left() + l.rowLabelWidth, l.title.bottom() + l.colLabelHeight,
                inner.width() - l.rowLabelWidth - std::max(legendWidth, overhang),
                inner.bottom() - l.title.bottom() - l.colLabelHeight - legendCaptionsHeight(m_font));
    const double minCell = cellSize > 0 ? cellSize : 0.0; // fitted: as small as it takes
    const double maxCell = cellSize > 0 ? cellSize : kMaxCell;
    l.grid = HeatmapGeometry::fit(area, m_data.rows(), m_data.cols(), minCell, maxCell);
    if (l.grid.pool() > 1) { // room for the legend's line about the pooling, then fit again
        area.setBottom(area.bottom() - (legendCaptionsHeight(m_font, true) - legendCaptionsHeight(m_font)));
        l.grid = HeatmapGeometry::fit(area, m_data.rows(), m_data.cols(), minCell, maxCell);
    }
    // Centre the picture horizontally when the cells do not need the whole width.
    const double spare = area.width() - l.grid.gridRect().width();
    if (spare > 0)
        l.grid.origin.rx() += std::floor(spare / 2);
    // Whole-pixel cell edges: crisp, and the scaled-up cell image lands exactly on them.
    l.grid.origin = QPointF(std::round(l.grid.origin.x()), std::round(l.grid.origin.y()));
    l.title.setLeft(l.grid.origin.x() - l.rowLabelWidth);
    const QRectF grid = l.grid.gridRect();
    const double legendHeight = std::max(std::min(grid.height(), 260.0), 120.0);
    l.legend = QRectF(grid.right() + kGap * 2, grid.top(), kLegendBar, legendHeight);
    return l;
}

QSizeF HeatmapPainter::requiredSize(double cellSize) const
{
    const QFontMetricsF fm(m_font);
    const double rowLabels = maxLabelWidth(m_data.rowLabels) + fm.height() * 1.5 + kGap;
    const double colText = maxLabelWidth(m_data.colLabels);
    const double colLabels = colText * kCos45 + fm.height() * 1.6 + kGap;
    const double right = std::max(kGap * 2 + kLegendBar + kLegendLabels, colText * kCos45);
    const double w = kPadding * 2 + rowLabels + m_data.cols() * cellSize + right;
    const double h = kPadding * 2 + titleHeight(fm) + colLabels + std::max(m_data.rows() * cellSize, 150.0) +
                     legendCaptionsHeight(m_font, cellSize < 1.0);
    return {std::ceil(w), std::ceil(h)};
}

void HeatmapPainter::paint(QPainter& painter, const QRectF& target, double cellSize, int selectedRow) const
{
    if (m_data.isEmpty()) {
        painter.save();
        paintEmpty(painter, target);
        painter.restore();
        return;
    }
    paint(painter, layout(target, cellSize), selectedRow);
}

void HeatmapPainter::paint(QPainter& painter, const HeatmapLayout& l, int selectedRow) const
{
    if (m_data.isEmpty())
        return;
    painter.save();
    QFont titleFont = m_font;
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(m_palette.color(QPalette::Text));
    if (m_showTitle)
        painter.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, m_data.title);

    paintCells(painter, l.grid);
    paintSentenceBoundary(painter, l.grid);
    if (selectedRow >= 0 && selectedRow < l.grid.rows) {
        // The selected query row: a highlight frame drawn outside the cells so colours stay readable.
        painter.setPen(QPen(m_palette.color(QPalette::Highlight), 2.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(l.grid.rowRect(selectedRow).adjusted(-1.5, -1.5, 1.5, 1.5));
    }
    paintLabels(painter, l);
    paintLegend(painter, l);
    painter.restore();
}

void HeatmapPainter::paintSentenceBoundary(QPainter& painter, const HeatmapGeometry& g) const
{
    // Where sentence B begins, across the rows and down the columns.
    painter.setPen(QPen(m_palette.color(QPalette::Text), 2.0));
    const QRectF grid = g.gridRect();
    if (m_data.rowBoundary > 0) {
        const double y = g.cellRect(m_data.rowBoundary, 0).top();
        painter.drawLine(QPointF(grid.left(), y), QPointF(grid.right(), y));
    }
    if (m_data.colBoundary > 0) {
        const double x = g.cellRect(0, m_data.colBoundary).left();
        painter.drawLine(QPointF(x, grid.top()), QPointF(x, grid.bottom()));
    }
}

void HeatmapPainter::paintEmpty(QPainter& painter, const QRectF& target) const
{
    QFont f = m_font;
    f.setPointSizeF((f.pointSizeF() > 0 ? f.pointSizeF() : 9.0) * 1.3);
    painter.setFont(f);
    painter.setPen(dimText(m_palette));
    painter.drawText(target.adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, m_data.emptyMessage);
}

void HeatmapPainter::paintCells(QPainter& painter, const HeatmapGeometry& g) const
{
    const QRectF clip = paintableArea(painter).value_or(g.gridRect());
    const auto [row0, row1] = visibleRange(clip.top(), clip.bottom(), g.origin.y(), g.cellSize, g.rows);
    const auto [col0, col1] = visibleRange(clip.left(), clip.right(), g.origin.x(), g.cellSize, g.cols);
    if (row0 >= row1 || col0 >= col1)
        return;
    const QRect cells(col0, row0, col1 - col0, row1 - row0); // x = column, y = row
    if (g.pool() > 1)
        return fillPooledCells(painter, g, cells); // no cell is large enough for values or separators
    fillCells(painter, g, cells);
    paintHatching(painter, g, cells);
    paintValues(painter, g, cells);
    paintSeparators(painter, g, cells);
}

void HeatmapPainter::fillCells(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const
{
    // Vector devices get one rectangle per cell. Raster ones get an image with a pixel per logical
    // pixel, blitted unscaled: its cost is screen pixels, not cells, and its edges land exactly on
    // cellRect() (Qt's scaled blit steps in truncated fixed point and drifts on large grids).
    const int scale = paintsVector(painter) ? 1 : std::max(1, static_cast<int>(g.cellSize));
    // Bands of rows bound the temporary image when a large picture is drawn unclipped (export).
    constexpr qint64 kBandPixels = 1 << 20;
    const auto bandRows = static_cast<int>(std::max<qint64>(1, kBandPixels / (qint64(cells.width()) * scale * scale)));
    for (int top = cells.top(); top <= cells.bottom(); top += bandRows) {
        const QRect band(cells.left(), top, cells.width(), std::min(bandRows, cells.bottom() + 1 - top));
        const QImage image = cellImage(band, scale);
        const QRectF target(g.cellRect(band.top(), band.left()).topLeft(),
                            QSizeF(band.width() * g.cellSize, band.height() * g.cellSize));
        drawCells(painter, target, image, image.rect());
    }
}

QImage HeatmapPainter::cellImage(const QRect& cells, int scale) const
{
    QImage image(cells.size() * scale, QImage::Format_RGB32);
    const QRgb masked = maskedColor(m_palette).rgb();
    for (int y = 0; y < cells.height(); ++y) {
        auto* first = reinterpret_cast<QRgb*>(image.scanLine(y * scale));
        const int i = cells.top() + y;
        for (int x = 0; x < cells.width(); ++x) {
            const int j = cells.left() + x;
            const QRgb c = m_data.isMasked(i, j) ? masked : m_map.rgb(m_data.normalized(m_data.values(i, j)));
            std::fill_n(first + static_cast<std::ptrdiff_t>(x) * scale, scale, c);
        }
        for (int k = 1; k < scale; ++k) // the other pixel rows of this cell row
            std::memcpy(image.scanLine(y * scale + k), first, static_cast<std::size_t>(image.bytesPerLine()));
    }
    return image;
}

void HeatmapPainter::fillPooledCells(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const
{
    const int pool = g.pool();
    // Whole blocks, so a pixel always stands for the same cells whatever part is repainted.
    const int row0 = cells.top() / pool * pool, col0 = cells.left() / pool * pool;
    const int width = (cells.right() + 1 - col0 + pool - 1) / pool;
    const int height = (cells.bottom() + 1 - row0 + pool - 1) / pool;
    QImage image(width, height, QImage::Format_RGB32);
    const QRgb maskedRgb = maskedColor(m_palette).rgb();
    std::vector<std::vector<QRect>> hatched(static_cast<std::size_t>(height)); // fully masked runs per pixel row
    std::vector<int> pixelRows(static_cast<std::size_t>(height));
    std::iota(pixelRows.begin(), pixelRows.end(), 0);
    // Every cell is read once: the pixel rows are independent, so they run on the thread pool.
    QtConcurrent::blockingMap(pixelRows, [&](int y) {
        constexpr float kClosed = -std::numeric_limits<float>::infinity(); // no cell of the pixel may attend
        std::vector<float> peak(static_cast<std::size_t>(width), kClosed);
        const int rowEnd = std::min(row0 + (y + 1) * pool, g.rows);
        for (int i = row0 + y * pool; i < rowEnd; ++i) {
            const float* values = m_data.values.data() + static_cast<std::ptrdiff_t>(i) * m_data.values.cols();
            const std::uint8_t* allowed =
                m_data.mask.size() != 0 ? m_data.mask.data() + static_cast<std::ptrdiff_t>(i) * m_data.mask.cols() : nullptr;
            for (int x = 0; x < width; ++x) {
                const int j0 = col0 + x * pool, j1 = std::min(j0 + pool, g.cols);
                float p = peak[std::size_t(x)];
                if (allowed == nullptr) {
                    for (int j = j0; j < j1; ++j)
                        p = values[j] > p ? values[j] : p;
                } else { // a masked cell must not show through its block's allowed ones
                    for (int j = j0; j < j1; ++j) {
                        const float v = allowed[j] != 0 ? values[j] : kClosed;
                        p = v > p ? v : p;
                    }
                }
                peak[std::size_t(x)] = p;
            }
        }
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        std::vector<QRect>& runs = hatched[std::size_t(y)];
        for (int x = 0; x < width; ++x) {
            const float p = peak[std::size_t(x)];
            if (p != kClosed) {
                line[x] = m_map.rgb(m_data.normalized(p));
                continue;
            }
            line[x] = maskedRgb;
            if (!runs.empty() && runs.back().right() == x - 1)
                runs.back().setRight(x);
            else
                runs.emplace_back(x, y, 1, 1);
        }
    });
    const QPointF origin = g.cellRect(row0, col0).topLeft();
    drawCells(painter, QRectF(origin, QSizeF(width, height)), image, image.rect());
    const QBrush hatch(hatchLine(m_palette), Qt::BDiagPattern);
    for (const auto& runs : hatched)
        for (const QRect& run : runs)
            painter.fillRect(QRectF(origin + QPointF(run.left(), run.top()), QSizeF(run.width(), run.height())), hatch);
}

void HeatmapPainter::paintHatching(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const
{
    if (m_data.mask.size() == 0)
        return;
    // One rectangle per run of masked cells in a row: the pattern runs on across cells anyway.
    const QBrush hatch(hatchLine(m_palette), Qt::BDiagPattern);
    for (int i = cells.top(); i <= cells.bottom(); ++i) {
        for (int j = cells.left(); j <= cells.right(); ++j) {
            if (!m_data.isMasked(i, j))
                continue;
            const int first = j;
            while (j + 1 <= cells.right() && m_data.isMasked(i, j + 1))
                ++j;
            painter.fillRect(g.cellRect(i, first).united(g.cellRect(i, j)), hatch);
        }
    }
}

void HeatmapPainter::paintValues(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const
{
    QFont valueFont = m_font;
    // Up to 9.5 pt, or more with a large UI font (presentation mode), always within the cell.
    const double base = m_font.pointSizeF() > 0 ? m_font.pointSizeF() : 9.0;
    valueFont.setPointSizeF(std::clamp(g.cellSize * 0.24, 6.0, std::max(9.5, base * 0.8)));
    const QFontMetricsF vfm(valueFont);
    if (!m_showValues || vfm.horizontalAdvance(QStringLiteral("-0.00")) + 4 > g.cellSize)
        return;
    painter.setFont(valueFont);
    for (int i = cells.top(); i <= cells.bottom(); ++i) {
        for (int j = cells.left(); j <= cells.right(); ++j) {
            if (m_data.isMasked(i, j))
                continue;
            const float v = m_data.values(i, j);
            painter.setPen(ColorMap::textColorOn(m_map.rgb(m_data.normalized(v))));
            const QString text = formatNumber(v, m_data.showsScores ? 1 : 2);
            painter.drawText(g.cellRect(i, j), Qt::AlignCenter, text);
        }
    }
}

void HeatmapPainter::paintSeparators(QPainter& painter, const HeatmapGeometry& g, const QRect& cells) const
{
    // Thin separators in the background colour keep neighbouring cells apart at any size.
    if (g.cellSize < 10)
        return;
    const QColor base = m_palette.color(QPalette::Base);
    painter.setPen(QPen(base, 1.0));
    // Raster devices fill each line's one-unit-wide rectangle: the same pixels as the stroke, without
    // Qt's per-pixel line stepping.
    const bool asRects = !paintsVector(painter);
    const auto line = [&](const QPointF& from, const QPointF& to) {
        if (asRects)
            painter.fillRect(QRectF(from, to).adjusted(-0.5, -0.5, 0.5, 0.5), base);
        else
            painter.drawLine(from, to);
    };
    const QRectF r = g.cellRect(cells.top(), cells.left()).united(g.cellRect(cells.bottom(), cells.right()));
    for (int i = std::max(cells.top(), 1); i <= std::min(cells.bottom() + 1, g.rows - 1); ++i) {
        const double y = g.origin.y() + i * g.cellSize;
        line(QPointF(r.left(), y), QPointF(r.right(), y));
    }
    for (int j = std::max(cells.left(), 1); j <= std::min(cells.right() + 1, g.cols - 1); ++j) {
        const double x = g.origin.x() + j * g.cellSize;
        line(QPointF(x, r.top()), QPointF(x, r.bottom()));
    }
}

QTransform HeatmapPainter::colLabelTransform(const QRectF& firstCell, const QFontMetricsF& fm, double* baseline)
{
    // Key labels run up and to the right from their column, so long words never overlap. The
    // text is centred on the rotation axis; starting it half a line along that axis lifts the
    // corner of its first glyph (which would dip towards the grid) above the anchor, so short
    // labels such as "." or "'t" never touch the cells.
    *baseline = fm.ascent() / 2 - fm.descent() / 2;
    QTransform t;
    t.translate(firstCell.center().x(), firstCell.top() - kGap / 2);
    t.rotate(-45);
    t.translate(fm.height() / 2, 0);
    return t;
}

void HeatmapPainter::paintLabels(QPainter& painter, const HeatmapLayout& l) const
{
    const HeatmapGeometry& g = l.grid;
    const QFont font = labelFont(g.cellSize);
    const QFontMetricsF fm(font);
    painter.setFont(font);
    const QColor text = m_palette.color(QPalette::Text);
    const QColor dim = dimText(m_palette);
    const bool everyLabel = g.cellSize >= fm.height() * 0.9;
    const double cell = std::max(1e-6, g.cellSize);
    const int rowStep = everyLabel ? 1 : static_cast<int>(std::ceil(fm.height() / cell));
    // Key labels lean at 45°: neighbours need a line's height across that slant.
    const int colStep = everyLabel ? 1 : static_cast<int>(std::ceil(fm.height() / kCos45 / cell));
    const QRectF clip = paintableArea(painter).value_or(QRectF(-1e9, -1e9, 2e9, 2e9));
    for (int i = 0; i < g.rows; i += rowStep) {
        const QRectF cell = g.cellRect(i, 0);
        if (cell.bottom() < clip.top() || cell.top() > clip.bottom())
            continue;
        // At least a line tall, centred on the row: an overview's rows are thinner than a pixel.
        const double h = std::max(cell.height(), fm.height());
        const QRectF box(cell.left() - kGap - 400, cell.center().y() - h / 2, 400, h);
        painter.setPen(text);
        painter.drawText(box, Qt::AlignRight | Qt::AlignVCenter,
                         fm.elidedText(m_data.rowLabels.value(i), Qt::ElideRight, 180));
    }
    for (int j = 0; j < g.cols; j += colStep) {
        const QRectF cell = g.cellRect(0, j);
        if (cell.right() < clip.left() - 200 || cell.left() > clip.right())
            continue; // labels lean right
        painter.save();
        double baseline = 0;
        painter.setTransform(colLabelTransform(cell, fm, &baseline), true);
        painter.setPen(text);
        painter.drawText(QPointF(0, baseline), fm.elidedText(m_data.colLabels.value(j), Qt::ElideRight, 180));
        painter.restore();
    }
    // Axis captions.
    QFont caption = m_font;
    caption.setItalic(true);
    painter.setFont(caption);
    painter.setPen(dim);
    const QRectF grid = g.gridRect();
    const QString keys = m_data.cross ? QObject::tr("source tokens (keys) →") : QObject::tr("keys: attended to →");
    const QString queries =
        m_data.cross ? QObject::tr("target tokens (queries) →") : QObject::tr("queries: attending →");
    painter.drawText(
        QRectF(grid.left(), l.title.bottom(), std::max(grid.width(), 240.0), QFontMetricsF(caption).height()),
        Qt::AlignLeft | Qt::AlignVCenter, keys);
    painter.save();
    painter.translate(grid.left() - l.rowLabelWidth, grid.top());
    painter.rotate(90);
    painter.drawText(
        QRectF(0, -QFontMetricsF(caption).height(), std::max(grid.height(), 200.0), QFontMetricsF(caption).height()),
        Qt::AlignLeft | Qt::AlignVCenter, queries);
    painter.restore();
}

void HeatmapPainter::paintLegend(QPainter& painter, const HeatmapLayout& l) const
{
    const QRectF bar = l.legend;
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 32; ++i)
        gradient.setColorAt(i / 32.0, m_map.color(i / 32.0));
    painter.setPen(QPen(hatchLine(m_palette), 1));
    painter.setBrush(gradient);
    painter.drawRect(bar);
    QFont f = m_font;
    f.setPointSizeF(std::max(7.0, (f.pointSizeF() > 0 ? f.pointSizeF() : 9.0) - 1));
    painter.setFont(f);
    const QFontMetricsF fm(f);
    painter.setPen(m_palette.color(QPalette::Text));
    for (int i = 0; i <= 4; ++i) {
        const double t = i / 4.0;
        const double y = bar.bottom() - t * bar.height();
        const double value = m_data.minValue + t * (m_data.maxValue - m_data.minValue);
        painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
        painter.drawText(QPointF(bar.right() + 7, y + fm.ascent() / 2 - 1),
                         formatNumber(value, m_data.showsScores ? 1 : 2));
    }
    painter.setPen(dimText(m_palette));
    const QString caption = m_data.valueCaption();
    painter.drawText(QPointF(bar.left(), bar.bottom() + fm.height() + 2), caption);
    if (m_data.anyMasked()) {
        // A swatch explains the hatched cells.
        const QRectF swatch(bar.left(), bar.bottom() + fm.height() * 1.6, kLegendBar, kLegendBar);
        painter.fillRect(swatch, maskedColor(m_palette));
        painter.fillRect(swatch, QBrush(hatchLine(m_palette), Qt::BDiagPattern));
        painter.drawText(QPointF(swatch.right() + 5, swatch.center().y() + fm.ascent() / 2 - 1), QObject::tr("masked"));
    }
    if (const int pool = l.grid.pool(); pool > 1) {
        // An overview: say what a pixel is, so a pooled maximum is not read as one weight.
        const double y = bar.bottom() + fm.height() * 1.6 + kLegendBar + fm.height() + 2;
        painter.drawText(QPointF(bar.left(), y), QObject::tr("pixel = max"));
        painter.drawText(QPointF(bar.left(), y + fm.height()), QObject::tr("of %1×%1 cells").arg(pool));
    }
}

std::optional<QRectF> HeatmapPainter::paintableArea(const QPainter& painter)
{
    std::optional<QRectF> area;
    if (painter.hasClipping())
        area = painter.clipBoundingRect();
    const QPaintEngine* engine = painter.paintEngine();
    // Vector devices keep everything they are given (a page or view box may be enlarged later).
    if (engine == nullptr || engine->paintDevice() == nullptr || paintsVector(painter))
        return area;
    bool invertible = false;
    const QTransform toLogical = painter.deviceTransform().inverted(&invertible);
    if (!invertible)
        return area;
    const QPaintDevice* device = engine->paintDevice();
    const QRectF reach = toLogical.mapRect(QRectF(0, 0, device->width(), device->height()));
    return area ? *area & reach : reach;
}

QColor HeatmapPainter::maskedColor(const QPalette& palette)
{
    return mix(palette.color(QPalette::Base), palette.color(QPalette::Text), 0.10);
}

} // namespace attnviz
