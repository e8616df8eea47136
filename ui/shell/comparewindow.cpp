#include "shell/comparewindow.h"

#include "export/saveimagedialog.h"
#include "registry/modelregistry.h"
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "state/computeservice.h"
#include "state/runrequestbuilder.h"
#include "stats/derive.h"
#include "views/compare/compareview.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace attnviz {

CompareWindow::CompareWindow(MainWindow* window)
    : QDialog(window), m_window(window), m_textB(new QLineEdit(this)), m_modelB(new QLineEdit(this)),
      m_view(new CompareView(window->selection())), m_status(new QLabel(this)),
      m_save(new QPushButton(tr("Save Image…"), this))
{
    setWindowTitle(tr("Compare — AttnViz"));
    m_otherPool.setMaxThreadCount(1);
    m_textB->setText(window->inputPanel()->text());
    m_textB->setToolTip(tr("Input B; A is the text in the main window (e.g. “…because it was too wide.”)"));
    m_modelB->setPlaceholderText(tr("the same model as A"));
    m_modelB->setToolTip(tr("Model B: empty for A's model, or a folder, .gguf file or builtin:NAME (two models, or "
                            "two quantisations of one model, on the same input)"));
    auto* run = new QPushButton(tr("Compare"), this);
    run->setDefault(true);
    run->setToolTip(tr("Run B and show A, B and A − B (Ctrl+Return)"));
    auto* form = new QFormLayout;
    form->addRow(tr("Input B:"), m_textB);
    form->addRow(tr("Model B:"), m_modelB);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_view);
    scroll->setWidgetResizable(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(run);
    buttons->addWidget(m_save);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    m_view->setMinimumSize(900, 340);
    resize(1200, 560);
    m_save->setEnabled(false);

    connect(run, &QPushButton::clicked, this, &CompareWindow::compare);
    connect(new QShortcut(QKeySequence(tr("Ctrl+Return")), this), &QShortcut::activated, this, &CompareWindow::compare);
    connect(m_save, &QPushButton::clicked, this, &CompareWindow::saveImage);
    // A follows the main window; B is run again for it (same mask, scaling, ablations).
    connect(window, &MainWindow::resultShown, this, [this]() {
        m_view->setResult(m_window->result());
        if (isVisible() && m_view->comparison())
            compare();
    });
    m_view->setResult(window->result());
}

CompareWindow::~CompareWindow()
{
    ++m_job; // late results are dropped
    m_otherPool.waitForDone();
}

void CompareWindow::compare()
{
    if (!m_window->computeService()->hasModel())
        return;
    RunRequest request = RunRequestBuilder::build(*m_window->inputPanel(), *m_window->selection(), m_window->result().get());
    request.text = m_textB->text().toStdString();
    const quint64 job = ++m_job;
    const QString spec = m_modelB->text().trimmed();
    m_status->setText(tr("Running B…"));
    QPointer<CompareWindow> self(this);
    // Results come back to the UI thread; `self` guards a window closed meanwhile.
    const auto deliver = [self, job](std::shared_ptr<const AttentionResult> b, QString error) {
        QMetaObject::invokeMethod(
            self, [self, b, error, job]() { if (self) self->showB(b, error, job); }, Qt::QueuedConnection);
    };
    const auto runB = [request, deliver](const AttentionModel& model) {
        try {
            deliver(runWithStatistics(model, request), QString());
        } catch (const std::exception& e) {
            deliver(nullptr, QString::fromUtf8(e.what()));
        }
    };
    if (spec.isEmpty()) {
        m_window->computeService()->runOnModelThread(runB);
        return;
    }
    QtConcurrent::run(&m_otherPool, [this, spec, runB, deliver]() {
        // Only this pool's one thread touches m_other and m_otherSpec.
        try {
            if (!m_other || m_otherSpec != spec) {
                m_other = openModel(spec.toStdString());
                m_otherSpec = spec;
            }
            runB(*m_other);
        } catch (const std::exception& e) {
            deliver(nullptr, tr("Model B: %1").arg(QString::fromUtf8(e.what())));
        }
    });
}

void CompareWindow::showB(std::shared_ptr<const AttentionResult> b, const QString& error, quint64 job)
{
    if (job != m_job)
        return; // a newer comparison is on its way
    if (!b) {
        m_status->setText(tr("⚠ %1").arg(error));
        return;
    }
    const QString nameB = m_modelB->text().trimmed().isEmpty() ? tr("B") : tr("B (%1)").arg(QString::fromStdString(b->model.name));
    m_view->setComparison(b, tr("A"), nameB);
    m_status->setText(tr("A: %1 tokens · B: %2 tokens").arg(m_window->result() ? m_window->result()->tokens.size() : 0).arg(b->tokens.size()));
    m_save->setEnabled(true);
    emit comparisonShown();
}

void CompareWindow::saveImage()
{
    saveViewImage(*m_view, this, tr("Save Comparison"), QStringLiteral("compare.png"));
}

} // namespace attnviz
