#pragma once
// "Make a Lesson from This Head": which tokens (check boxes, the first six by default), how many
// dimensions (4 by default) and how they are chosen (PCA or the largest-variance coordinates, with
// a line saying what each means). The lesson itself is made in the core (lessonFromHead).

#include "attention/lessonfromhead.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace attnviz {

class ComputeService;
class LessonEditor;
struct RunRequest;

class MakeLessonDialog : public QDialog
{
    Q_OBJECT
public:
    explicit MakeLessonDialog(HeadSample sample, QWidget* parent = nullptr);

    QList<QCheckBox*> tokenBoxes() const { return m_tokens; }
    QSpinBox* dimensions() const { return m_dimensions; }
    QComboBox* method() const { return m_method; }
    QString message() const;
    // The lesson for the current choices, or nullopt with the reason shown in the dialog.
    std::optional<Lesson> makeLesson();

    // The whole command: capture the head `request` names, ask, and open the lesson in `editor`.
    // Refusals (no capture, too large) are said in a message box.
    static void run(QWidget* parent, ComputeService& service, const RunRequest& request, LessonEditor& editor);

private:
    void updateExplanation();

    HeadSample m_sample;
    QList<QCheckBox*> m_tokens;
    QSpinBox* m_dimensions;
    QComboBox* m_method;
    QLabel* m_explanation;
    QLabel* m_message;
};

} // namespace attnviz
