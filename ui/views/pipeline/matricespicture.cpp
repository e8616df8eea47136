#include "views/pipeline/matricespicture.h"

#include "views/pipeline/pipelinepaint.h"
#include "views/vectorimage.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

constexpr qreal captionHeight = 34.0;
constexpr qreal maxMatrixExtent = 220.0; // wide matrices (d_model = 768) are squeezed to this

// The largest side of any matrix of the capture: decides whether numbers fit everywhere.
int maxDimension(const PipelineCapture& p)
{
    const HeadCapture& h = p.capture;
    Index n = 0;
    for (const Matrix* m : {&p.x, &p.source, &p.wq, &p.wk, &p.wv, &h.q, &h.k, &h.v, &h.scores, &h.output, &p.concat,
                            &p.wo, &p.output}) {
        n = std::max({n, m->rows(), m->cols()});
    }
    return int(n);
}

int tokenCount(const PipelineCapture& p)
{
    return int(std::max(p.capture.weights.rows(), p.capture.weights.cols()));
}

void coverAll(PipelineScales& scales, ScaleKind kind, const Matrix& m, const MaskMatrix* mask = nullptr)
{
    for (Index r = 0; r < m.rows(); ++r) {
        for (Index c = 0; c < m.cols(); ++c) {
            if (mask == nullptr || mask->size() == 0 || (*mask)(r, c) != 0) scales.cover(kind, m(r, c));
        }
    }
}

PipelineTokens rowTokens(const PipelineStage& stage)
{
    return stage.rowsAreKeys ? PipelineTokens::Keys : PipelineTokens::Queries;
}

} // namespace

MatricesPicture::MatricesPicture(const AttentionResult& result, int query, ColorMapKind probabilities,
                                 const QPalette& palette)
    : m_result(result), m_query(query), m_palette(palette)
{
    const PipelineCapture& p = *result.pipeline;
    const HeadCapture& h = p.capture;
    m_columns = buildPipelineColumns(p, pipelineAttendsToSource(result));
    m_scales.probabilities = ColorMap{probabilities};
    for (const Matrix* m : {&p.x, &p.source, &h.q, &h.k, &h.v, &h.output, &p.concat, &p.output})
        coverAll(m_scales, ScaleKind::Vectors, *m);
    for (const Matrix* m : {&p.wq, &p.wk, &p.wv, &p.wo}) coverAll(m_scales, ScaleKind::Parameters, *m);
    coverAll(m_scales, ScaleKind::Scores, h.scores, &h.mask);
    coverAll(m_scales, ScaleKind::Scores, h.scaled, &h.mask);
}

bool MatricesPicture::printsNumbers(const PipelineCapture& capture)
{
    return maxDimension(capture) <= 16;
}

MatricesPicture::Cells MatricesPicture::cellsOf(const PipelineStage& stage) const
{
    const auto& p = *m_result.pipeline;
    const int n = maxDimension(p);
    // Small lessons print every number; larger inputs become heatmaps whose cells shrink with T.
    if (n <= 10) return {42.0, 20.0, true};
    if (printsNumbers(p)) return {32.0, 16.0, true};
    const qreal c = std::clamp(std::floor(180.0 / std::max(1, tokenCount(p))), 3.0, 18.0);
    const auto rows = qreal(stage.matrix->rows()), cols = qreal(stage.matrix->cols());
    return {std::min(c, maxMatrixExtent / std::max(1.0, cols)), std::min(c, maxMatrixExtent / std::max(1.0, rows)),
            false};
}

qreal MatricesPicture::rowLabelWidth(const PipelineStage& stage) const
{
    if (!stage.rowLabels || cellsOf(stage).height < 9.0) return 0.0;
    const QFontMetricsF metrics(pipelineFont(10));
    qreal w = 0.0;
    for (Index r = 0; r < stage.matrix->rows(); ++r)
        w = std::max(w, metrics.horizontalAdvance(pipelineTokenLabel(m_result, int(r), rowTokens(stage))));
    return std::min(w + 6.0, 90.0);
}

QSizeF MatricesPicture::stageSize(const PipelineStage& stage) const
{
    const Cells c = cellsOf(stage);
    const QFontMetricsF title(pipelineFont(12, true));
    const QFontMetricsF shape(pipelineFont(10));
    const qreal matrixWidth = rowLabelWidth(stage) + c.width * qreal(stage.matrix->cols());
    return {std::max({matrixWidth, title.horizontalAdvance(stage.title), shape.horizontalAdvance(stage.shapeText())}),
            captionHeight + c.height * qreal(stage.matrix->rows())};
}

PipelineLayout MatricesPicture::layoutFor(qreal width) const
{
    std::vector<std::vector<QSizeF>> sizes;
    for (const auto& c : m_columns) {
        std::vector<QSizeF> column;
        for (const auto& s : c.stages) column.push_back(stageSize(s));
        sizes.push_back(std::move(column));
    }
    return PipelineLayout::compute(sizes, width);
}

QRectF MatricesPicture::matrixRect(const PipelineLayout& layout, int column, int stage) const
{
    const PipelineStage& s = m_columns[std::size_t(column)].stages[std::size_t(stage)];
    const QRectF box = layout.stages[std::size_t(column)][std::size_t(stage)];
    const Cells c = cellsOf(s);
    return {box.left() + rowLabelWidth(s), box.top() + captionHeight, c.width * qreal(s.matrix->cols()),
            c.height * qreal(s.matrix->rows())};
}

