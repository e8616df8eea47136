#include "shell/settingsautosave.h"

#include "state/computeservice.h"
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "state/selectionstate.h"
#include "shell/sessionsettings.h"
#include "shell/sideviewdock.h"

#include <QDockWidget>
#include <QEvent>
#include <QTabWidget>
#include <QTimer>

namespace attnviz {

SettingsAutosave::SettingsAutosave(MainWindow* window) : QObject(window), m_window(window), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(kDelayMs);
    connect(m_timer, &QTimer::timeout, this, [this]() { SessionSettings::save(*m_window); });
    connect(window->inputPanel(), &InputPanel::textEdited, this, &SettingsAutosave::schedule);
    connect(window->computeService(), &ComputeService::modelLoaded, this, &SettingsAutosave::schedule);
    connect(window->selection(), &SelectionState::displayOptionsChanged, this, &SettingsAutosave::schedule);
    connect(window->viewTabs(), &QTabWidget::currentChanged, this, &SettingsAutosave::schedule);
    connect(window->sideViewDock(), &QDockWidget::visibilityChanged, this, &SettingsAutosave::schedule);
    connect(window->sideViewDock(), &QDockWidget::dockLocationChanged, this, &SettingsAutosave::schedule);
    connect(window->sideViewDock(), &SideViewDock::viewChanged, this, &SettingsAutosave::schedule);
    window->installEventFilter(this);
}

bool SettingsAutosave::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_window && (event->type() == QEvent::Resize || event->type() == QEvent::Move))
        schedule();
    return QObject::eventFilter(watched, event);
}

void SettingsAutosave::schedule()
{
    // Not restarted while pending: a stream of changes (typing, results arriving) must not keep
    // postponing the save; the save reads the state as it is when it fires.
    if (!m_timer->isActive())
        m_timer->start();
}

bool SettingsAutosave::isPending() const
{
    return m_timer->isActive();
}

} // namespace attnviz
