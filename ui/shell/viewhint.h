#pragma once
// A one-line hint above the views on first use ("Rows are queries: click a token to follow it"),
// one per view, until the user closes it; what was closed is remembered in the session settings.
// Off until setActive(true): windows without settings (tests, screenshots) never show it.

#include <QFrame>

class QLabel;
class QToolButton;

namespace attnviz {

class ViewHint : public QFrame
{
    Q_OBJECT
public:
    explicit ViewHint(QWidget* parent = nullptr);

    // What the hint says for a view ("heatmap", "arcs", ...); empty for an unknown view.
    static QString textFor(const QString& viewName);

    void setActive(bool on);
    bool isActive() const { return m_active; }
    // Hidden whatever the view, e.g. while presenting (the view alone on screen).
    void setSuppressed(bool on);
    void setViewName(const QString& viewName); // the view now on screen
    QString viewName() const { return m_view; }
    QString text() const;
    QToolButton* closeButton() const { return m_close; }
    void dismiss(); // for the current view, for good

private:
    void refresh();

    QLabel* m_label;
    QToolButton* m_close;
    QString m_view;
    bool m_active = false;
    bool m_suppressed = false;
};

} // namespace attnviz
