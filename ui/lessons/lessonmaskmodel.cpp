#include "lessons/lessonmaskmodel.h"

#include <QColor>

namespace attnviz {

void LessonMaskModel::setMask(const MaskMatrix& mask, const QStringList& queries, const QStringList& keys)
{
    beginResetModel();
    m_mask = mask;
    m_queries = queries;
    m_keys = keys;
    endResetModel();
}

int LessonMaskModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_mask.rows());
}

int LessonMaskModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_mask.cols());
}

QVariant LessonMaskModel::data(const QModelIndex& index, int role) const
{
    if ((!index.isValid() || !checkIndex(index)))
        return {};
    const bool allowed = m_mask(index.row(), index.column()) != 0;
    switch (role) {
    case Qt::CheckStateRole:
        return allowed ? Qt::Checked : Qt::Unchecked;
    case Qt::DisplayRole:
        return allowed ? tr("may attend") : tr("forbidden");
    case Qt::ToolTipRole:
        return tr("%1 → %2: click to %3")
            .arg(m_queries.value(index.row()), m_keys.value(index.column()), allowed ? tr("forbid") : tr("allow"));
    case Qt::ForegroundRole:
        return allowed ? QVariant() : QVariant(QColor(0xc0, 0x39, 0x2b));
    default:
        return {};
    }
}

QVariant LessonMaskModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || section < 0)
        return {};
    const QStringList& labels = orientation == Qt::Horizontal ? m_keys : m_queries;
    return section < labels.size() ? QVariant(labels.at(section)) : QVariant(section);
}

Qt::ItemFlags LessonMaskModel::flags(const QModelIndex& index) const
{
    if ((!index.isValid() || !checkIndex(index)))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren;
}

bool LessonMaskModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || (!index.isValid() || !checkIndex(index)))
        return false;
    const bool allowed = value.toInt() == Qt::Checked;
    if (allowed == (m_mask(index.row(), index.column()) != 0))
        return true;
    m_mask(index.row(), index.column()) = allowed ? 1 : 0;
    emit dataChanged(index, index, {Qt::CheckStateRole, Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole});
    emit cellToggled(index.row(), index.column(), allowed);
    return true;
}

} // namespace attnviz