void MatricesPicture::paint(QPainter& painter, const PipelineLayout& layout, const PipelineStepper& stepper) const
{
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        if (!stepper.revealed(int(c))) break;
        const auto& column = m_columns[c];
        for (std::size_t s = 0; s < column.stages.size(); ++s) paintStage(painter, column.stages[s], layout.stages[c][s]);
        if (c == 0) continue;
        // One arrow per row when both columns stack the same number of stages (W_Q→Q, W_K→K, ...).
        const bool paired = m_columns[c - 1].stages.size() == column.stages.size() &&
                            layout.stages[c - 1][0].top() == layout.stages[c][0].top();
        const std::size_t arrows = paired ? column.stages.size() : 1;
        for (std::size_t s = 0; s < arrows; ++s) {
            paintOperator(painter, column.operatorText, layout.operators[c], matrixRect(layout, int(c), int(s)).center().y());
        }
    }
}

void MatricesPicture::paintStage(QPainter& painter, const PipelineStage& stage, const QRectF& box) const
{
    const Matrix& m = *stage.matrix;
    const Cells cells = cellsOf(stage);
    const qreal labelWidth = rowLabelWidth(stage);
    painter.setPen(m_palette.color(QPalette::Text));
    painter.setFont(pipelineFont(12, true));
    painter.drawText(QRectF(box.left(), box.top(), box.width() + 40, 16), Qt::AlignLeft | Qt::AlignVCenter, stage.title);
    painter.setFont(pipelineFont(10));
    painter.setPen(m_palette.color(QPalette::PlaceholderText));
    painter.drawText(QRectF(box.left(), box.top() + 15, box.width(), 14), Qt::AlignLeft | Qt::AlignVCenter,
                     stage.shapeText());

    const QRectF area(box.left() + labelWidth, box.top() + captionHeight, cells.width * qreal(m.cols()),
                      cells.height * qreal(m.rows()));
    if (m.size() == 0) return;
    auto blocked = [&](Index r, Index c) {
        return stage.kind == PipelineStage::Kind::Masked && stage.mask != nullptr && stage.mask->rows() == m.rows() &&
               stage.mask->cols() == m.cols() && (*stage.mask)(r, c) == 0;
    };
    QImage image(int(m.cols()), int(m.rows()), QImage::Format_RGB32);
    for (Index r = 0; r < m.rows(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(int(r)));
        for (Index c = 0; c < m.cols(); ++c)
            line[c] = blocked(r, c) ? qRgb(0x3a, 0x3a, 0x3a) : m_scales.rgb(stage.scale, m(r, c));
    }
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, cells.width < 1.0 || cells.height < 1.0);
    drawCells(painter, area, image, image.rect());
    painter.restore();

    if (cells.numbers) {
        painter.setFont(pipelineFont(cells.height >= 20 ? 10 : 8));
        for (Index r = 0; r < m.rows(); ++r) {
            for (Index c = 0; c < m.cols(); ++c) {
                const QRectF cell(area.left() + cells.width * qreal(c), area.top() + cells.height * qreal(r),
                                  cells.width, cells.height);
                painter.setPen(ColorMap::textColorOn(image.pixel(int(c), int(r))));
                painter.drawText(cell, Qt::AlignCenter, blocked(r, c) ? QStringLiteral("−∞") : pipelineNumber(m(r, c)));
            }
        }
        painter.setPen(QPen(m_palette.color(QPalette::Base), 1));
        for (Index c = 1; c < m.cols(); ++c) {
            const qreal x = area.left() + cells.width * qreal(c);
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        }
        for (Index r = 1; r < m.rows(); ++r) {
            const qreal y = area.top() + cells.height * qreal(r);
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        }
    }
    if (labelWidth > 0.0) {
        painter.setFont(pipelineFont(10));
        painter.setPen(m_palette.color(QPalette::Text));
        for (Index r = 0; r < m.rows(); ++r) {
            painter.drawText(QRectF(box.left(), area.top() + cells.height * qreal(r), labelWidth - 6, cells.height),
                             Qt::AlignRight | Qt::AlignVCenter, pipelineTokenLabel(m_result, int(r), rowTokens(stage)));
        }
    }
    if (stage.rowsAreQueries && m_query >= 0 && m_query < m.rows()) {
        const QRectF row(area.left(), area.top() + cells.height * m_query, area.width(), cells.height);
        painter.setPen(QPen(m_palette.color(QPalette::Highlight), 2.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(row.adjusted(-1.5, -1.5, 1.5, 1.5));
    }
}

void MatricesPicture::paintOperator(QPainter& painter, const QString& text, const QRectF& gap, qreal y) const
{
    paintArrow(painter, QPointF(gap.left() + 6, y), QPointF(gap.right() - 8, y), m_palette.color(QPalette::PlaceholderText));
    painter.setPen(m_palette.color(QPalette::Text));
    painter.setFont(pipelineFont(11, true));
    painter.drawText(QRectF(gap.left(), y - 20, gap.width(), 16), Qt::AlignCenter, text);
}

} // namespace attnviz
