#include "shell/presentationmode.h"

#include "export/viewstylescope.h"
#include "shell/mainwindow.h"

#include <QAction>
#include <QDockWidget>
#include <QLayout>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>

namespace attnviz {

PresentationMode::PresentationMode(MainWindow* window)
    : QObject(window), m_window(window), m_toggle(new QAction(tr("&Presentation Mode"), this)),
      m_leave(new QAction(tr("Leave Presentation Mode"), this))
{
    m_toggle->setCheckable(true);
    m_toggle->setShortcut(QKeySequence(Qt::Key_F5));
    m_toggle->setToolTip(tr("Show the current view alone, full screen, in large type on dark: arrow keys step "
                            "through queries and heads, Page Up/Down through layers, . and , through the pipeline's stages; Esc "
                            "or F5 leaves"));
    m_toggle->setStatusTip(m_toggle->toolTip());
    connect(m_toggle, &QAction::toggled, this, &PresentationMode::setActive);
    m_leave->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_leave, &QAction::triggered, this, [this]() { setActive(false); });
    struct Step
    {
        QString text;
        Qt::Key key;
        int layer, head, query;
        int stage = 0; // the Q/K/V pipeline's stage stepper
    };
    // Plain keys, so they are live only while presenting: in the normal window the text field
    // and the token strip need them.
    const QList<Step> steps = {{tr("Next query token"), Qt::Key_Right, 0, 0, 1},
                               {tr("Previous query token"), Qt::Key_Left, 0, 0, -1},
                               {tr("Next head"), Qt::Key_Down, 0, 1, 0},
                               {tr("Previous head"), Qt::Key_Up, 0, -1, 0},
                               {tr("Next layer"), Qt::Key_PageDown, 1, 0, 0},
                               {tr("Previous layer"), Qt::Key_PageUp, -1, 0, 0},
                               {tr("Next pipeline stage"), Qt::Key_Period, 0, 0, 0, 1},
                               {tr("Previous pipeline stage"), Qt::Key_Comma, 0, 0, 0, -1}};
    for (const Step& s : steps) {
        auto* action = new QAction(s.text, this);
        action->setShortcut(QKeySequence(s.key));
        connect(action, &QAction::triggered, this, [this, s]() {
            if (s.stage != 0)
                emit stageStepRequested(s.stage);
            else
                emit stepRequested(s.layer, s.head, s.query);
        });
        m_steps << action;
    }
    // On the window itself, not only in a menu: the menu bar is hidden while presenting, and
    // hidden menus take their shortcuts with them.
    m_window->addAction(m_toggle);
    m_window->addAction(m_leave);
    m_window->addActions(m_steps);
    m_leave->setEnabled(false);
    for (QAction* a : m_steps)
        a->setEnabled(false);
}

QStringList PresentationMode::keyHelp() const
{
    QStringList lines;
    for (const QAction* a : m_steps)
        lines << tr("%1: %2").arg(a->shortcut().toString(QKeySequence::NativeText), a->text());
    lines << tr("%1 or %2: %3")
                 .arg(m_leave->shortcut().toString(QKeySequence::NativeText),
                      m_toggle->shortcut().toString(QKeySequence::NativeText), m_leave->text());
    return lines;
}

QByteArray PresentationMode::windowGeometry() const
{
    return m_saved ? m_saved->geometry : m_window->saveGeometry();
}

QByteArray PresentationMode::windowState() const
{
    return m_saved ? m_saved->state : m_window->saveState();
}

void PresentationMode::setActive(bool on)
{
    if (on == isActive())
        return;
    if (on)
        enter();
    else
        leave();
    m_toggle->setChecked(on);
    m_leave->setEnabled(on);
    for (QAction* a : m_steps)
        a->setEnabled(on);
    emit activeChanged(on);
}

QList<QWidget*> PresentationMode::chromeWidgets() const
{
    // Everything but the view: the central widget's rows above the tabs, the tab bar, menus,
    // status bar, docks and tool bars.
    QList<QWidget*> chrome = {m_window->menuBar(), m_window->statusBar(), m_window->viewTabs()->tabBar()};
    if (QLayout* rows = m_window->centralWidget()->layout()) {
        for (int i = 0; i < rows->count(); ++i) {
            QWidget* w = rows->itemAt(i)->widget();
            if (w != nullptr && w != m_window->viewTabs())
                chrome << w;
        }
    }
    for (QDockWidget* dock : m_window->findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly))
        chrome << dock;
    for (QToolBar* bar : m_window->findChildren<QToolBar*>(Qt::FindDirectChildrenOnly)) {
        if (!chrome.contains(bar)) // each once, or the second would remember it hidden
            chrome << bar;
    }
    return chrome;
}

void PresentationMode::enter()
{
    Saved saved;
    saved.geometry = m_window->saveGeometry();
    saved.state = m_window->saveState();
    saved.windowState = m_window->windowState();
    saved.palette = m_window->palette();
    saved.font = m_window->font();
    saved.ownPalette = m_window->testAttribute(Qt::WA_SetPalette);
    saved.ownFont = m_window->testAttribute(Qt::WA_SetFont);
    for (QWidget* w : chromeWidgets()) {
        saved.chrome << qMakePair(QPointer<QWidget>(w), w->isHidden());
        w->hide();
    }
    m_saved = saved;
    // The views draw with palette() and font(), so the window's reach every one of them.
    m_window->setPalette(ViewStyleScope::palette(ExportTheme::Dark));
    QFont large = saved.font;
    if (large.pixelSize() > 0)
        large.setPixelSize(qRound(large.pixelSize() * kFontScale));
    else
        large.setPointSizeF(large.pointSizeF() * kFontScale);
    m_window->setFont(large);
    m_window->showFullScreen();
}

void PresentationMode::leave()
{
    const Saved saved = *m_saved;
    m_saved.reset();
    // An inherited palette or font goes back to being inherited, so a later system theme change
    // still reaches the window.
    m_window->setPalette(saved.ownPalette ? saved.palette : QPalette());
    m_window->setFont(saved.ownFont ? saved.font : QFont());
    for (const auto& [widget, wasHidden] : saved.chrome) {
        if (widget)
            widget->setHidden(wasHidden);
    }
    m_window->setWindowState(saved.windowState);
    m_window->restoreGeometry(saved.geometry);
    m_window->restoreState(saved.state);
}

} // namespace attnviz
