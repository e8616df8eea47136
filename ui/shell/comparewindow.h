#pragma once
// Analysis → Compare: the run on screen (A) beside a second run (B) of another input, or of the
// same input on another model (or another quantisation of it), and their difference. B follows
// every new result of the main window (text, mask, ablation, layer and head stay shared).

#include "engine/attentionresult.h"

#include <QDialog>

#include <QThreadPool>

#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;

namespace attnviz {

class AttentionModel;
class CompareView;
class MainWindow;

class CompareWindow : public QDialog
{
    Q_OBJECT
public:
    explicit CompareWindow(MainWindow* window);
    ~CompareWindow() override;

    QLineEdit* textB() const { return m_textB; }
    QLineEdit* modelB() const { return m_modelB; } // empty: the main window's model
    CompareView* view() const { return m_view; }
    // Runs B for what the main window shows now; the view updates when it arrives.
    void compare();

signals:
    void comparisonShown();

private:
    void saveImage();
    void showB(std::shared_ptr<const AttentionResult> b, const QString& error, quint64 job);

    MainWindow* m_window;
    QLineEdit* m_textB;
    QLineEdit* m_modelB;
    CompareView* m_view;
    QLabel* m_status;
    QPushButton* m_save;
    QThreadPool m_otherPool; // one thread: the other model runs one request at a time
    std::shared_ptr<AttentionModel> m_other; // opened on that thread, reused while its spec stays
    QString m_otherSpec;
    quint64 m_job = 0; // the newest comparison; older ones are dropped
};

} // namespace attnviz
