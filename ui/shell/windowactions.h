#pragma once
// The main window's menus and keyboard shortcuts (open, export, views, layer/head/query
// stepping, zoom). Works through MainWindow's public API only.

#include <QList>
#include <QObject>

class QAction;
class QKeySequence;
class QMenu;

namespace attnviz {

class MainWindow;

class WindowActions : public QObject
{
    Q_OBJECT
public:
    explicit WindowActions(MainWindow* window);

    void openModelFile();
    void openModelFolder();
    void chooseAttentionBudget(); // asks for MainWindow::setAttentionBudget
    // Moves the selection by the given steps, wrapping around at the ends.
    void step(int layerDelta, int headDelta, int queryDelta);
    // Every shortcut of the menus with its action, one per line (Help → Keyboard Shortcuts).
    QString shortcutsHelpText() const;
    QList<QAction*> menuShortcuts() const; // every menu action that has a shortcut, in menu order

private:
    void buildFileMenu();
    void buildLessonsMenu();
    void buildViewMenu();
    void buildAnalysisMenu();
    void buildHelpMenu();
    QAction* addAction(QMenu* menu, const QString& text, const QKeySequence& keys, const QString& tip);

    MainWindow* m_window;
};

} // namespace attnviz
