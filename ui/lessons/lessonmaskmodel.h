#pragma once
// A lesson's mask as a table of check boxes, queries x keys: checked = may attend. Clicking a box
// asks for the change (cellToggled); the document makes it (the mask becomes custom).

#include "base/tensor.h"

#include <QAbstractTableModel>
#include <QStringList>

namespace attnviz {

class LessonMaskModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setMask(const MaskMatrix& mask, const QStringList& queries, const QStringList& keys);
    const MaskMatrix& mask() const { return m_mask; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::CheckStateRole) override;

signals:
    void cellToggled(int query, int key, bool allowed);

private:
    MaskMatrix m_mask;
    QStringList m_queries;
    QStringList m_keys;
};

} // namespace attnviz
