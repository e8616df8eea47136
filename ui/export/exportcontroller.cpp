#include "export/exportcontroller.h"

#include "views/attentionview.h"
#include "export/dataexporter.h"
#include "export/exportdialog.h"
#include "state/selectionstate.h"
#include "export/viewexporter.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>

namespace attnviz {

namespace {
const QString kFolderKey = QStringLiteral("export/folder");
} // namespace

ExportController::ExportController(QWidget* window) : QObject(window), m_window(window) {}

void ExportController::setInteractive(bool on, bool overwrite)
{
    m_interactive = on;
    m_overwrite = overwrite;
}

bool ExportController::canExport(const AttentionView* view)
{
    if (view != nullptr && view->result() && !view->result()->stacks.empty())
        return true;
    report(tr("Nothing to export yet: run a model first."), QString());
    return false;
}

QString ExportController::startFolder() const
{
    const QString saved = QSettings().value(kFolderKey).toString();
    if (!saved.isEmpty() && QFileInfo(saved).isDir())
        return saved;
    return QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
}

void ExportController::rememberFolder(const QString& path) const
{
    const QFileInfo info(path);
    QSettings().setValue(kFolderKey, info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

bool ExportController::confirmOverwrite(const QStringList& existing)
{
    if (existing.isEmpty())
        return true;
    if (!m_interactive)
        return m_overwrite;
    const QString text =
        existing.size() == 1
            ? tr("%1 already exists. Replace it?").arg(QDir::toNativeSeparators(existing.front()))
            : tr("%n file(s) already exist, for example %1. Replace them?", nullptr, int(existing.size()))
                  .arg(QDir::toNativeSeparators(existing.front()));
    return QMessageBox::question(m_window, tr("Replace Files?"), text, QMessageBox::Yes | QMessageBox::No,
                                 QMessageBox::No) == QMessageBox::Yes;
}

void ExportController::report(const QString& error, const QString& success)
{
    if (!error.isEmpty()) {
        emit failed(error);
        if (m_interactive)
            QMessageBox::warning(m_window, tr("Export Failed"), error);
        return;
    }
    if (!success.isEmpty())
        emit exported(success);
}

void ExportController::exportView(AttentionView* view)
{
    if (!canExport(view))
        return;
    const AttentionResult& result = *view->result();
    ExportOptions options = ExportDialog::savedOptions();
    options.title = ExportOptions::defaultTitle(result, *view->selection(), view->viewName());
    options.sentence = ExportOptions::defaultSentence(result);
    ExportDialog dialog(ExportDialog::Mode::View, m_window);
    dialog.setOptions(options);
    if (dialog.exec() != QDialog::Accepted)
        return;
    options = dialog.options();

    const QString suggested =
        QDir(startFolder()).filePath(view->viewName() + QLatin1Char('.') + ExportOptions::suffix(options.format));
    // Replacing is asked below, with the same wording for every export path.
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export View"), suggested, ViewExporter::fileFilter(),
                                                nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (const auto chosen = ExportOptions::formatForPath(path)) {
        options.format = *chosen; // the file name wins over the dialog
    } else {
        path += QLatin1Char('.') + ExportOptions::suffix(options.format);
    }
    rememberFolder(path);
    if (QFileInfo::exists(path) && !confirmOverwrite({path}))
        return;
    options.overwrite = true; // asked (or new)
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const QString error = ViewExporter::exportToFile(*view, options, path);
    QApplication::restoreOverrideCursor();
    report(error, tr("Saved %1").arg(QDir::toNativeSeparators(path)));
}

void ExportController::exportBatch(AttentionView* view)
{
    if (!canExport(view) || view->selection() == nullptr)
        return;
    const SelectionState& selection = *view->selection();
    ExportDialog dialog(ExportDialog::Mode::Batch, m_window);
    ExportOptions options = ExportDialog::savedOptions();
    options.sentence = ExportOptions::defaultSentence(*view->result());
    dialog.setOptions(options);
    dialog.setLayerName(tr("layer %1").arg(selection.layer()));
    if (dialog.exec() != QDialog::Accepted)
        return;
    options = dialog.options();

    BatchExporter batch(view->viewName(), view->result(), selection);
    batch.setAutomaticTitles(dialog.automaticTitles());
    if (m_provider)
        batch.setResultProvider(m_provider);
    const bool handout = dialog.batchScope() == ExportDialog::BatchScope::Handout;
    QString target;
    if (handout) {
        target = QFileDialog::getSaveFileName(
            m_window, tr("Save Handout"),
            QDir(startFolder()).filePath(view->viewName() + QStringLiteral("-handout.pdf")), tr("PDF document (*.pdf)"),
            nullptr, QFileDialog::DontConfirmOverwrite);
        if (target.isEmpty())
            return;
        if (!target.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
            target += QStringLiteral(".pdf");
        if (QFileInfo::exists(target) && !confirmOverwrite({target}))
            return;
    } else {
        target = QFileDialog::getExistingDirectory(m_window, tr("Export All Heads Into"), startFolder());
        if (target.isEmpty())
            return;
        const int layer = dialog.batchScope() == ExportDialog::BatchScope::LayerHeads ? selection.layer() : -1;
        if (!confirmOverwrite(BatchExporter::existingFiles(target, batch.plan(layer, options.format))))
            return;
    }
    rememberFolder(target);
    options.overwrite = true; // asked above

    QProgressDialog progress(tr("Exporting…"), tr("Cancel"), 0, 1, m_window);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    const ExportProgress onProgress = [&progress](int done, int total, const QString& next) {
        progress.setMaximum(total);
        progress.setValue(done);
        if (!next.isEmpty())
            progress.setLabelText(tr("Exporting %1…").arg(next));
        QCoreApplication::processEvents(); // painting happens on this thread; keep Cancel responsive
        return !progress.wasCanceled();
    };
    const BatchOutcome outcome =
        handout
            ? batch.exportHandout(target, options, onProgress)
            : batch.exportFiles(target, options,
                                dialog.batchScope() == ExportDialog::BatchScope::LayerHeads ? selection.layer() : -1,
                                onProgress);
    progress.reset();
    if (outcome.cancelled) {
        emit exported(tr("Export cancelled after %n file(s)", nullptr, int(outcome.written.size())));
        return;
    }
    report(
        outcome.error,
        handout
            ? tr("Saved %1").arg(QDir::toNativeSeparators(target))
            : tr("Saved %n file(s) in %1", nullptr, int(outcome.written.size())).arg(QDir::toNativeSeparators(target)));
}

void ExportController::exportData(AttentionView* view)
{
    if (!canExport(view))
        return;
    const AttentionResult& result = *view->result();
    bool pipeline = false;
    if (view->viewName() == QLatin1String("pipeline") && result.pipeline && m_interactive) {
        QMessageBox ask(QMessageBox::Question, tr("Export Data"), tr("Which numbers should be exported?"),
                        QMessageBox::Cancel, m_window);
        QPushButton* qkv = ask.addButton(tr("Q, K, V and scores of this head"), QMessageBox::AcceptRole);
        ask.addButton(tr("Attention weights of every head"), QMessageBox::AcceptRole);
        if (ask.exec() == QMessageBox::Cancel)
            return;
        pipeline = ask.clickedButton() == qkv;
    }
    QString filter;
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export Data"),
                                                QDir(startFolder()).filePath(QStringLiteral("attention.csv")),
                                                DataExporter::fileFilter(), &filter, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (!DataExporter::formatForPath(path)) {
        // No suffix typed: take it from the chosen filter.
        path += filter.contains(QLatin1String("npy"))    ? QStringLiteral(".npy")
                : filter.contains(QLatin1String("json")) ? QStringLiteral(".json")
                                                         : QStringLiteral(".csv");
    }
    const DataFormat format = *DataExporter::formatForPath(path);
    rememberFolder(path);
    QStringList existing;
    for (const QString& p : DataExporter::plannedPaths(result, path, format, pipeline)) {
        if (QFileInfo::exists(p))
            existing << p;
    }
    if (!confirmOverwrite(existing))
        return;
    const int stack = view->selection() != nullptr ? view->selection()->stack() : 0;
    report(DataExporter::exportToFile(result, path, format, pipeline, true, stack),
           tr("Saved %1").arg(QDir::toNativeSeparators(path)));
}

void ExportController::copyToClipboard(AttentionView* view)
{
    if (!canExport(view))
        return;
    ExportOptions options = ExportDialog::savedOptions();
    options.format = ExportFormat::Png;
    options.title = ExportOptions::defaultTitle(*view->result(), *view->selection(), view->viewName());
    options.sentence = ExportOptions::defaultSentence(*view->result());
    if (const QString error = ViewExporter::pixelLimitError(*view, options); !error.isEmpty()) {
        report(error, QString());
        return;
    }
    QApplication::clipboard()->setMimeData(ViewExporter::mimeData(*view, options));
    emit exported(tr("Copied the %1 view (image and SVG)").arg(view->viewName()));
}

} // namespace attnviz
