#include "lessons/lessonmatrixmodel.h"

#include <QLocale>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace attnviz {

void LessonMatrixModel::setMatrix(const Matrix& matrix, const QStringList& rowLabels, const QStringList& columnLabels)
{
    beginResetModel();
    m_matrix = matrix;
    m_rowLabels = rowLabels;
    m_columnLabels = columnLabels;
    endResetModel();
}

int LessonMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_matrix.rows());
}

int LessonMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_matrix.cols());
}

QVariant LessonMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index))
        return {};
    const float v = m_matrix(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return formatValue(v); // text, so the editor is a line edit with every digit
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignCenter); // under its column header, however wide
    default:
        return {};
    }
}

QVariant LessonMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || section < 0)
        return {};
    const QStringList& labels = orientation == Qt::Horizontal ? m_columnLabels : m_rowLabels;
    return section < labels.size() ? QVariant(labels.at(section)) : QVariant(section);
}

Qt::ItemFlags LessonMatrixModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

bool LessonMatrixModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || !checkIndex(index))
        return false;
    QString error;
    const std::optional<float> v = parseValue(value, &error);
    if (!v) {
        emit editRejected(tr("Row %1, column %2: %3").arg(index.row() + 1).arg(index.column() + 1).arg(error));
        return false;
    }
    float& cell = m_matrix(index.row(), index.column());
    if (std::memcmp(&cell, &*v, sizeof(float)) == 0)
        return true; // unchanged: no recompute
    cell = *v;
    emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    emit valueEdited(index.row(), index.column(), *v);
    return true;
}

QString LessonMatrixModel::formatValue(float value)
{
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return QString::fromLatin1(buf, static_cast<int>(end - buf));
}

std::optional<float> LessonMatrixModel::parseValue(const QVariant& value, QString* error)
{
    bool ok = false;
    double d = 0;
    if (value.typeId() == QMetaType::QString) {
        const QString text = value.toString().trimmed();
        d = QLocale::c().toDouble(text, &ok);
        if (!ok)
            d = QLocale().toDouble(text, &ok);
        if (!ok) {
            *error = text.isEmpty() ? tr("enter a number") : tr("\"%1\" is not a number").arg(text);
            return std::nullopt;
        }
    } else {
        d = value.toDouble(&ok);
        if (!ok) {
            *error = tr("enter a number");
            return std::nullopt;
        }
    }
    // Same rule as parseLesson: finite, and finite once stored as a 32-bit float.
    if (!std::isfinite(d) || std::abs(d) > static_cast<double>(std::numeric_limits<float>::max())) {
        *error = tr("%1 is not a finite 32-bit float").arg(d);
        return std::nullopt;
    }
    return static_cast<float>(d);
}

} // namespace attnviz
