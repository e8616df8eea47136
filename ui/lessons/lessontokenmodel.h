#pragma once
// A lesson's token names as an editable one-column table. A rename is only asked for
// (renameRequested); the document makes it, then setTokens shows the result.

#include <QAbstractTableModel>
#include <QStringList>

#include <string>
#include <vector>

namespace attnviz {

class LessonTokenModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setTokens(const std::vector<std::string>& tokens);
    QStringList tokens() const { return m_tokens; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

signals:
    void renameRequested(int row, const QString& name);

private:
    QStringList m_tokens;
};

} // namespace attnviz
