#include "shell/sessionsettings.h"

#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "shell/modelpicker.h"
#include "shell/presentationmode.h"
#include "state/selectionstate.h"
#include "state/sessionstate.h"
#include "shell/sideviewdock.h"

#include <QPlainTextEdit>
#include <QSettings>

namespace attnviz {

void SessionSettings::restore(MainWindow& window)
{
    const QSettings settings;
    window.restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    window.sideViewDock()->setViewName(settings.value(QStringLiteral("view/side")).toString());
    window.restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    window.inputPanel()->modelPicker()->setRecent(settings.value(QStringLiteral("models/recent")).toStringList());
    window.selection()->setColorMap(
        ColorMap::fromName(settings.value(QStringLiteral("view/colorMap")).toString(), ColorMapKind::Viridis));
    window.selection()->setGridBadges(
        SessionState::gridBadgesNamed(settings.value(QStringLiteral("view/gridBadges")).toString().toStdString()));
    window.selection()->setArcsTopK(
        settings.value(QStringLiteral("view/arcsTopK"), SelectionState::kDefaultArcsTopK).toInt());
    window.setCurrentView(settings.value(QStringLiteral("view/current"), QStringLiteral("heatmap")).toString());
    window.setText(settings.value(QStringLiteral("input/text"), MainWindow::defaultText()).toString());
}

QString SessionSettings::lastModel()
{
    return QSettings().value(QStringLiteral("models/last")).toString();
}

QStringList SessionSettings::dismissedHints()
{
    return QSettings().value(QStringLiteral("hints/dismissed")).toStringList();
}

void SessionSettings::dismissHint(const QString& viewName)
{
    QStringList dismissed = dismissedHints();
    if (dismissed.contains(viewName))
        return;
    dismissed << viewName;
    QSettings().setValue(QStringLiteral("hints/dismissed"), dismissed);
}

void SessionSettings::save(const MainWindow& window)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), window.presentationMode()->windowGeometry());
    settings.setValue(QStringLiteral("window/state"), window.presentationMode()->windowState());
    settings.setValue(QStringLiteral("view/side"), window.sideViewDock()->viewName());
    settings.setValue(QStringLiteral("models/recent"), window.inputPanel()->modelPicker()->recent());
    if (!window.loadedModelSpec().isEmpty())
        settings.setValue(QStringLiteral("models/last"), window.loadedModelSpec());
    settings.setValue(QStringLiteral("view/colorMap"), ColorMap::name(window.selection()->colorMap()));
    settings.setValue(QStringLiteral("view/gridBadges"),
                      QString::fromUtf8(SessionState::gridBadgesName(window.selection()->gridBadges())));
    settings.setValue(QStringLiteral("view/arcsTopK"), window.selection()->arcsTopK());
    settings.setValue(QStringLiteral("view/current"), window.currentViewName());
    settings.setValue(QStringLiteral("input/text"), window.inputPanel()->textEdit()->toPlainText());
}

} // namespace attnviz
