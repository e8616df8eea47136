#pragma once
// One lesson matrix as an editable table. Edits accept finite numbers that fit a 32-bit float
// (what parseLesson accepts); anything else is refused with editRejected, never stored.

#include "base/tensor.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <optional>

namespace attnviz {

class LessonMatrixModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setMatrix(const Matrix& matrix, const QStringList& rowLabels, const QStringList& columnLabels);
    const Matrix& matrix() const { return m_matrix; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // Shortest text that reads back as the same float ("0.1", not "0.100000001").
    static QString formatValue(float value);
    // A number typed by the user (C locale or the system's), or nullopt with a reason.
    static std::optional<float> parseValue(const QVariant& value, QString* error);

signals:
    void valueEdited(int row, int column, float value);
    void editRejected(const QString& message);

private:
    Matrix m_matrix;
    QStringList m_rowLabels;
    QStringList m_columnLabels;
};

} // namespace attnviz
