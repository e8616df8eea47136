#include "views/attentionview.h"

#include "state/selectionstate.h"

#include <QApplication>
#include <QPaintEvent>
#include <QPainter>

#include <algorithm>

namespace attnviz {

AttentionView::AttentionView(SelectionState* selection, QWidget* parent) : QWidget(parent), m_selection(selection)
{
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setMouseTracking(true);
}

void AttentionView::setResult(std::shared_ptr<const AttentionResult> result)
{
    m_result = std::move(result);
    resultChanged();
}

QImage AttentionView::renderImage(const QSize& size, qreal devicePixelRatio) const
{
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    return image;
}

qreal AttentionView::textScale() const
{
    const qreal base = QApplication::font().pointSizeF();
    return base > 0 && font().pointSizeF() > 0 ? std::clamp(font().pointSizeF() / base, 0.5, 4.0) : 1.0;
}

void AttentionView::resultChanged()
{
    update();
}

void AttentionView::setShowsTitle(bool on)
{
    if (on == m_showsTitle)
        return;
    m_showsTitle = on;
    showsTitleChanged();
}

void AttentionView::showsTitleChanged()
{
    update();
}

void AttentionView::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    paint(painter, QRectF(rect()));
}

} // namespace attnviz
