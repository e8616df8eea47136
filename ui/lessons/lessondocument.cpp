#include "lessons/lessondocument.h"

#include "attention/lessonwriter.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace attnviz {

QString LessonDocument::displayName() const
{
    if (!m_path.isEmpty())
        return QFileInfo(m_path).fileName();
    return m_current.title.empty() ? tr("Untitled lesson") : QString::fromStdString(m_current.title);
}

void LessonDocument::load(const Lesson& lesson, const QString& path, bool modified)
{
    m_current = m_saved = lesson;
    m_path = path;
    emit loaded();
    setModified(modified);
}

QString LessonDocument::edit(const std::function<void(Lesson&)>& change)
{
    Lesson candidate = m_current;
    try {
        change(candidate);
        checkLesson(candidate);
    } catch (const LessonError& e) {
        return QString::fromUtf8(e.what());
    }
    m_current = std::move(candidate);
    setModified(true);
    emit changed(true);
    return {};
}

void LessonDocument::setValue(const std::function<Matrix&(Lesson&)>& matrix, Index row, Index column, float value)
{
    matrix(m_current)(row, column) = value;
    // Self-attention reads its keys and values from X itself.
    if (!m_current.crossAttention)
        m_current.sourceEmbeddings = m_current.embeddings;
    setModified(true);
    emit changed(false);
}

void LessonDocument::revert()
{
    m_current = m_saved;
    setModified(false);
    emit changed(true);
}

bool LessonDocument::saveTo(const QString& path, QString* error)
{
    QSaveFile file(path); // all or nothing: a failed write leaves any old file intact
    const std::string text = lessonToJson(m_current);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), static_cast<qint64>(text.size())) < 0 ||
        !file.commit()) {
        *error = tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    m_saved = m_current;
    m_path = path;
    m_modified = false;
    emit modifiedChanged(false); // also when it was not modified: the name changed
    return true;
}

void LessonDocument::setModified(bool modified)
{
    if (modified == m_modified)
        return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

} // namespace attnviz
