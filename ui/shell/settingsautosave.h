#pragma once
// Saves the window's session settings shortly after each change the user makes (text, model,
// view, colour map, docks, the window's place and size), so a killed or crashed app loses at
// most the last second, not the whole session. Quitting still saves once more (closeEvent).

#include <QObject>

class QTimer;

namespace attnviz {

class MainWindow;

class SettingsAutosave : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDelayMs = 700; // coalesces a burst of typing into one write

    explicit SettingsAutosave(MainWindow* window);

    void schedule(); // restarts the delay
    bool isPending() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override; // the window's moves and resizes

private:
    MainWindow* m_window;
    QTimer* m_timer;
};

} // namespace attnviz
