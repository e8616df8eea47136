#pragma once
// Exports many pictures of one view in one go: every head of a layer (or every layer × head) into
// a folder, one file each, or a multi-page PDF handout with one page per layer. Works on its own
// copy of the selection and its own off-screen view, so the window keeps showing the user's
// choice. Progress goes to a callback that can cancel (a QProgressDialog in the GUI, stderr in
// the CLI).

#include "export/exportoptions.h"
#include "state/selectionstate.h"

#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace attnviz {

class AttentionView;
struct AttentionResult;

// Called before each file or page: done so far, total, what comes next. Return false to cancel.
using ExportProgress = std::function<bool(int done, int total, const QString& next)>;
// The result to draw for (layer, head); lets the pipeline view re-run the model per head, since a
// result captures Q/K/V of one head only. Returns nullptr on failure.
using ResultProvider = std::function<std::shared_ptr<const AttentionResult>(int layer, int head)>;

struct BatchItem
{
    int layer = 0;
    int head = 0;
    QString fileName; // inside the target folder
};

struct BatchOutcome
{
    QStringList written; // full paths, in order
    bool cancelled = false;
    QString error; // empty unless something failed; files written before stay
    bool ok() const { return error.isEmpty() && !cancelled; }
};

// One picture of a handout page: the view paints a target of `size` logical pixels, scaled by
// `scale` (at most 1) so that it covers `cell`.
struct HandoutPicture
{
    QRectF cell;
    QSizeF size;
    double scale = 1.0;
};

class BatchExporter
{
public:
    BatchExporter(const QString& viewName, std::shared_ptr<const AttentionResult> result,
                  const SelectionState& selection);
    ~BatchExporter();
    BatchExporter(const BatchExporter&) = delete;
    BatchExporter& operator=(const BatchExporter&) = delete;

    bool isValid() const { return m_view != nullptr; } // false for an unknown view name
    void setResultProvider(ResultProvider provider) { m_provider = std::move(provider); }
    // On (default): each picture's title names its model, layer, head and mask; off: options.title.
    void setAutomaticTitles(bool on) { m_autoTitles = on; }

    // One item per head of `layer`, or of every layer when layer < 0.
    QList<BatchItem> plan(int layer, ExportFormat format) const;
    // The planned files that already exist in `dir` (to ask before overwriting).
    static QStringList existingFiles(const QString& dir, const QList<BatchItem>& items);
    // "heatmap-l0-h1.png": layer and head counted from 0, as attnviz-cli's --layer and --head.
    static QString fileName(const QString& viewName, int layer, int head, ExportFormat format);

    BatchOutcome exportFiles(const QString& dir, const ExportOptions& options, int layer,
                             const ExportProgress& progress = {});
    // One A4 landscape page per layer (one page for whole-model views); every page carries the
    // model, layer and sentence. Written only when complete.
    BatchOutcome exportHandout(const QString& pdfPath, const ExportOptions& options,
                               const ExportProgress& progress = {});

    AttentionView* view() const { return m_view.get(); }

    // Where the `count` pictures of one page go in `body`: the grid whose cells are largest for
    // the view's preferred shape. Each picture is laid out at its cell's size, so text keeps the
    // export's font size, and is shrunk only where the cell is smaller than `minimum`.
    static QList<HandoutPicture> handoutGrid(int count, const QSizeF& preferred, const QSizeF& minimum,
                                             const QRectF& body);

private:
    bool select(int layer, int head, bool singleHead);
    int layerCount() const;
    int headCount() const;

    QString m_viewName;
    std::shared_ptr<const AttentionResult> m_result;
    SelectionState m_original;  // the user's choice, restored before each item
    SelectionState m_selection; // what the off-screen view shows
    std::unique_ptr<AttentionView> m_view;
    ResultProvider m_provider;
    bool m_autoTitles = true;
};

} // namespace attnviz
