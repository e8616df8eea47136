#pragma once
// The shape of the lesson being edited: its title, tokens (add, remove, rename), d_model, each
// head's d_k, d_v, the heads themselves, W_O and d_out, a source sequence for cross-attention,
// the mask kind and ÷√d_k. Every change goes to the LessonDocument, which refuses what the loader
// would refuse; the reason is passed on with `refused`.

#include "attention/lesson.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace attnviz {

class LessonDocument;
class LessonTokenModel;

class LessonShapePanel : public QWidget
{
    Q_OBJECT
public:
    explicit LessonShapePanel(LessonDocument* document, QWidget* parent = nullptr);

    LessonTokenModel* tokenModel() const { return m_tokenModel; }
    LessonTokenModel* sourceTokenModel() const { return m_sourceModel; }
    QLineEdit* titleEdit() const { return m_title; }
    QSpinBox* modelDimension() const { return m_dModel; }
    QSpinBox* keyDimension() const { return m_dk; }
    QSpinBox* valueDimension() const { return m_dv; }
    QSpinBox* outputDimension() const { return m_dOut; }
    QComboBox* headChoice() const { return m_head; }
    QCheckBox* outputProjection() const { return m_wo; }
    QGroupBox* sourceBox() const { return m_source; }
    QComboBox* maskKind() const { return m_mask; }
    QCheckBox* scaling() const { return m_scale; }

    void addToken();    // after the current token, or at the end
    void removeToken(); // the current token, or the last
    void addSourceToken();
    void removeSourceToken();
    void addHead();
    void removeHead(); // the head chosen in the head box

signals:
    void refused(const QString& reason);

private:
    void refresh(); // every control from the document's lesson
    void apply(const std::function<void(Lesson&)>& change);
    QWidget* tokenTable(LessonTokenModel* model, QTableView** view, const std::function<void()>& add,
                        const std::function<void()>& remove, const QString& what);

    LessonDocument* m_document;
    LessonTokenModel* m_tokenModel;
    LessonTokenModel* m_sourceModel;
    QTableView* m_tokenView = nullptr;
    QTableView* m_sourceView = nullptr;
    QLineEdit* m_title;
    QSpinBox* m_dModel;
    QComboBox* m_head;
    QSpinBox* m_dk;
    QPushButton* m_removeHead;
    QSpinBox* m_dv;
    QCheckBox* m_wo;
    QSpinBox* m_dOut;
    QGroupBox* m_source;
    QWidget* m_sourceTable = nullptr; // its tokens and buttons, shown while the box is checked
    QComboBox* m_mask;
    QCheckBox* m_scale;
};

} // namespace attnviz
