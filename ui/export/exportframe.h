#pragma once
// The page around a view's picture: background, a header band (title, sentence), the view itself
// and an optional colour-bar legend below. Computes where each part goes and paints them onto any
// QPainter, so PNG, SVG, PDF, the clipboard and handout pages share one layout.

#include "views/colormap.h"
#include "export/exportoptions.h"

#include <QFont>
#include <QPalette>
#include <QRectF>

class QPainter;

namespace attnviz {

class AttentionView;

class ExportFrame
{
public:
    // Lays out the page for `view` as it is styled now (wrap the call in a ViewStyleScope so the
    // view's preferred size already reflects the export's font).
    ExportFrame(const AttentionView& view, const ExportOptions& options);

    QSizeF pageSize() const { return m_page.size(); }
    QRectF headerRect() const { return m_header; }
    QRectF viewRect() const { return m_viewRect; }
    QRectF legendRect() const { return m_legend; } // empty without a legend

    // Background, header, the view's paint() clipped to viewRect(), legend.
    void paint(QPainter& painter, const AttentionView& view) const;
    // Only the header band (handout pages draw their own body).
    void paintHeader(QPainter& painter) const;

    // Views that draw their own colour scale (heatmap), none (arcs, chart) or several (pipeline)
    // get no extra legend.
    static bool legendApplies(const QString& viewName);
    // Height of the header band for `width`, and the band itself.
    static double headerHeight(const ExportOptions& options, const QFont& base, double width);
    static void paintHeader(QPainter& painter, const QRectF& band, const ExportOptions& options, const QFont& base);

private:
    void paintLegend(QPainter& painter) const;

    ExportOptions m_options;
    QFont m_font;
    QPalette m_palette;
    ColorMap m_map;
    QRectF m_page;
    QRectF m_header;
    QRectF m_viewRect;
    QRectF m_legend;
};

} // namespace attnviz
