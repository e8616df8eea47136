#pragma once
// The "head view": queries in a left column, keys in a right column, one line per (query, key)
// whose opacity is the attention weight, one colour per enabled head. Hovering a token (or the
// selected query token) keeps only that token's lines.

#include "views/arcs/arcslayout.h"
#include "views/arcs/arcslines.h"
#include "views/attentionview.h"
#include "state/selectionstate.h"

#include <QFont>

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
    // The lines paint() draws: the strongest (query, key) pairs of the enabled heads, grouped by pen.
    ArcsLines linesFor(const ArcsLayout& layout, ArcsLayout::Hit focus) const;

    // The heads whose lines are drawn: the focused head, or with "mean of heads" every switched-on
    // head in its own colour, so the arcs always show what the heatmap and the title say.
    QList<int> drawnHeads() const;
    // "Layer 0 · head 2", or with "mean of heads" how many heads are drawn.
    QString title() const;

protected:
    void resultChanged() override;
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    // Everything paint() depends on besides the result: the cached picture is redrawn exactly
    // when one of these changed, whichever signal (or none) announced it.
    struct PictureKey
    {
        int stack = 0;
        int layer = 0;
        QList<int> heads; // drawnHeads()
        ArcsLayout::Hit focus;
        QSize size;
        qreal devicePixelRatio = 0.0;
        qint64 palette = 0;
        QFont font;
        bool operator==(const PictureKey&) const = default;
    };
    PictureKey pictureKey() const;

    void setHover(ArcsLayout::Hit hit);
    void paintHeader(QPainter& painter, const QRectF& target, const ArcsLayout& layout) const;
    void paintLabels(QPainter& painter, const ArcsLayout& layout, ArcsLayout::Hit focus) const;

    ArcsLayout::Hit m_hover; // view-local: a key on the right has no place in SelectionState
    // The widget's picture: repaints (expose, scrolling, other windows) are a blit.
    QImage m_picture;
    PictureKey m_pictureKey;
};

} // namespace attnviz
