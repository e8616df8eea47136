#pragma once
// Renders any AttentionView through its paint() into PNG (1×–4× or a chosen DPI, optionally
// transparent), SVG (vector: cells as shapes, labels as text) or PDF (vector), framed by
// ExportFrame (header band, legend) in the chosen theme and font size. Files are written
// atomically and never replace an existing file unless the options allow it.

#include "export/exportoptions.h"

#include <QByteArray>
#include <QImage>
#include <QString>

class QMimeData;
class QPainter;
class QPagedPaintDevice;

namespace attnviz {

class AttentionView;

class ViewExporter
{
public:
    // The framed picture as an image (PNG pixels, clipboard); null when over ExportOptions::maxPixels.
    static QImage renderImage(AttentionView& view, const ExportOptions& options);
    // The file contents in options.format.
    static QByteArray render(AttentionView& view, const ExportOptions& options);
    static QByteArray renderPng(AttentionView& view, const ExportOptions& options);
    static QByteArray renderSvg(AttentionView& view, const ExportOptions& options);
    static QByteArray renderPdf(AttentionView& view, const ExportOptions& options);

    // ExportOptions::pixelLimitError for this view's framed picture: empty when it may be drawn.
    static QString pixelLimitError(AttentionView& view, const ExportOptions& options);
    // Renders and writes `path` (format from options.format). Empty on success, else a message.
    static QString exportToFile(AttentionView& view, const ExportOptions& options, const QString& path);

    // Image and SVG ("image/svg+xml") of the view, for the clipboard. The caller owns the result.
    static QMimeData* mimeData(AttentionView& view, const ExportOptions& options);

    // Logical dots per inch of text layout; SVG and PDF use it so text matches the screen metrics.
    static int logicalDpi();
    // Sets up a PDF writer for pages of `pageSize` logical pixels (vector, no margins).
    static void preparePdf(QPagedPaintDevice& pdf, const QSizeF& pageSize);
    static QString fileFilter(); // "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
};

} // namespace attnviz
