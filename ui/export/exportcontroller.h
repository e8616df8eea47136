#pragma once
// The GUI side of export, ready for the main window's menus: asks with ExportDialog and file
// dialogs, confirms before replacing files, shows progress with cancel for batches, reports
// failures in a message box and puts pictures on the clipboard (image + "image/svg+xml").

#include "export/batchexporter.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace attnviz {

class AttentionView;

class ExportController : public QObject
{
    Q_OBJECT
public:
    explicit ExportController(QWidget* window);

    // Optional: how to get a result for another (layer, head), so pipeline batches show each
    // head's own Q/K/V (e.g. run the model synchronously). Without it, batches reuse the result.
    void setResultProvider(ResultProvider provider) { m_provider = std::move(provider); }
    // Off for tests and scripted use: no dialogs; overwrite questions answer `overwrite`.
    void setInteractive(bool on, bool overwrite = false);

public slots:
    void exportView(attnviz::AttentionView* view);
    void exportBatch(attnviz::AttentionView* view);
    void exportData(attnviz::AttentionView* view);
    void copyToClipboard(attnviz::AttentionView* view);

signals:
    // "Saved heatmap.png" and the like, for the status bar.
    void exported(const QString& message);
    void failed(const QString& message);

private:
    bool canExport(const AttentionView* view);
    bool confirmOverwrite(const QStringList& existing);
    void report(const QString& error, const QString& success);
    QString startFolder() const;
    void rememberFolder(const QString& path) const;

    QPointer<QWidget> m_window;
    ResultProvider m_provider;
    bool m_interactive = true;
    bool m_overwrite = false;
};

} // namespace attnviz
