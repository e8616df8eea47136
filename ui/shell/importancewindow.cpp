#include "shell/importancewindow.h"

#include "export/saveimagedialog.h"
#include "shell/mainwindow.h"
#include "state/headimportancejob.h"
#include "state/runrequestbuilder.h"
#include "views/readouts/importanceview.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace attnviz {

ImportanceWindow::ImportanceWindow(MainWindow* window)
    : QDialog(window), m_window(window), m_job(new HeadImportanceJob(window->computeService(), this)),
      m_view(new ImportanceView(window->selection())), m_status(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_again(new QPushButton(tr("Run Again"), this)),
      m_save(new QPushButton(tr("Save Image…"), this))
{
    setWindowTitle(tr("Head Importance by Ablation — AttnViz"));
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_view);
    scroll->setWidgetResizable(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_again);
    buttons->addWidget(m_save);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    m_again->setToolTip(tr("Score every head again for the text and settings now on screen"));
    m_save->setToolTip(tr("Save the grid as PNG, SVG or PDF"));
    resize(720, 420);

    connect(m_cancel, &QPushButton::clicked, m_job, &HeadImportanceJob::cancel);
    connect(m_again, &QPushButton::clicked, this, &ImportanceWindow::start);
    connect(m_save, &QPushButton::clicked, this, &ImportanceWindow::saveImage);
    connect(m_job, &HeadImportanceJob::progress, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_status->setText(tr("Zeroing each head in turn: %1 of %2 runs…").arg(done).arg(total));
    });
    connect(m_job, &HeadImportanceJob::finished, this, [this](const HeadImportance& importance) {
        m_view->setImportance(importance);
        m_status->setText(tr("Done: %1 heads scored.").arg(importance.layers * importance.heads));
        setRunning(false);
    });
    connect(m_job, &HeadImportanceJob::failed, this, [this](const QString& message) {
        m_status->setText(tr("Stopped: %1").arg(message));
        setRunning(false);
    });
    setRunning(false);
}

void ImportanceWindow::setRunning(bool running)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    m_again->setEnabled(!running);
    m_save->setEnabled(!running && m_view->importance().has_value());
}

void ImportanceWindow::start()
{
    m_view->setImportance(std::nullopt);
    m_progress->setRange(0, 0); // busy until the first run is in
    m_status->setText(tr("Scoring the next token…"));
    setRunning(true);
    m_job->start(RunRequestBuilder::build(*m_window->inputPanel(), *m_window->selection(), m_window->result().get()));
}

void ImportanceWindow::saveImage()
{
    saveViewImage(*m_view, this, tr("Save Head Importance"), QStringLiteral("importance.png"));
}

} // namespace attnviz
