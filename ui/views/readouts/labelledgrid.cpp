#include "views/readouts/labelledgrid.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

namespace attnviz {

namespace {

constexpr double kMargin = 10.0;
constexpr double kPad = 6.0;          // text padding inside a cell
constexpr double kMinCellWidth = 34.0;
constexpr double kMaxCellWidth = 84.0; // wider texts are elided (the tooltip has them whole)

double widest(const QStringList& texts, const QFontMetricsF& fm)
{
    double w = 0;
    for (const QString& t : texts)
        w = std::max(w, fm.horizontalAdvance(t));
    return w;
}

} // namespace

QFont LabelledGrid::cellFont(const QFont& base) const
{
    QFont f = base;
    f.setPointSizeF((base.pointSizeF() > 0 ? base.pointSizeF() : 9.0) * scale);
    return f;
}

LabelledGrid::Geometry LabelledGrid::geometry(const QRectF& target, const QFont& font) const
{
    const QFontMetricsF fm(cellFont(font));
    Geometry g;
    g.titleHeight = fm.height() * 1.8;
    g.rowLabelWidth = widest(rowLabels, fm) + kPad * 2;
    g.colLabelHeight = fm.height() + kPad;
    g.cellHeight = fm.height() + kPad;
    // As wide as the widest text wants, within bounds; narrower when the target is narrow.
    double want = kMinCellWidth;
    for (int r = 0; r < rows(); ++r)
        for (int c = 0; c < cols(); ++c)
            want = std::max(want, fm.horizontalAdvance(text(r, c)) + kPad * 2);
    want = std::max(want, widest(colLabels, fm) + kPad * 2);
    want = std::min(want, kMaxCellWidth * scale);
    const double room = (target.width() - 2 * kMargin - g.rowLabelWidth) / std::max(1, cols());
    g.cellWidth = std::max(kMinCellWidth * scale, std::min(want, room));
    g.cells = QRectF(target.left() + kMargin + g.rowLabelWidth, target.top() + kMargin + g.titleHeight + g.colLabelHeight,
                     g.cellWidth * cols(), g.cellHeight * rows());
    return g;
}

namespace {

// The caption wrapped to `width`: its height.
double captionHeight(const QString& caption, const QFontMetricsF& fm, double width)
{
    return fm.boundingRect(QRectF(0, 0, std::max(width, 1.0), 1e6), Qt::AlignLeft | Qt::TextWordWrap, caption).height();
}

QFont boldOf(QFont f)
{
    f.setBold(true);
    return f;
}

} // namespace

QSizeF LabelledGrid::preferredSize(const QFont& font) const
{
    const Geometry g = geometry(QRectF(0, 0, 1e6, 1e6), font);
    const QFontMetricsF fm(cellFont(font));
    const double width = std::max(g.cells.right() + kMargin, QFontMetricsF(boldOf(cellFont(font))).horizontalAdvance(title) + 2 * kMargin);
    return {width, g.cells.bottom() + 4 + captionHeight(caption, fm, width - 2 * kMargin) + kMargin};
}

QSizeF LabelledGrid::minimumSize(const QFont& font) const
{
    const Geometry g = geometry(QRectF(0, 0, 1, 1e6), font); // the narrowest cells geometry() allows
    const double width = g.cells.right() + kMargin;
    return {width, g.cells.bottom() + 4 + captionHeight(caption, QFontMetricsF(cellFont(font)), width - 2 * kMargin) + kMargin};
}

void LabelledGrid::paint(QPainter& painter, const QRectF& target, const QPalette& palette, const QFont& font) const
{
    painter.save();
    painter.fillRect(target, palette.base());
    const Geometry g = geometry(target, font);
    QFont f = cellFont(font);
    const QFontMetricsF fm(f);
    const QFont bold = boldOf(f);
    painter.setFont(bold);
    painter.setPen(palette.color(QPalette::Text));
    painter.drawText(QRectF(target.left() + kMargin, target.top() + kMargin, target.width() - 2 * kMargin, g.titleHeight),
                     Qt::AlignLeft | Qt::AlignTop, QFontMetricsF(bold).elidedText(title, Qt::ElideRight, target.width() - 2 * kMargin));
    painter.setFont(f);
    for (int c = 0; c < cols(); ++c) {
        const QRectF r(g.cells.left() + c * g.cellWidth, g.cells.top() - g.colLabelHeight, g.cellWidth, g.colLabelHeight);
        painter.drawText(r, Qt::AlignCenter, fm.elidedText(colLabels[c], Qt::ElideRight, g.cellWidth - 2));
    }
    for (int row = 0; row < rows(); ++row) {
        const QRectF label(target.left() + kMargin, g.cells.top() + row * g.cellHeight, g.rowLabelWidth - kPad, g.cellHeight);
        painter.setPen(palette.color(QPalette::Text));
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, rowLabels[row]);
        for (int c = 0; c < cols(); ++c) {
            const QRectF cell(g.cells.left() + c * g.cellWidth, g.cells.top() + row * g.cellHeight, g.cellWidth, g.cellHeight);
            const double t = shade ? shade(row, c) : std::nan("");
            const QRgb background = std::isnan(t) ? palette.color(QPalette::Base).rgb() : map.rgb(t);
            painter.fillRect(cell.adjusted(0.5, 0.5, -0.5, -0.5), QColor::fromRgb(background));
            painter.setPen(ColorMap::textColorOn(background));
            painter.drawText(cell.adjusted(2, 0, -2, 0), Qt::AlignCenter,
                             fm.elidedText(text(row, c), Qt::ElideRight, g.cellWidth - 4));
        }
    }
    if (highlightedColumn >= 0 && highlightedColumn < cols()) {
        painter.setPen(QPen(palette.color(QPalette::Highlight), 2.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(g.cells.left() + highlightedColumn * g.cellWidth, g.cells.top() - g.colLabelHeight,
                                g.cellWidth, g.cells.height() + g.colLabelHeight));
    }
    painter.setPen(palette.color(QPalette::PlaceholderText));
    const double captionWidth = target.width() - 2 * kMargin;
    painter.drawText(QRectF(target.left() + kMargin, g.cells.bottom() + 4, captionWidth,
                            captionHeight(caption, fm, captionWidth)),
                     Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, caption);
    painter.restore();
}

std::optional<std::pair<int, int>> LabelledGrid::cellAt(const QPointF& point, const QRectF& target, const QFont& font) const
{
    const Geometry g = geometry(target, font);
    if (!g.cells.contains(point))
        return std::nullopt;
    const int c = static_cast<int>((point.x() - g.cells.left()) / g.cellWidth);
    const int r = static_cast<int>((point.y() - g.cells.top()) / g.cellHeight);
    if (r < 0 || r >= rows() || c < 0 || c >= cols())
        return std::nullopt;
    return std::make_pair(r, c);
}

} // namespace attnviz
