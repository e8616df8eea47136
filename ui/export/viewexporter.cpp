#include "export/viewexporter.h"

#include "views/attentionview.h"
#include "export/exportframe.h"
#include "export/safefilewriter.h"
#include "export/viewstylescope.h"

#include <QBuffer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMimeData>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QScreen>
#include <QSvgGenerator>

#include <cmath>

namespace attnviz {

int ViewExporter::logicalDpi()
{
    const QScreen* screen = QGuiApplication::primaryScreen();
    return screen != nullptr ? qRound(screen->logicalDotsPerInchY()) : 96;
}

QString ViewExporter::fileFilter()
{
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

QImage ViewExporter::renderImage(AttentionView& view, const ExportOptions& options)
{
    const ViewStyleScope style(view, options);
    const ExportFrame frame(view, options);
    const double ratio = options.pixelRatio();
    ExportOptions png = options;
    png.format = ExportFormat::Png;
    if (!png.pixelLimitError(frame.pageSize()).isEmpty())
        return {}; // a null image, as for a failed allocation, without QPainter's warnings
    QImage image(png.pixelSize(frame.pageSize()), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return {};
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        frame.paint(painter, view);
    }
    // The DPI is metadata for printing; set after painting so point-sized text keeps its layout.
    const double dpi = options.dpi > 0 ? options.dpi : logicalDpi() * ratio;
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    return image;
}

QByteArray ViewExporter::renderPng(AttentionView& view, const ExportOptions& options)
{
    ExportOptions png = options;
    png.format = ExportFormat::Png;
    const QImage image = renderImage(view, png);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray ViewExporter::renderSvg(AttentionView& view, const ExportOptions& options)
{
    const ViewStyleScope style(view, options);
    const ExportFrame frame(view, options);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(logicalDpi()); // text is laid out with screen metrics; keep the same scale
    svg.setSize(frame.pageSize().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), frame.pageSize()));
    svg.setTitle(options.title.isEmpty() ? view.viewName() : options.title);
    svg.setDescription(options.sentence);
    QPainter painter;
    if (!painter.begin(&svg))
        return {};
    frame.paint(painter, view);
    painter.end();
    return bytes;
}

void ViewExporter::preparePdf(QPagedPaintDevice& pdf, const QSizeF& pageSize)
{
    const double toPoints = 72.0 / logicalDpi();
    pdf.setPageSize(QPageSize(pageSize * toPoints, QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
}

QByteArray ViewExporter::renderPdf(AttentionView& view, const ExportOptions& options)
{
    const ViewStyleScope style(view, options);
    const ExportFrame frame(view, options);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setResolution(logicalDpi());
        pdf.setCreator(QStringLiteral("AttnViz"));
        pdf.setTitle(options.title.isEmpty() ? view.viewName() : options.title);
        preparePdf(pdf, frame.pageSize());
        QPainter painter;
        if (!painter.begin(&pdf))
            return {};
        // Page sizes are rounded to whole points; scale so the picture fills the page exactly.
        painter.scale(pdf.width() / frame.pageSize().width(), pdf.height() / frame.pageSize().height());
        frame.paint(painter, view);
        painter.end();
    }
    return bytes;
}

QByteArray ViewExporter::render(AttentionView& view, const ExportOptions& options)
{
    switch (options.format) {
    case ExportFormat::Png:
        return renderPng(view, options);
    case ExportFormat::Svg:
        return renderSvg(view, options);
    case ExportFormat::Pdf:
        return renderPdf(view, options);
    }
    return {};
}

QString ViewExporter::pixelLimitError(AttentionView& view, const ExportOptions& options)
{
    const ViewStyleScope style(view, options); // the frame's size depends on the font and bands
    const ExportFrame frame(view, options);
    return options.pixelLimitError(frame.pageSize());
}

QString ViewExporter::exportToFile(AttentionView& view, const ExportOptions& options, const QString& path)
{
    // Refuse before rendering: a big PDF should not be drawn only to be thrown away.
    if (QFileInfo::exists(path) && !options.overwrite)
        return SafeFileWriter::existsMessage(path);
    if (QString error = pixelLimitError(view, options); !error.isEmpty())
        return error;
    const QByteArray bytes = render(view, options);
    if (bytes.isEmpty())
        return QObject::tr("Could not render the %1 view").arg(view.viewName());
    return SafeFileWriter::write(path, bytes, options.overwrite);
}

QMimeData* ViewExporter::mimeData(AttentionView& view, const ExportOptions& options)
{
    auto* mime = new QMimeData;
    mime->setImageData(renderImage(view, options));
    mime->setData(QStringLiteral("image/svg+xml"), renderSvg(view, options));
    return mime;
}

} // namespace attnviz
