#pragma once
// The "head view": queries in a left column, keys in a right column, one line per (query, key)
// whose opacity is the attention weight, one colour per enabled head. Hovering a token (or the
// selected query token) keeps only that token's lines.

#include "arcslayout.h"
#include "attentionview.h"
#include "selectionstate.h"

#include <vector>

namespace attnviz {

class ArcsView : public AttentionView
{
    Q_OBJECT
public:
    // At most this many lines are drawn: past it only the strongest are kept, because tens of
    // thousands of faint overlapping lines read as grey and cost seconds to draw.
    static constexpr std::size_t lineBudget = 8000;
    // The smallest weight still drawn when `weights` (the candidate lines' weights) exceed
    // `budget`: the budget-th largest weight, or `floor` when they fit.
    static float cutOff(std::vector<float> weights, std::size_t budget, float floor);

    explicit ArcsView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QString viewName() const override { return QStringLiteral("arcs"); }

    // The token whose lines are shown alone: a hovered token of this view wins, then the
    // selection's hovered token, then its query token. Side::None when all lines are shown.
    ArcsLayout::Hit focus() const;
    ArcsLayout layoutFor(const QRectF& target) const;

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void setHover(ArcsLayout::Hit hit);
    void paintHeader(QPainter& painter, const QRectF& target, const ArcsLayout& layout) const;
    void paintLines(QPainter& painter, const ArcsLayout& layout, ArcsLayout::Hit focus) const;
    void paintLabels(QPainter& painter, const ArcsLayout& layout, ArcsLayout::Hit focus) const;

    ArcsLayout::Hit m_hover; // view-local: a key on the right has no place in SelectionState
};

} // namespace attnviz
