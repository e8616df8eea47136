#include "widgets/chipstrip.h"

#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>

namespace attnviz {

namespace {

constexpr double kMargin = 4.0;
constexpr double kSpacing = 5.0;
constexpr double kPadX = 8.0;
constexpr double kPadY = 3.0;

} // namespace

ChipStrip::ChipStrip(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ChipStrip::setChips(const QList<Chip>& chips)
{
    m_chips = chips;
    if (m_current >= m_chips.size())
        m_current = -1;
    m_hovered = -1;
    relayout();
}

void ChipStrip::relayout()
{
    m_rects = layoutChips(width());
    updateGeometry();
    update();
    emit contentHeightChanged(heightForWidth(width()));
}

double ChipStrip::accentWidth() const
{
    // The colour dot and its gap, in the same units paintEvent uses.
    return (QFontMetricsF(font()).height() + 2 * kPadY) * 0.18 + 4;
}

void ChipStrip::setCurrent(int index)
{
    index = index >= 0 && index < m_chips.size() ? index : -1;
    if (index == m_current)
        return;
    m_current = index;
    update();
}

void ChipStrip::setHighlighted(int index)
{
    if (index == m_highlighted)
        return;
    m_highlighted = index;
    update();
}

void ChipStrip::setEmptyText(const QString& text)
{
    m_emptyText = text;
    update();
}

QFont ChipStrip::chipFont(const Chip& chip) const
{
    QFont f = font();
    f.setItalic(chip.special);
    return f;
}

QList<QRectF> ChipStrip::layoutChips(int width) const
{
    QList<QRectF> rects;
    double x = kMargin;
    double y = kMargin;
    const double rowHeight = QFontMetricsF(font()).height() + 2 * kPadY;
    for (const Chip& chip : m_chips) {
        const double w = std::min(QFontMetricsF(chipFont(chip)).horizontalAdvance(chip.text) + 2 * kPadX +
                                      (chip.accent.isValid() ? accentWidth() : 0) + 1,
                                  std::max(40.0, width - 2 * kMargin));
        if (x > kMargin && x + w > width - kMargin) {
            x = kMargin;
            y += rowHeight + kSpacing;
        }
        rects.append(QRectF(x, y, w, rowHeight));
        x += w + kSpacing;
    }
    return rects;
}

QRectF ChipStrip::chipRect(int index) const
{
    return index >= 0 && index < m_rects.size() ? m_rects.at(index) : QRectF();
}

int ChipStrip::chipAt(const QPointF& pos) const
{
    for (int i = 0; i < m_rects.size(); ++i) {
        if (m_rects.at(i).contains(pos))
            return i;
    }
    return -1;
}

int ChipStrip::heightForWidth(int width) const
{
    const QList<QRectF> rects = layoutChips(width);
    const double rowHeight = QFontMetricsF(font()).height() + 2 * kPadY;
    return static_cast<int>((rects.isEmpty() ? rowHeight + kMargin : rects.last().bottom()) + kMargin);
}

QSize ChipStrip::sizeHint() const
{
    return {400, heightForWidth(width() > 0 ? width() : 400)};
}

QSize ChipStrip::minimumSizeHint() const
{
    return {80, static_cast<int>(QFontMetricsF(font()).height() + 2 * kPadY + 2 * kMargin)};
}

void ChipStrip::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    if (m_chips.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, m_emptyText);
        return;
    }
    for (int i = 0; i < m_chips.size() && i < m_rects.size(); ++i) {
        const Chip& chip = m_chips.at(i);
        const QRectF r = m_rects.at(i).adjusted(0.5, 0.5, -0.5, -0.5);
        const bool current = i == m_current;
        QColor fill = current ? pal.color(QPalette::Highlight) : pal.color(QPalette::Button);
        if (!current && (i == m_hovered || i == m_highlighted))
            fill = pal.color(QPalette::Midlight);
        QColor border = current ? pal.color(QPalette::Highlight).darker(120) : pal.color(QPalette::Mid);
        QColor text = current ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::ButtonText);
        if (chip.dimmed) {
            text = pal.color(QPalette::PlaceholderText);
            fill = pal.color(QPalette::Window);
        }
        QPainterPath path;
        path.addRoundedRect(r, r.height() / 2.6, r.height() / 2.6);
        p.fillPath(path, fill);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(border, (current || (hasFocus() && i == m_current)) ? 1.5 : 1.0));
        p.drawPath(path);
        QRectF textRect = r.adjusted(kPadX, 0, -kPadX, 0);
        if (chip.accent.isValid()) {
            // A colour dot ties the chip to the same head's colour in the other views.
            const double d = r.height() * 0.36;
            p.setPen(Qt::NoPen);
            p.setBrush(chip.dimmed ? chip.accent.lighter(150) : chip.accent);
            p.drawEllipse(QPointF(r.left() + kPadX - 1, r.center().y()), d / 2, d / 2);
            textRect.adjust(4 + d / 2, 0, 0, 0);
        }
        p.setFont(chipFont(chip));
        p.setPen(text);
        const QString label = QFontMetricsF(p.font()).elidedText(chip.text, Qt::ElideRight, textRect.width() + 2);
        p.drawText(textRect, Qt::AlignCenter, label);
        if (chip.struck) {
            p.setPen(QPen(pal.color(QPalette::Text), 1.5));
            p.drawLine(QPointF(r.left() + 6, r.center().y()), QPointF(r.right() - 6, r.center().y()));
        }
    }
}

void ChipStrip::mousePressEvent(QMouseEvent* event)
{
    const int index = chipAt(event->position());
    if (index >= 0 && event->button() == Qt::LeftButton)
        emit chipActivated(index);
    QWidget::mousePressEvent(event);
}

void ChipStrip::mouseMoveEvent(QMouseEvent* event)
{
    const int index = chipAt(event->position());
    if (index != m_hovered) {
        m_hovered = index;
        update();
    }
}

void ChipStrip::leaveEvent(QEvent* event)
{
    m_hovered = -1;
    update();
    QWidget::leaveEvent(event);
}

void ChipStrip::keyPressEvent(QKeyEvent* event)
{
    if (m_chips.isEmpty()) {
        QWidget::keyPressEvent(event);
        return;
    }
    const int last = static_cast<int>(m_chips.size()) - 1;
    switch (event->key()) {
    case Qt::Key_Left:
        emit chipActivated(std::max(0, m_current - 1));
        break;
    case Qt::Key_Right:
        emit chipActivated(std::min(last, m_current + 1));
        break;
    case Qt::Key_Home:
        emit chipActivated(0);
        break;
    case Qt::Key_End:
        emit chipActivated(last);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void ChipStrip::contextMenuEvent(QContextMenuEvent* event)
{
    const int index = chipAt(event->pos());
    if (index >= 0)
        emit chipContextMenuRequested(index, event->globalPos());
}

void ChipStrip::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    relayout();
}

bool ChipStrip::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = chipAt(help->pos());
        const QString tip = index >= 0 && !m_chips.at(index).toolTip.isEmpty() ? m_chips.at(index).toolTip : toolTip();
        if (tip.isEmpty()) {
            QToolTip::hideText();
        } else {
            QToolTip::showText(help->globalPos(), tip, this);
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace attnviz
