#pragma once
// A combo box of models: the built-in ones, the lessons, recently opened files and
// "Open model…". Items carry the model spec ("builtin:NAME", "lesson:NAME" or a path).

#include <QComboBox>

namespace attnviz {

class ModelPicker : public QComboBox
{
    Q_OBJECT
public:
    explicit ModelPicker(QWidget* parent = nullptr);

    void setRecent(const QStringList& specs);
    QStringList recent() const { return m_recent; }
    // Selects `spec` (adding it to the recent list if it is a file) without emitting modelChosen.
    void setCurrentSpec(const QString& spec);
    QString currentSpec() const { return m_current; }
    static QString displayName(const QString& spec);

signals:
    void modelChosen(const QString& spec);
    void openRequested();

private:
    void rebuild();
    void onActivated(int index);

    QStringList m_recent;
    QString m_current;
};

} // namespace attnviz
