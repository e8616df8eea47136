#pragma once
// The lesson editor's file commands: New, Open, Duplicate, Save and Save As (the lesson JSON,
// written atomically), the folder they last used, and the question before unsaved edits would be
// lost (Save / Discard / Cancel). Tests answer that question through setDecisionHook.

#include <QObject>
#include <QString>

#include <functional>

class QAction;
class QWidget;

namespace attnviz {

class ComputeService;
class LessonEditor;

class LessonFileActions : public QObject
{
    Q_OBJECT
public:
    enum class Decision { Save, Discard, Cancel };
    using DecisionHook = std::function<Decision(const QString& lessonName)>;

    LessonFileActions(LessonEditor* editor, ComputeService* service);

    QAction* newAction() const { return m_new; }
    QAction* openAction() const { return m_open; }
    QAction* duplicateAction() const { return m_duplicate; }
    QAction* saveAction() const { return m_save; }
    QAction* saveAsAction() const { return m_saveAs; }
    QList<QAction*> actions() const;

    // Replaces the message box (tests). Without a hook a QMessageBox asks.
    void setDecisionHook(DecisionHook hook) { m_decide = std::move(hook); }
    // True when nothing unsaved would be lost: no edits, or saved, or discarded. False = Cancel.
    bool confirmLeave();

    void newLesson();
    void open();                        // asks for a file
    void openFile(const QString& path); // no dialog
    void duplicate();
    bool save();                      // to the lesson's file, or Save As when it has none
    bool saveAs();                    // asks for a file
    bool saveTo(const QString& path); // no dialog; the outcome goes to the editor's message line

    QString lastFolder() const;

private:
    void rememberFolder(const QString& path);
    void updateEnabled();

    LessonEditor* m_editor;
    ComputeService* m_service;
    QAction* m_new;
    QAction* m_open;
    QAction* m_duplicate;
    QAction* m_save;
    QAction* m_saveAs;
    DecisionHook m_decide;
};

} // namespace attnviz
