#pragma once
// A combo box of models: the built-in ones, the lessons, recently opened files, the GGUF models
// of Ollama, LM Studio and the Hugging Face cache ("Local models", scanned off the UI thread) and
// "Open model…". Items carry the model spec ("builtin:NAME", "lesson:NAME" or a path).

#include <QComboBox>

namespace attnviz {

class LocalModelScanner;
struct LocalModel;

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
    // displayName(), or the local model's name for its path ("llama3.2:latest" for an Ollama blob).
    QString nameOf(const QString& spec) const;

    // Finds the local models; its first scan starts once the event loop runs, so a caller can
    // set other roots first (tests).
    LocalModelScanner* localModels() const { return m_scanner; }
    void rescanLocalModels();
    static QString localModelToolTip(const LocalModel& model);

    void hidePopup() override;

signals:
    void modelChosen(const QString& spec);
    void openRequested();

private:
    void rebuild();
    void addLocalModels();
    void onLocalModelsChanged();
    void onActivated(int index);

    QStringList m_recent;
    QString m_current;
    LocalModelScanner* m_scanner;
    bool m_rebuildAfterPopup = false; // a scan ended while the list was open
};

} // namespace attnviz
