#pragma once
// Query × key heatmap of the focused head (or the mean of the enabled heads). The picture is
// cached in a QImage (the whole widget, or around the visible part of a very large one) and
// repaints blit it; hover, tooltips, zoom and clicks are handled here, drawing by HeatmapPainter.

#include "views/attentionview.h"
#include "views/heatmap/heatmapdata.h"
#include "views/heatmap/heatmappainter.h"

#include <optional>

namespace attnviz {

class HeatmapView : public AttentionView
{
    Q_OBJECT
public:
    explicit HeatmapView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QSizeF minimumExportSize() const override; // cells of the smallest size, every label
    QString viewName() const override { return QStringLiteral("heatmap"); }

    const HeatmapData& data() const { return m_data; }
    // The layout of the cells in widget coordinates (tests, hit testing).
    HeatmapLayout currentLayout() const;
    double cellSize() const { return m_cellSize; } // 0 = fit the widget
    void zoomBy(int steps);
    void setShowValues(bool on);
    bool showValues() const { return m_showValues; }
    void resetZoom();

    QSize sizeHint() const override;

protected:
    void resultChanged() override;
    void showsTitleChanged() override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    void rebuild();
    void invalidate();
    void setHover(std::optional<HeatmapCell> cell);
    void paintHover(QPainter& p) const;
    QRect cacheAreaFor(const QRect& needed) const;
    void refreshCache(const QRect& area, qreal dpr);
    HeatmapPainter painter() const;
    int selectedRow() const;
    QString toolTipFor(const HeatmapCell& cell) const;
    QString overviewPixelText(const HeatmapCell& cell) const; // empty unless the map is pooled
    QRectF hoverRect(const HeatmapCell& cell) const;

    static constexpr double kMinimumGrid = 240.0; // pixels: the smallest fitted grid of a long input

    HeatmapData m_data;
    QImage m_cache;    // the picture of m_cacheArea, without hover feedback
    QRect m_cacheArea; // widget coordinates
    double m_cellSize = 0;
    std::optional<HeatmapCell> m_hover;
    mutable std::optional<HeatmapLayout> m_layout; // hit testing on every mouse move stays cheap
    bool m_showValues = true;
};

} // namespace attnviz
