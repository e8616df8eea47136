#pragma once
// A dock for making and editing lessons: the shape (tokens, sizes, heads, W_O, source, mask kind,
// scaling) in one tab, the numbers (X, source X, each head's W_Q/W_K/W_V, W_O and the mask cells)
// in another. Edits are debounced, then the edited lesson goes to the ComputeService as a new
// LessonModel, so every view recomputes while the selection stays. File commands and the
// unsaved-changes question are LessonFileActions'.

#include "lessons/lessonmatrixlist.h"

#include <QDockWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;

namespace attnviz {

class ComputeService;
class LessonDocument;
class LessonFileActions;
class LessonMaskModel;
class LessonMatrixModel;
class LessonShapePanel;

class LessonEditor : public QDockWidget
{
    Q_OBJECT
public:
    explicit LessonEditor(ComputeService* service, QWidget* parent = nullptr);

    bool hasLesson() const { return m_hasLesson; }
    const Lesson& lesson() const;         // with the edits
    const Lesson& originalLesson() const; // as loaded or last saved
    LessonDocument* document() const { return m_document; }
    LessonFileActions* fileActions() const { return m_files; }
    LessonShapePanel* shapePanel() const { return m_shape; }
    QTabWidget* tabs() const { return m_tabs; }
    QComboBox* matrixChoice() const { return m_choice; }
    QTableView* table() const { return m_table; }
    LessonMatrixModel* matrixModel() const { return m_model; }
    LessonMaskModel* maskModel() const { return m_maskModel; }
    QString message() const;
    bool choose(const QString& matrixName); // picks the first matrix whose name contains it

    // Opens `lesson` as the current model (New, Duplicate, a lesson made from a head) and shows
    // the editor; `modified` = not saved anywhere yet.
    void install(const Lesson& lesson, bool modified);
    // Save / Discard / Cancel when edits are unsaved; true = go on.
    bool confirmLeave();
    void reset();
    void saveAs();
    bool saveTo(const QString& path, QString* error);
    void showMessage(const QString& text, bool error);

private:
    void onModelLoaded();
    void onChanged(bool shapeChanged);
    void rebuildChoices();
    void showMatrix(int choice);
    void onValueEdited(int row, int column, float value);
    void applyEdits();
    void updateTitle();

    ComputeService* m_service;
    LessonDocument* m_document;
    LessonShapePanel* m_shape;
    QTabWidget* m_tabs;
    QLabel* m_description;
    QComboBox* m_choice;
    QTableView* m_table;
    LessonMatrixModel* m_model;
    LessonMaskModel* m_maskModel;
    QPushButton* m_reset;
    QLabel* m_message;
    QTimer* m_debounce;
    LessonFileActions* m_files;
    QList<LessonMatrixEntry> m_entries; // what each item of m_choice shows
    std::string m_name;                 // the LessonModel's name, kept for the edited copies
    bool m_hasLesson = false;
    bool m_reopen = false;     // was open when a non-lesson model hid it
    bool m_installing = false; // install() is loading its own lesson
    bool m_installModified = false;
};

} // namespace attnviz
