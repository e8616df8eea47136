#pragma once
// The matrices of a lesson the editor offers, in the order of its list: X, the source X, each
// head's W_Q / W_K / W_V, W_O, and the mask. One place says which matrix an entry is and how its
// rows and columns are labelled, for showing it and for writing a typed number back.

#include "attention/lesson.h"

#include <QList>
#include <QStringList>

namespace attnviz {

struct LessonMatrixEntry
{
    enum Kind { Embeddings, SourceEmbeddings, Wq, Wk, Wv, Wo, Mask } kind = Embeddings;
    int head = -1; // for Wq, Wk, Wv
    QString name;  // as the list shows it, e.g. "Head 0: W_Q"
};

QList<LessonMatrixEntry> lessonMatrices(const Lesson& lesson);
// The numbers of an entry (any kind but Mask).
Matrix& matrixOf(Lesson& lesson, const LessonMatrixEntry& entry);
const Matrix& matrixOf(const Lesson& lesson, const LessonMatrixEntry& entry);
QStringList rowLabelsOf(const Lesson& lesson, const LessonMatrixEntry& entry);
QStringList columnLabelsOf(const Lesson& lesson, const LessonMatrixEntry& entry);

} // namespace attnviz
