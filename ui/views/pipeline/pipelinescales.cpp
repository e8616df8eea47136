#include "views/pipeline/pipelinescales.h"

#include "views/numberformat.h"
#include "views/vectorimage.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPalette>

#include <cmath>

namespace attnviz {

namespace {

constexpr qreal barWidth = 120.0;
constexpr qreal barHeight = 10.0;

QFont legendFont()
{
    QFont font;
    font.setPixelSize(10);
    return font;
}

QString rangeText(float r)
{
    return formatNumber(double(r), r < 10.0f ? 2 : (r < 100.0f ? 1 : 0));
}

} // namespace

void PipelineScales::cover(ScaleKind kind, float value)
{
    const float a = std::isfinite(value) ? std::abs(value) : 0.0f;
    switch (kind) {
    case ScaleKind::Vectors: vectors = std::max(vectors, a); break;
    case ScaleKind::Parameters: parameters = std::max(parameters, a); break;
    case ScaleKind::Scores: scores = std::max(scores, a); break;
    case ScaleKind::Stream: stream = std::max(stream, a); break;
    case ScaleKind::Probabilities: break;
    }
}

float PipelineScales::range(ScaleKind kind) const
{
    switch (kind) {
    case ScaleKind::Vectors: return vectors;
    case ScaleKind::Parameters: return parameters;
    case ScaleKind::Scores: return scores;
    case ScaleKind::Stream: return stream;
    case ScaleKind::Probabilities: return 1.0f;
    }
    return 1.0f;
}

QRgb PipelineScales::rgb(ScaleKind kind, float value) const
{
    if (kind == ScaleKind::Probabilities) return probabilities.rgb(double(value));
    const float r = range(kind);
    return ColorMap{ColorMapKind::Diverging}.rgb(0.5 + 0.5 * double(value) / double(r > 0.0f ? r : 1.0f));
}

QString PipelineScales::title(ScaleKind kind)
{
    switch (kind) {
    case ScaleKind::Vectors: return QCoreApplication::translate("PipelineScales", "vectors");
    case ScaleKind::Parameters: return QCoreApplication::translate("PipelineScales", "learned weights");
    case ScaleKind::Scores: return QCoreApplication::translate("PipelineScales", "scores and scaled scores");
    case ScaleKind::Probabilities: return QCoreApplication::translate("PipelineScales", "probabilities");
    case ScaleKind::Stream: return QCoreApplication::translate("PipelineScales", "residual stream");
    }
    return {};
}

qreal legendWidth(ScaleKind kind)
{
    return QFontMetricsF(legendFont()).horizontalAdvance(PipelineScales::title(kind)) + 6.0 + barWidth + 8.0;
}

qreal paintLegend(QPainter& painter, const QPalette& palette, const QRectF& area, const PipelineScales& scales,
                  ScaleKind kind)
{
    painter.save();
    painter.setFont(legendFont());
    const QFontMetricsF metrics(painter.font());
    const QString title = PipelineScales::title(kind);
    const qreal titleWidth = metrics.horizontalAdvance(title) + 6.0;
    painter.setPen(palette.color(QPalette::Text));
    painter.drawText(QRectF(area.left(), area.top(), titleWidth, barHeight), Qt::AlignLeft | Qt::AlignVCenter, title);
    const float r = scales.range(kind);
    const float low = kind == ScaleKind::Probabilities ? 0.0f : -r;
    QImage bar(64, 1, QImage::Format_RGB32);
    for (int x = 0; x < bar.width(); ++x)
        bar.setPixel(x, 0, scales.rgb(kind, low + (r - low) * float(x) / float(bar.width() - 1)));
    const QRectF barRect(area.left() + titleWidth, area.top(), barWidth, barHeight);
    drawCells(painter, barRect, bar, bar.rect()); // shapes, not a bitmap, in SVG and PDF
    painter.setPen(palette.color(QPalette::PlaceholderText));
    painter.drawRect(barRect);
    const QRectF labels(barRect.left(), barRect.bottom() + 1, barWidth, 12);
    painter.setPen(palette.color(QPalette::Text));
    painter.drawText(labels, Qt::AlignLeft | Qt::AlignTop,
                     kind == ScaleKind::Probabilities ? QStringLiteral("0") : QStringLiteral("−") + rangeText(r));
    painter.drawText(labels, Qt::AlignHCenter | Qt::AlignTop,
                     kind == ScaleKind::Probabilities ? QStringLiteral("0.5") : QStringLiteral("0"));
    painter.drawText(labels, Qt::AlignRight | Qt::AlignTop,
                     kind == ScaleKind::Probabilities ? QStringLiteral("1") : rangeText(r));
    painter.restore();
    return std::min(area.width(), titleWidth + barWidth + 8.0);
}

} // namespace attnviz
