#pragma once
// A wrapping row of rounded "chips" (tokens, heads) with one current chip. Click or Left/Right
// activates a chip; right click asks for a context menu. Knows nothing about attention.

#include <QColor>
#include <QList>
#include <QWidget>

namespace attnviz {

struct Chip
{
    QString text;
    QString toolTip;
    QColor accent;        // left stripe colour; invalid = none
    bool dimmed = false;  // e.g. a head switched off
    bool struck = false;  // e.g. an ablated head
    bool special = false; // e.g. [CLS]: drawn in italics
};

class ChipStrip : public QWidget
{
    Q_OBJECT
public:
    explicit ChipStrip(QWidget* parent = nullptr);

    void setChips(const QList<Chip>& chips);
    const QList<Chip>& chips() const { return m_chips; }
    void setCurrent(int index);
    int current() const { return m_current; }
    void setHighlighted(int index); // e.g. the token hovered in a view
    void setEmptyText(const QString& text);
    // Where chip `index` is drawn, in widget coordinates (tests, accessibility).
    QRectF chipRect(int index) const;
    int chipAt(const QPointF& pos) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void chipActivated(int index);
    void chipContextMenuRequested(int index, const QPoint& globalPos);
    void contentHeightChanged(int height); // after the chips or the width changed

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;

private:
    QList<QRectF> layoutChips(int width) const;
    QFont chipFont(const Chip& chip) const;
    double accentWidth() const;
    void relayout();

    QList<Chip> m_chips;
    QList<QRectF> m_rects;
    QString m_emptyText;
    int m_current = -1;
    int m_highlighted = -1;
    int m_hovered = -1;
};

} // namespace attnviz
