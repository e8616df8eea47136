#include "shell/viewhint.h"

#include "shell/sessionsettings.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace attnviz {

ViewHint::ViewHint(QWidget* parent)
    : QFrame(parent), m_label(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("viewHint"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close this hint; it will not come back for this view"));
    m_close->setAccessibleName(tr("Close hint"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 2, 2);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &ViewHint::dismiss);
    hide();
}

QString ViewHint::textFor(const QString& viewName)
{
    if (viewName == QLatin1String("heatmap"))
        return tr("Rows are queries, columns are keys: each row shows where one token looks. Click a row or a "
                  "token to follow it.");
    if (viewName == QLatin1String("arcs"))
        return tr("Each line joins a query (left) to a key it looks at (right); thicker means more attention. "
                  "Hover or click a token to follow it.");
    if (viewName == QLatin1String("model"))
        return tr("One thumbnail per layer and head, all for the same sentence. Click one to show that layer "
                  "and head in the other views.");
    if (viewName == QLatin1String("pipeline"))
        return tr("Left to right: how the focused head turns the tokens into Q, K and V, scores, weights and its "
                  "output. The selected query's row is outlined; hover a stage for what it does.");
    if (viewName == QLatin1String("chart"))
        return tr("Top: where the selected query looks, one bar per key and head. Bottom: per-head statistics of "
                  "the layer.");
    return {};
}

void ViewHint::setActive(bool on)
{
    m_active = on;
    refresh();
}

void ViewHint::setSuppressed(bool on)
{
    m_suppressed = on;
    refresh();
}

void ViewHint::setViewName(const QString& viewName)
{
    m_view = viewName;
    refresh();
}

QString ViewHint::text() const
{
    return m_label->text();
}

void ViewHint::dismiss()
{
    if (m_active && !m_view.isEmpty())
        SessionSettings::dismissHint(m_view);
    hide();
}

void ViewHint::refresh()
{
    const QString text = textFor(m_view);
    m_label->setText(text);
    setVisible(m_active && !m_suppressed && !text.isEmpty() && !SessionSettings::dismissedHints().contains(m_view));
}

} // namespace attnviz
