#pragma once
// Presentation mode (F5): the current view alone, full screen, in large type on a dark palette,
// with plain keys stepping through queries, heads and layers for a lecture. Leaving it (Esc or
// F5) gives the window back as it was: geometry, docks, chrome, palette and font.

#include <QByteArray>
#include <QFont>
#include <QList>
#include <QObject>
#include <QPalette>
#include <QPointer>

#include <optional>

class QAction;
class QWidget;

namespace attnviz {

class MainWindow;

class PresentationMode : public QObject
{
    Q_OBJECT
public:
    static constexpr qreal kFontScale = 1.8; // readable from the back of a lecture room

    explicit PresentationMode(MainWindow* window);

    bool isActive() const { return m_saved.has_value(); }
    void setActive(bool on);
    QAction* toggleAction() const { return m_toggle; } // F5, checkable, for the View menu
    // The window's saveGeometry() and saveState() as they are outside presentation: what the
    // session settings keep, so a session saved while presenting does not start full screen.
    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    // The keys that work while presenting, one "key: what it does" per entry (Help lists them).
    QStringList keyHelp() const;

signals:
    void activeChanged(bool active);
    // A step key was pressed; WindowActions::step does the stepping for the menus and this alike.
    void stepRequested(int layerDelta, int headDelta, int queryDelta);
    void stageStepRequested(int delta); // the Q/K/V pipeline's next (+1) or previous (-1) stage

private:
    struct Saved
    {
        QByteArray geometry;
        QByteArray state; // docks and tool bars
        Qt::WindowStates windowState;
        QPalette palette;
        QFont font;
        bool ownPalette = false; // set on the window itself, not inherited from the application
        bool ownFont = false;
        QList<QPair<QPointer<QWidget>, bool>> chrome; // each hidden widget and whether it was hidden before
    };

    void enter();
    void leave();
    QList<QWidget*> chromeWidgets() const;

    MainWindow* m_window;
    QAction* m_toggle;
    QAction* m_leave;
    QList<QAction*> m_steps;
    std::optional<Saved> m_saved;
};

} // namespace attnviz
