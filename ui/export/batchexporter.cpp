#include "export/batchexporter.h"

#include "views/attentionview.h"
#include "export/exportframe.h"
#include "export/safefilewriter.h"
#include "export/selectioncopy.h"
#include "export/viewexporter.h"
#include "views/viewfactory.h"
#include "export/viewstylescope.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

constexpr double kMargin = 18.0;

struct Grid
{
    int cols = 1;
    int rows = 1;
    double scale = 1.0;
};

// The column count that shows `count` pictures of `picture` size largest inside `body`.
Grid bestGrid(int count, const QSizeF& picture, const QSizeF& body)
{
    Grid best;
    best.scale = 0;
    for (int cols = 1; cols <= std::max(1, count); ++cols) {
        const int rows = (count + cols - 1) / cols;
        const double s = std::min(body.width() / cols / picture.width(), body.height() / rows / picture.height());
        if (s > best.scale)
            best = Grid{cols, rows, s};
    }
    return best;
}

} // namespace

QList<HandoutPicture> BatchExporter::handoutGrid(int count, const QSizeF& preferred, const QSizeF& minimum,
                                                 const QRectF& body)
{
    const QSizeF smallest = minimum.expandedTo(QSizeF(200, 150));
    const Grid grid = bestGrid(count, preferred.expandedTo(smallest), body.size());
    const QSizeF cell(body.width() / grid.cols, body.height() / grid.rows);
    const double scale = std::min({1.0, cell.width() / smallest.width(), cell.height() / smallest.height()});
    QList<HandoutPicture> pictures;
    for (int i = 0; i < count; ++i) {
        const QPointF origin(body.left() + (i % grid.cols) * cell.width(), body.top() + (i / grid.cols) * cell.height());
        pictures.append({QRectF(origin, cell), cell / scale, scale});
    }
    return pictures;
}

BatchExporter::BatchExporter(const QString& viewName, std::shared_ptr<const AttentionResult> result,
                             const SelectionState& selection)
    : m_viewName(viewName), m_result(std::move(result))
{
    SelectionCopy::copy(selection, m_original);
    SelectionCopy::copy(selection, m_selection);
    m_view = ViewFactory::create(viewName, &m_selection);
    if (m_view)
        m_view->setResult(m_result);
}

BatchExporter::~BatchExporter() = default;

int BatchExporter::layerCount() const
{
    return m_original.layerCount();
}

int BatchExporter::headCount() const
{
    return m_original.headCount();
}

QString BatchExporter::fileName(const QString& viewName, int layer, int head, ExportFormat format)
{
    return QStringLiteral("%1-l%2-h%3.%4").arg(viewName).arg(layer).arg(head).arg(ExportOptions::suffix(format));
}

QList<BatchItem> BatchExporter::plan(int layer, ExportFormat format) const
{
    QList<BatchItem> items;
    const int first = layer < 0 ? 0 : layer;
    const int last = layer < 0 ? layerCount() - 1 : std::min(layer, layerCount() - 1);
    for (int l = first; l <= last; ++l) {
        for (int h = 0; h < headCount(); ++h)
            items.append({l, h, fileName(m_viewName, l, h, format)});
    }
    return items;
}

QStringList BatchExporter::existingFiles(const QString& dir, const QList<BatchItem>& items)
{
    QStringList existing;
    for (const BatchItem& item : items) {
        const QString path = QDir(dir).filePath(item.fileName);
        if (QFileInfo::exists(path))
            existing << path;
    }
    return existing;
}

bool BatchExporter::select(int layer, int head, bool singleHead)
{
    if (m_provider) {
        auto result = m_provider(layer, head < 0 ? m_original.head() : head);
        if (!result)
            return false;
        m_result = std::move(result);
    }
    // Start from the user's choice each time, then narrow it to this picture.
    SelectionCopy::copy(m_original, m_selection);
    SelectionCopy::shapeFromResult(*m_result, m_selection);
    m_selection.setLayer(layer);
    if (head >= 0)
        m_selection.setHead(head);
    if (singleHead && head >= 0) {
        m_selection.setMeanOfHeads(false);
        // Views that draw every enabled head at once (arcs) show just this one.
        if (ViewFactory::scope(m_viewName) == ViewFactory::Scope::Layer) {
            for (int h = 0; h < m_selection.headCount(); ++h)
                m_selection.setHeadEnabled(h, h == head);
        }
    }
    m_view->setResult(m_result);
    return true;
}

