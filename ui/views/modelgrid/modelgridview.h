#pragma once
// The "model view": every layer × head of the current stack as a small heatmap thumbnail (rows =
// layers, columns = heads). Clicking a thumbnail focuses that layer and head; the focused one is
// outlined, ablated heads are crossed out and each thumbnail carries a badge: its pattern
// statistics, or (chosen in the View menu or the grid's context menu) its direct logit attribution.

#include "views/attentionview.h"
#include "views/modelgrid/modelgridlayout.h"
#include "views/modelgrid/headbadge.h"
#include "state/selectionstate.h"

#include <QImage>

#include <vector>

namespace attnviz {

class ModelGridView : public AttentionView
{
    Q_OBJECT
public:
    explicit ModelGridView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QString viewName() const override { return QStringLiteral("model"); }

    ModelGridLayout layoutFor(const QRectF& target) const;
    // The core's summary of each head of the current stack, indexed [layer * heads + head].
    const std::vector<HeadSummary>& headStats() const;
    // The result's direct logit attribution when the badges show it and it splits this stack's
    // heads; null otherwise (badges of head statistics, another stack, or not computed).
    const LogitAttribution* shownAttribution() const;
    // The title: the stack and its shape, and what the maps hold when not raw weights.
    QString title() const;
    // The title's right-hand note: what the badges and thumbnails mean.
    QString badgeNote() const;

    static constexpr int maxThumbnailCells = 128; // longer inputs are max-pooled down to this

protected:
    void resultChanged() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void invalidate();
    void ensureCache() const;
    const AttentionStack* stack() const;

    // Built lazily from const paint(); one atlas holds every thumbnail side by side.
    mutable QImage m_atlas;
    mutable int m_cellsX = 0, m_cellsY = 0; // atlas pixels per thumbnail
    mutable bool m_cacheValid = false;
};

} // namespace attnviz
