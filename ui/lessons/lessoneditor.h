#pragma once
// A dock for editing the current lesson's matrices (X, source X, each head's W_Q/W_K/W_V, W_O).
// Edits are debounced, then the edited lesson goes to the ComputeService as a new LessonModel,
// so every view recomputes while the selection stays. Enabled only while a lesson is loaded.

#include "attention/lesson.h"

#include <QDockWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;

namespace attnviz {

class ComputeService;
class LessonMatrixModel;

class LessonEditor : public QDockWidget
{
    Q_OBJECT
public:
    explicit LessonEditor(ComputeService* service, QWidget* parent = nullptr);

    bool hasLesson() const { return m_hasLesson; }
    const Lesson& lesson() const { return m_current; }          // with the edits
    const Lesson& originalLesson() const { return m_original; } // as loaded
    QComboBox* matrixChoice() const { return m_choice; }
    QTableView* table() const { return m_table; }
    LessonMatrixModel* matrixModel() const { return m_model; }
    QString message() const;

    void reset();
    void saveAs();
    bool saveTo(const QString& path, QString* error) const;

private:
    // Which matrix a combo entry edits.
    struct Entry
    {
        enum Kind { Embeddings, SourceEmbeddings, Wq, Wk, Wv, Wo } kind;
        int head = -1;
    };

    void onModelLoaded();
    void rebuildChoices();
    void showMatrix(int choice);
    void onValueEdited(int row, int column, float value);
    void applyEdits();
    void showMessage(const QString& text, bool error);
    Matrix& matrixOf(Lesson& lesson, const Entry& entry) const;

    ComputeService* m_service;
    QComboBox* m_choice;
    QTableView* m_table;
    LessonMatrixModel* m_model;
    QPushButton* m_reset;
    QPushButton* m_save;
    QLabel* m_message;
    QTimer* m_debounce;
    QList<Entry> m_entries;
    Lesson m_original;
    Lesson m_current;
    std::string m_name; // the LessonModel's name, kept for the edited copies
    bool m_hasLesson = false;
    bool m_reopen = false; // was open when a non-lesson model hid it
};

} // namespace attnviz
