#include "widgets/staleoverlay.h"

#include <QEvent>
#include <QPainter>
#include <QTimer>

namespace attnviz {

StaleOverlay::StaleOverlay(QWidget* covered) : QWidget(covered), m_delay(new QTimer(this))
{
    setAttribute(Qt::WA_TransparentForMouseEvents); // the views stay usable underneath
    setAttribute(Qt::WA_NoSystemBackground);
    m_delay->setSingleShot(true);
    m_delay->setInterval(kDefaultDelayMs);
    connect(m_delay, &QTimer::timeout, this, [this]() {
        if (m_stale) {
            setGeometry(parentWidget()->rect());
            raise();
            show();
        }
    });
    covered->installEventFilter(this);
    hide();
}

void StaleOverlay::setDelay(int ms)
{
    m_delay->setInterval(ms);
}

void StaleOverlay::setStale(bool stale)
{
    const bool changed = stale != m_stale;
    m_stale = stale;
    if (!stale) {
        m_delay->stop();
        hide();
    } else if (m_delay->interval() <= 0) {
        setGeometry(parentWidget()->rect());
        raise();
        show();
    } else if (!isVisible() && !m_delay->isActive()) {
        m_delay->start();
    }
    if (changed)
        emit staleChanged(stale);
}

bool StaleOverlay::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize)
        setGeometry(parentWidget()->rect());
    return QWidget::eventFilter(watched, event);
}

void StaleOverlay::paintEvent(QPaintEvent* /*event*/)
{
    QPainter painter(this);
    QColor veil = palette().color(QPalette::Window);
    veil.setAlphaF(0.45f);
    painter.fillRect(rect(), veil);
    const QString text = tr("Updating… the picture still shows the previous settings");
    const QFontMetrics fm(font());
    const QRect band(0, 0, width(), fm.height() * 2);
    painter.fillRect(band, palette().color(QPalette::Highlight));
    painter.setPen(palette().color(QPalette::HighlightedText));
    painter.drawText(band, Qt::AlignCenter, text);
}

} // namespace attnviz
