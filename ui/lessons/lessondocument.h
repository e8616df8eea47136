#pragma once
// The lesson being edited: its numbers and shape now, the version last loaded or saved (what Reset
// returns to and what "modified" compares with) and the file it belongs to. Every change goes
// through here, so the editor's tables, the live recompute and the unsaved-changes prompt agree.

#include "attention/lesson.h"

#include <QObject>
#include <QString>

#include <functional>

namespace attnviz {

class LessonDocument : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    const Lesson& lesson() const { return m_current; }
    const Lesson& saved() const { return m_saved; }
    QString path() const { return m_path; } // empty for a new, duplicated or built-in lesson
    QString displayName() const;            // the file's name, else the lesson's title
    bool isModified() const { return m_modified; }

    // A lesson just opened (or made): nothing to save yet unless `modified` says so (a duplicate).
    void load(const Lesson& lesson, const QString& path, bool modified = false);
    // A change of shape (tokens, sizes, heads...): made on a copy and kept only when checkLesson
    // accepts the result. Returns the reason it was refused, or an empty string.
    QString edit(const std::function<void(Lesson&)>& change);
    // One number: the shape stays, so no copy or check.
    void setValue(const std::function<Matrix&(Lesson&)>& matrix, Index row, Index column, float value);
    void revert(); // back to the saved version
    // Writes the lesson JSON atomically (QSaveFile); on success the document belongs to `path`.
    bool saveTo(const QString& path, QString* error);

signals:
    void changed(bool shapeChanged); // the lesson changed (the tables show it, views recompute)
    void modifiedChanged(bool modified);
    void loaded(); // a different lesson (or none) is in the document

private:
    void setModified(bool modified);

    Lesson m_current;
    Lesson m_saved;
    QString m_path;
    bool m_modified = false;
};

} // namespace attnviz
