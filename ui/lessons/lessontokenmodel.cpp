#include "lessons/lessontokenmodel.h"

namespace attnviz {

void LessonTokenModel::setTokens(const std::vector<std::string>& tokens)
{
    QStringList names;
    for (const auto& t : tokens)
        names << QString::fromStdString(t);
    if (names == m_tokens)
        return; // keeps the view's current cell while the user types names one after another
    beginResetModel();
    m_tokens = names;
    endResetModel();
}

int LessonTokenModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_tokens.size());
}

int LessonTokenModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 1;
}

QVariant LessonTokenModel::data(const QModelIndex& index, int role) const
{
    if ((!index.isValid() || !checkIndex(index)) || (role != Qt::DisplayRole && role != Qt::EditRole))
        return {};
    return m_tokens.at(index.row());
}

QVariant LessonTokenModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    return orientation == Qt::Horizontal ? QVariant(tr("Token")) : QVariant(section);
}

Qt::ItemFlags LessonTokenModel::flags(const QModelIndex& index) const
{
    if ((!index.isValid() || !checkIndex(index)))
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

bool LessonTokenModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole || (!index.isValid() || !checkIndex(index)))
        return false;
    const QString name = value.toString();
    if (name == m_tokens.at(index.row()))
        return true;
    m_tokens[index.row()] = name;
    emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    emit renameRequested(index.row(), name);
    return true;
}

} // namespace attnviz
