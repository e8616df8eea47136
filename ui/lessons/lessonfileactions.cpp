#include "lessons/lessonfileactions.h"

#include "attention/lessonedit.h"
#include "lessons/lessondocument.h"
#include "lessons/lessoneditor.h"
#include "state/computeservice.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

namespace attnviz {

namespace {

const QString kFolderKey = QStringLiteral("lessons/lastFolder");

QAction* makeAction(QObject* parent, const QString& text, const QKeySequence& keys, const QString& tip)
{
    auto* a = new QAction(text, parent);
    a->setShortcut(keys);
    a->setToolTip(tip);
    a->setStatusTip(tip);
    return a;
}

} // namespace

LessonFileActions::LessonFileActions(LessonEditor* editor, ComputeService* service)
    : QObject(editor), m_editor(editor), m_service(service),
      // Ctrl+O, Ctrl+Shift+O and Ctrl+Shift+S are taken (models, folders, sessions).
      m_new(makeAction(this, tr("&New Lesson"), QKeySequence(tr("Ctrl+N")),
                       tr("Start a small lesson (3 tokens, d_model 3, one head with d_k 2) in the editor"))),
      m_open(makeAction(this, tr("&Open Lesson…"), QKeySequence(tr("Ctrl+Alt+O")),
                        tr("Open a lesson .json file in the editor"))),
      m_duplicate(makeAction(this, tr("&Duplicate Lesson"), QKeySequence(tr("Ctrl+Shift+D")),
                             tr("Go on editing a copy of this lesson; the original file stays as it is"))),
      m_save(makeAction(this, tr("&Save Lesson"), QKeySequence::Save,
                        tr("Write the edited lesson to its .json file (asks for a file the first time)"))),
      m_saveAs(makeAction(this, tr("Save Lesson &As…"), QKeySequence(tr("Ctrl+Alt+S")),
                          tr("Write the edited lesson to a new .json file")))
{
    connect(m_new, &QAction::triggered, this, &LessonFileActions::newLesson);
    connect(m_open, &QAction::triggered, this, &LessonFileActions::open);
    connect(m_duplicate, &QAction::triggered, this, &LessonFileActions::duplicate);
    connect(m_save, &QAction::triggered, this, &LessonFileActions::save);
    connect(m_saveAs, &QAction::triggered, this, &LessonFileActions::saveAs);
    connect(m_editor->document(), &LessonDocument::loaded, this, &LessonFileActions::updateEnabled);
    updateEnabled();
}

QList<QAction*> LessonFileActions::actions() const
{
    return {m_new, m_open, m_duplicate, m_save, m_saveAs};
}

void LessonFileActions::updateEnabled()
{
    const bool has = m_editor->hasLesson();
    m_duplicate->setEnabled(has);
    m_save->setEnabled(has);
    m_saveAs->setEnabled(has);
}

bool LessonFileActions::confirmLeave()
{
    const LessonDocument* doc = m_editor->document();
    if (!m_editor->hasLesson() || !doc->isModified())
        return true;
    Decision d = Decision::Cancel;
    if (m_decide) {
        d = m_decide(doc->displayName());
    } else {
        const auto button =
            QMessageBox::question(m_editor->window(), tr("Unsaved lesson"),
                                  tr("The lesson \"%1\" has changes that are not saved.").arg(doc->displayName()),
                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        d = button == QMessageBox::Save      ? Decision::Save
            : button == QMessageBox::Discard ? Decision::Discard
                                             : Decision::Cancel;
    }
    switch (d) {
    case Decision::Save:
        return save();
    case Decision::Discard:
        return true;
    case Decision::Cancel:
        break;
    }
    return false;
}

void LessonFileActions::newLesson()
{
    if (confirmLeave())
        m_editor->install(blankLesson(), false);
}

void LessonFileActions::open()
{
    if (!confirmLeave())
        return;
    const QString path =
        QFileDialog::getOpenFileName(m_editor->window(), tr("Open Lesson"), lastFolder(), tr("Lessons (*.json)"));
    if (!path.isEmpty())
        openFile(path);
}

void LessonFileActions::openFile(const QString& path)
{
    rememberFolder(path);
    m_editor->show();
    m_service->loadModel(QFileInfo(path).absoluteFilePath()); // a bad file leaves this lesson, with the reason
}

void LessonFileActions::duplicate()
{
    if (!m_editor->hasLesson())
        return;
    Lesson copy = m_editor->document()->lesson();
    copy.title = (copy.title.empty() ? tr("Lesson").toStdString() : copy.title) + tr(" (copy)").toStdString();
    m_editor->install(copy, true); // not on disk yet: closing asks
}

bool LessonFileActions::save()
{
    const QString path = m_editor->document()->path();
    return path.isEmpty() ? saveAs() : saveTo(path);
}

bool LessonFileActions::saveAs()
{
    if (!m_editor->hasLesson())
        return false;
    const LessonDocument* doc = m_editor->document();
    const QString name = doc->path().isEmpty() ? tr("lesson.json") : QFileInfo(doc->path()).fileName();
    // QFileDialog asks before replacing an existing file.
    const QString path = QFileDialog::getSaveFileName(m_editor->window(), tr("Save Lesson As"),
                                                      QDir(lastFolder()).filePath(name), tr("Lessons (*.json)"));
    return !path.isEmpty() && saveTo(path);
}

bool LessonFileActions::saveTo(const QString& path)
{
    QString error;
    if (!m_editor->document()->saveTo(path, &error)) {
        m_editor->showMessage(error, true);
        return false;
    }
    rememberFolder(path);
    // A new or duplicated lesson now has a file: the picker, sessions and recent models name it.
    m_service->renameModel(QFileInfo(path).absoluteFilePath());
    m_editor->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), false);
    return true;
}

QString LessonFileActions::lastFolder() const
{
    const QString saved = QSettings().value(kFolderKey).toString();
    return !saved.isEmpty() && QFileInfo(saved).isDir() ? saved : QDir::homePath();
}

void LessonFileActions::rememberFolder(const QString& path)
{
    QSettings().setValue(kFolderKey, QFileInfo(path).absolutePath());
}

} // namespace attnviz
