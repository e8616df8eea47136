#include "export/exportframe.h"

#include "views/attentionview.h"
#include "state/selectionstate.h"
#include "export/viewstylescope.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

constexpr double kPadding = 16.0;
constexpr double kLegendBarWidth = 220.0;

QFont titleFont(const QFont& base)
{
    QFont f = base;
    f.setBold(true);
    f.setPointSizeF((base.pointSizeF() > 0 ? base.pointSizeF() : 10.0) * 1.3);
    return f;
}

double textHeight(const QFont& font, double width, const QString& text)
{
    const QFontMetricsF fm(font);
    return fm.boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, text).height();
}

} // namespace

ExportFrame::ExportFrame(const AttentionView& view, const ExportOptions& options)
    : m_options(options), m_font(view.font()),
      m_palette(ViewStyleScope::palette(options.theme, options.transparent)), m_map{view.selection() != nullptr
                                                                                        ? view.selection()->colorMap()
                                                                                        : ColorMapKind::Viridis}
{
    const QFontMetricsF fm(m_font);
    const bool legend = options.legend && legendApplies(view.viewName());
    const double legendHeight = legend ? std::ceil(fm.height() * 2.6 + 10) : 0.0;
    if (!options.size.isEmpty()) {
        // A fixed page: the view gets whatever the bands leave.
        const double header = headerHeight(options, m_font, options.size.width());
        m_page = QRectF(QPointF(0, 0), options.size);
        m_header = QRectF(0, 0, options.size.width(), header);
        const double viewHeight = std::max(1.0, options.size.height() - header - legendHeight);
        m_viewRect = QRectF(0, header, options.size.width(), viewHeight);
    } else {
        const QSizeF preferred = view.preferredExportSize().expandedTo(QSizeF(320, 200));
        const double header = headerHeight(options, m_font, preferred.width());
        m_header = QRectF(0, 0, std::ceil(preferred.width()), header);
        m_viewRect = QRectF(QPointF(0, header), QSizeF(std::ceil(preferred.width()), std::ceil(preferred.height())));
        m_page = QRectF(0, 0, m_viewRect.width(), m_viewRect.bottom() + legendHeight);
    }
    if (legend)
        m_legend = QRectF(0, m_viewRect.bottom(), m_page.width(), legendHeight);
}

bool ExportFrame::legendApplies(const QString& viewName)
{
    // The pipeline mixes a signed map with the weights' map and labels its cells; only the model
    // grid relies on colour alone without a scale of its own.
    return viewName == QLatin1String("model");
}

double ExportFrame::headerHeight(const ExportOptions& options, const QFont& base, double width)
{
    if (options.title.isEmpty() && options.sentence.isEmpty())
        return 0.0;
    const double inner = std::max(50.0, width - 2 * kPadding);
    double h = kPadding;
    if (!options.title.isEmpty())
        h += textHeight(titleFont(base), inner, options.title) + 4;
    if (!options.sentence.isEmpty())
        h += textHeight(base, inner, options.sentence) + 2;
    return std::ceil(h + kPadding / 2);
}

void ExportFrame::paintHeader(QPainter& painter, const QRectF& band, const ExportOptions& options, const QFont& base)
{
    if (band.isEmpty())
        return;
    const QPalette p = ViewStyleScope::palette(options.theme, options.transparent);
    QRectF text = band.adjusted(kPadding, kPadding, -kPadding, 0);
    painter.save();
    if (!options.title.isEmpty()) {
        const QFont f = titleFont(base);
        painter.setFont(f);
        painter.setPen(p.color(QPalette::Text));
        const double h = textHeight(f, text.width(), options.title);
        painter.drawText(QRectF(text.topLeft(), QSizeF(text.width(), h)), Qt::AlignLeft | Qt::TextWordWrap,
                         options.title);
        text.setTop(text.top() + h + 4);
    }
    if (!options.sentence.isEmpty()) {
        painter.setFont(base);
        painter.setPen(p.color(QPalette::PlaceholderText));
        const double h = textHeight(base, text.width(), options.sentence);
        painter.drawText(QRectF(text.topLeft(), QSizeF(text.width(), h)), Qt::AlignLeft | Qt::TextWordWrap,
                         options.sentence);
    }
    painter.restore();
}

void ExportFrame::paintHeader(QPainter& painter) const
{
    paintHeader(painter, m_header, m_options, m_font);
}

void ExportFrame::paint(QPainter& painter, const AttentionView& view) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    if (!m_options.transparent)
        painter.fillRect(m_page, ViewStyleScope::palette(m_options.theme).color(QPalette::Base));
    paintHeader(painter);
    painter.save();
    painter.setClipRect(m_viewRect);
    view.paint(painter, m_viewRect);
    painter.restore();
    paintLegend(painter);
    painter.restore();
}

void ExportFrame::paintLegend(QPainter& painter) const
{
    if (m_legend.isEmpty())
        return;
    const QFontMetricsF fm(m_font);
    const double barWidth =
        std::min(kLegendBarWidth, m_legend.width() - 2 * kPadding - fm.horizontalAdvance(QStringLiteral("high")) * 2);
    const QRectF bar(m_legend.left() + kPadding + fm.horizontalAdvance(QStringLiteral("low ")), m_legend.top() + 6,
                     std::max(40.0, barWidth), fm.height() * 0.9);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 32; ++i)
        gradient.setColorAt(i / 32.0, m_map.color(i / 32.0));
    painter.save();
    painter.setPen(QPen(m_palette.color(QPalette::Mid), 1));
    painter.setBrush(gradient);
    painter.drawRect(bar);
    painter.setFont(m_font);
    painter.setPen(m_palette.color(QPalette::Text));
    const double baseline = bar.center().y() + fm.ascent() / 2 - fm.descent() / 2;
    painter.drawText(QPointF(m_legend.left() + kPadding, baseline), QObject::tr("low"));
    painter.drawText(QPointF(bar.right() + 6, baseline), QObject::tr("high"));
    painter.setPen(m_palette.color(QPalette::PlaceholderText));
    painter.drawText(QPointF(bar.left(), bar.bottom() + fm.ascent() + 3),
                     QObject::tr("attention weight (colour map: %1)").arg(ColorMap::displayName(m_map.kind)));
    painter.restore();
}

} // namespace attnviz
