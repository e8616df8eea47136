#pragma once
// The "head view": queries in a left column, keys in a right column, one line per (query, key)
// whose opacity is the attention weight, one colour per enabled head; each query draws its k
// strongest keys (shown in the title, chosen in the context menu). Hovering a token (or the
// selected query token) keeps only that token's lines. Long inputs keep readable rows and scroll.

#include "views/arcs/arcslayout.h"
#include "views/arcs/arcslines.h"
#include "views/arcs/arcsselection.h"
#include "views/attentionview.h"
#include "state/selectionstate.h"

#include <QFont>

#include <map>
#include <optional>
#include <vector>

namespace attnviz {

class ArcsView : public AttentionView
{
    Q_OBJECT
public:
    explicit ArcsView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QString viewName() const override { return QStringLiteral("arcs"); }

    // The token whose lines are shown alone: a hovered token of this view wins, then the
    // selection's hovered token, then its query token. Side::None when all lines are shown.
    ArcsLayout::Hit focus() const;
    ArcsLayout layoutFor(const QRectF& target) const;
    // The lines paint() draws, grouped by pen: each query's k strongest keys (the selection's
    // arcsTopK) in each drawn head, those that cross `visible` (empty = everywhere).
    ArcsLines linesFor(const ArcsLayout& layout, ArcsLayout::Hit focus, const QRectF& visible = {}) const;

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
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;

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
        QRect area; // the part of the widget the picture holds (what is visible of a long input)
        int topK = 0;
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
    void updateMinimumHeight(); // a long input's rows keep their size: the scroll area scrolls

    // The picture of the visible part: repaints (expose, other windows) are a blit.
    QImage m_picture;
    PictureKey m_pictureKey;

    // The lines' choice does not depend on geometry: scrolling reuses it (cleared with the result).
    struct ChoiceKey
    {
        int stack = 0;
        int layer = 0;
        QList<int> heads;
        int topK = 0;
        ArcsLayout::Hit focus;
        SentenceBlock block = SentenceBlock::All;
        bool operator==(const ChoiceKey&) const = default;
    };
    const ArcsSelection& chosenArcs(ArcsLayout::Hit focus) const;
    mutable std::optional<ChoiceKey> m_chosenKey; // paint() is const; these are caches of it
    mutable ArcsSelection m_chosen;
    mutable std::map<std::pair<const AttentionStack*, int>, qreal> m_labelWidths;
};

} // namespace attnviz
