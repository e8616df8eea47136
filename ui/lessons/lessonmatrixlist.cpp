#include "lessons/lessonmatrixlist.h"

#include <QCoreApplication>

namespace attnviz {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("LessonMatrixList", text);
}

QStringList tokenLabels(const std::vector<std::string>& tokens)
{
    QStringList labels;
    for (const auto& t : tokens)
        labels << QString::fromStdString(t);
    return labels;
}

QStringList numbered(const QString& prefix, Index count)
{
    QStringList labels;
    for (Index i = 0; i < count; ++i)
        labels << prefix + QString::number(i);
    return labels;
}

} // namespace

QList<LessonMatrixEntry> lessonMatrices(const Lesson& lesson)
{
    using E = LessonMatrixEntry;
    QList<E> entries{{E::Embeddings, -1, tr("Token embeddings X")}};
    if (lesson.crossAttention)
        entries.append({E::SourceEmbeddings, -1, tr("Source embeddings")});
    for (int h = 0; h < static_cast<int>(lesson.heads.size()); ++h) {
        const QString name = QString::fromStdString(lesson.heads[static_cast<std::size_t>(h)].name);
        const QString head = name.isEmpty() ? tr("Head %1").arg(h) : tr("Head %1 (%2)").arg(h).arg(name);
        entries.append({E::Wq, h, tr("%1: W_Q").arg(head)});
        entries.append({E::Wk, h, tr("%1: W_K").arg(head)});
        entries.append({E::Wv, h, tr("%1: W_V").arg(head)});
    }
    if (lesson.wo)
        entries.append({E::Wo, -1, tr("Output projection W_O")});
    entries.append({E::Mask, -1, tr("Mask (checked = may attend)")});
    return entries;
}

Matrix& matrixOf(Lesson& lesson, const LessonMatrixEntry& entry)
{
    return const_cast<Matrix&>(matrixOf(std::as_const(lesson), entry));
}

const Matrix& matrixOf(const Lesson& lesson, const LessonMatrixEntry& entry)
{
    const auto head = static_cast<std::size_t>(std::max(entry.head, 0));
    switch (entry.kind) {
    case LessonMatrixEntry::SourceEmbeddings:
        return lesson.sourceEmbeddings;
    case LessonMatrixEntry::Wq:
        return lesson.heads[head].wq;
    case LessonMatrixEntry::Wk:
        return lesson.heads[head].wk;
    case LessonMatrixEntry::Wv:
        return lesson.heads[head].wv;
    case LessonMatrixEntry::Wo:
        return *lesson.wo;
    case LessonMatrixEntry::Embeddings:
    case LessonMatrixEntry::Mask:
        break;
    }
    return lesson.embeddings;
}

QStringList rowLabelsOf(const Lesson& lesson, const LessonMatrixEntry& entry)
{
    switch (entry.kind) {
    case LessonMatrixEntry::Embeddings:
    case LessonMatrixEntry::Mask: // rows are queries
        return tokenLabels(lesson.tokens);
    case LessonMatrixEntry::SourceEmbeddings:
        return tokenLabels(lesson.sourceTokens);
    case LessonMatrixEntry::Wo: // one row per value dimension of the concatenated heads
        return numbered(QStringLiteral("in "), lesson.wo->rows());
    case LessonMatrixEntry::Wq:
    case LessonMatrixEntry::Wk:
    case LessonMatrixEntry::Wv:
        break;
    }
    return numbered(QStringLiteral("d"), lesson.embeddings.cols()); // one row per input dimension
}

QStringList columnLabelsOf(const Lesson& lesson, const LessonMatrixEntry& entry)
{
    switch (entry.kind) {
    case LessonMatrixEntry::Embeddings:
    case LessonMatrixEntry::SourceEmbeddings:
        return numbered(QStringLiteral("d"), lesson.embeddings.cols());
    case LessonMatrixEntry::Mask: // columns are keys
        return tokenLabels(lesson.sourceTokens);
    case LessonMatrixEntry::Wq:
    case LessonMatrixEntry::Wk:
    case LessonMatrixEntry::Wv:
    case LessonMatrixEntry::Wo:
        break;
    }
    return numbered(QStringLiteral("out "), matrixOf(lesson, entry).cols());
}

} // namespace attnviz
