#pragma once
// What AttnViz remembers between runs (QSettings): last model, text, view, colour map, recent
// models, window geometry and toolbar/dock layout, and which first-run hints were closed.

#include <QString>
#include <QStringList>

namespace attnviz {

class MainWindow;

struct SessionSettings
{
    static void restore(MainWindow& window);
    static void save(const MainWindow& window);
    static QString lastModel(); // empty when none was saved
    // Views whose first-run hint the user closed; written at once, not at the next save.
    static QStringList dismissedHints();
    static void dismissHint(const QString& viewName);
};

} // namespace attnviz
