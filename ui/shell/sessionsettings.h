#pragma once
// What AttnViz remembers between runs (QSettings): last model, text, view, colour map, recent
// models, window geometry and toolbar/dock layout.

#include <QString>

namespace attnviz {

class MainWindow;

struct SessionSettings
{
    static void restore(MainWindow& window);
    static void save(const MainWindow& window);
    static QString lastModel(); // empty when none was saved
};

} // namespace attnviz
