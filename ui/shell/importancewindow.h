#pragma once
// Analysis → Head Importance by Ablation: runs the model once per head in the background, with a
// progress bar and Cancel, then shows the layer × head grid (views/readouts/importanceview.h),
// which can be saved as PNG, SVG or PDF. Clicking a head focuses it in the main window.

#include <QDialog>

class QLabel;
class QProgressBar;
class QPushButton;

namespace attnviz {

class HeadImportanceJob;
class ImportanceView;
class MainWindow;

class ImportanceWindow : public QDialog
{
    Q_OBJECT
public:
    explicit ImportanceWindow(MainWindow* window);

    // Scores every head for what the main window shows now (text, mask, scaling, ablations).
    void start();
    ImportanceView* view() const { return m_view; }
    HeadImportanceJob* job() const { return m_job; }

private:
    void saveImage();
    void setRunning(bool running);

    MainWindow* m_window;
    HeadImportanceJob* m_job;
    ImportanceView* m_view;
    QLabel* m_status;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QPushButton* m_again;
    QPushButton* m_save;
};

} // namespace attnviz