BatchOutcome BatchExporter::exportFiles(const QString& dir, const ExportOptions& options, int layer,
                                        const ExportProgress& progress)
{
    BatchOutcome outcome;
    if (!m_view) {
        outcome.error = QObject::tr("Unknown view \"%1\"").arg(m_viewName);
        return outcome;
    }
    if (layer >= layerCount()) {
        outcome.error = QObject::tr("Layer %1 does not exist: the model has %2 layer(s)").arg(layer).arg(layerCount());
        return outcome;
    }
    outcome.error = SafeFileWriter::ensureDirectory(dir);
    if (!outcome.error.isEmpty())
        return outcome;
    const QList<BatchItem> items = plan(layer, options.format);
    if (!options.overwrite) {
        // All or nothing: refuse before the first file rather than stopping halfway.
        const QStringList existing = existingFiles(dir, items);
        if (!existing.isEmpty()) {
            outcome.error = SafeFileWriter::existsMessage(existing.front());
            return outcome;
        }
    }
    for (int i = 0; i < items.size(); ++i) {
        const BatchItem& item = items[i];
        if (progress && !progress(i, int(items.size()), item.fileName)) {
            outcome.cancelled = true;
            return outcome;
        }
        if (!select(item.layer, item.head, true)) {
            outcome.error = QObject::tr("Could not compute layer %1, head %2").arg(item.layer).arg(item.head);
            return outcome;
        }
        ExportOptions o = options;
        if (m_autoTitles)
            o.title = ExportOptions::defaultTitle(*m_result, m_selection, m_viewName);
        const QString path = QDir(dir).filePath(item.fileName);
        outcome.error = ViewExporter::exportToFile(*m_view, o, path);
        if (!outcome.error.isEmpty())
            return outcome;
        outcome.written << path;
    }
    if (progress)
        progress(int(items.size()), int(items.size()), QString());
    return outcome;
}

BatchOutcome BatchExporter::exportHandout(const QString& pdfPath, const ExportOptions& options,
                                          const ExportProgress& progress)
{
    BatchOutcome outcome;
    if (!m_view) {
        outcome.error = QObject::tr("Unknown view \"%1\"").arg(m_viewName);
        return outcome;
    }
    if (QFileInfo::exists(pdfPath) && !options.overwrite) {
        outcome.error = SafeFileWriter::existsMessage(pdfPath);
        return outcome;
    }
    const ViewFactory::Scope scope = ViewFactory::scope(m_viewName);
    const int pages = scope == ViewFactory::Scope::Model ? 1 : std::max(1, layerCount());
    const QSizeF page(1123, 794); // A4 landscape at 96 logical dpi
    const ViewStyleScope style(*m_view, options);
    m_view->setShowsTitle(true); // the page header names the layer, each picture its head

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buffer);
    pdf.setResolution(ViewExporter::logicalDpi());
    pdf.setCreator(QStringLiteral("AttnViz"));
    pdf.setTitle(QString::fromStdString(m_result->model.name));
    ViewExporter::preparePdf(pdf, page);
    QPainter painter;
    if (!painter.begin(&pdf)) {
        outcome.error = QObject::tr("Could not start the PDF %1").arg(QDir::toNativeSeparators(pdfPath));
        return outcome;
    }
    painter.scale(pdf.width() / page.width(), pdf.height() / page.height());
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);

    for (int p = 0; p < pages; ++p) {
        if (progress && !progress(p, pages, QObject::tr("page %1 of %2").arg(p + 1).arg(pages))) {
            painter.end();
            outcome.cancelled = true; // nothing written: a handout is one file
            return outcome;
        }
        if (p > 0)
            pdf.newPage();
        const int layer = std::min(p, std::max(0, layerCount() - 1));
        if (!select(layer, -1, false)) {
            painter.end();
            outcome.error = QObject::tr("Could not compute layer %1").arg(layer);
            return outcome;
        }
        ExportOptions header = options;
        QStringList title{QString::fromStdString(m_result->model.name)};
        if (scope != ViewFactory::Scope::Model)
            title << QObject::tr("layer %1").arg(layer);
        title << QObject::tr("page %1 of %2").arg(p + 1).arg(pages);
        header.title = title.join(QStringLiteral(" · "));
        if (header.sentence.isEmpty())
            header.sentence = ExportOptions::defaultSentence(*m_result);
        if (!options.transparent)
            painter.fillRect(QRectF(QPointF(0, 0), page), ViewStyleScope::palette(options.theme).color(QPalette::Base));
        const double headerHeight = ExportFrame::headerHeight(header, m_view->font(), page.width());
        ExportFrame::paintHeader(painter, QRectF(0, 0, page.width(), headerHeight), header, m_view->font());

        const QRectF body(kMargin, headerHeight + kMargin / 2, page.width() - 2 * kMargin,
                          page.height() - headerHeight - kMargin * 1.5);
        const int pictures = scope == ViewFactory::Scope::Head ? headCount() : 1;
        for (int i = 0; i < pictures; ++i) {
            if (scope == ViewFactory::Scope::Head && !select(layer, i, true)) {
                painter.end();
                outcome.error = QObject::tr("Could not compute layer %1, head %2").arg(layer).arg(i);
                return outcome;
            }
            const HandoutPicture picture =
                handoutGrid(pictures, m_view->preferredExportSize(), m_view->minimumExportSize(), body).at(i);
            // Text stays vector in the PDF, at the export's size unless the cell is too small.
            painter.save();
            painter.translate(picture.cell.topLeft());
            painter.scale(picture.scale, picture.scale);
            const QRectF target(QPointF(0, 0), picture.size);
            painter.setClipRect(target);
            m_view->paint(painter, target);
            painter.restore();
        }
    }
    if (progress)
        progress(pages, pages, QString());
    painter.end();
    outcome.error = SafeFileWriter::write(pdfPath, bytes, options.overwrite);
    if (outcome.error.isEmpty())
        outcome.written << pdfPath;
    return outcome;
}

} // namespace attnviz
