#include "views/pipeline/pipelineview.h"

#include "views/colormap.h"
#include "views/numberformat.h"
#include "views/vectorimage.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

constexpr qreal captionHeight = 34.0;
constexpr qreal maxMatrixExtent = 220.0; // wide matrices (d_model = 768) are squeezed to this

QFont pixelFont(int size, bool bold = false)
{
    QFont font;
    font.setPixelSize(size);
    font.setBold(bold);
    return font;
}

QString formatValue(float v)
{
    const float a = std::abs(v);
    return formatNumber(double(v), a < 10.0f ? 2 : (a < 100.0f ? 1 : 0));
}

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

} // namespace

PipelineView::PipelineView(SelectionState* selection, QWidget* parent) : AttentionView(selection, parent)
{
    connect(selection, &SelectionState::queryTokenChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::displayOptionsChanged, this, qOverload<>(&QWidget::update));
}

PipelineView::Cells PipelineView::cellsOf(const PipelineStage& stage) const
{
    const auto& p = *result()->pipeline;
    const int n = maxDimension(p);
    // Small lessons print every number; larger inputs become heatmaps whose cells shrink with T.
    if (n <= 10) return {42.0, 20.0, true};
    if (n <= 16) return {32.0, 16.0, true};
    const qreal c = std::clamp(std::floor(180.0 / std::max(1, tokenCount(p))), 3.0, 18.0);
    const auto rows = qreal(stage.matrix->rows()), cols = qreal(stage.matrix->cols());
    return {std::min(c, maxMatrixExtent / std::max(1.0, cols)), std::min(c, maxMatrixExtent / std::max(1.0, rows)),
            false};
}

QString PipelineView::tokenLabel(int index, bool source) const
{
    const auto& tokens = source ? result()->sourceTokens : result()->tokens;
    if (index < 0 || index >= int(tokens.size())) return QString::number(index);
    return QString::fromStdString(tokens[static_cast<std::size_t>(index)].display).trimmed();
}

qreal PipelineView::rowLabelWidth(const PipelineStage& stage) const
{
    if (!stage.rowLabels || cellsOf(stage).height < 9.0) return 0.0;
    const QFontMetricsF metrics(pixelFont(10));
    qreal w = 0.0;
    for (Index r = 0; r < stage.matrix->rows(); ++r) w = std::max(w, metrics.horizontalAdvance(tokenLabel(int(r), stage.rowsAreKeys)));
    return std::min(w + 6.0, 90.0);
}

QSizeF PipelineView::stageSize(const PipelineStage& stage) const
{
    const Cells c = cellsOf(stage);
    const QFontMetricsF title(pixelFont(12, true));
    const QFontMetricsF shape(pixelFont(10));
    const qreal matrixWidth = rowLabelWidth(stage) + c.width * qreal(stage.matrix->cols());
    return {std::max({matrixWidth, title.horizontalAdvance(stage.title), shape.horizontalAdvance(stage.shapeText())}),
            captionHeight + c.height * qreal(stage.matrix->rows())};
}

PipelineView::Fitted PipelineView::fit(const QRectF& target) const
{
    Fitted f;
    if (!result() || !result()->pipeline) return f;
    const PipelineCapture& p = *result()->pipeline;
    f.columns = buildPipelineColumns(p, !result()->sourceTokens.empty());
    std::vector<std::vector<QSizeF>> sizes;
    for (const auto& c : f.columns) {
        std::vector<QSizeF> column;
        for (const auto& s : c.stages) column.push_back(stageSize(s));
        sizes.push_back(std::move(column));
    }
    // Shrink until the wrapped picture fits the target's height, down to half size; below that
    // the picture is cut off rather than unreadable.
    for (f.scale = 1.0; f.scale >= 0.5; f.scale -= 0.05) {
        f.layout = PipelineLayout::compute(sizes, target.width() / f.scale);
        if (f.layout.contentSize.height() * f.scale <= target.height()) break;
    }
    f.scale = std::max(f.scale, 0.5);
    return f;
}

QRectF PipelineView::matrixRect(const Fitted& fitted, int column, int stage) const
{
    const PipelineStage& s = fitted.columns[std::size_t(column)].stages[std::size_t(stage)];
    const QRectF box = fitted.layout.stages[std::size_t(column)][std::size_t(stage)];
    const Cells c = cellsOf(s);
    return {box.left() + rowLabelWidth(s), box.top() + captionHeight, c.width * qreal(s.matrix->cols()),
            c.height * qreal(s.matrix->rows())};
}

void PipelineView::paint(QPainter& painter, const QRectF& target) const
{
    painter.save();
    painter.fillRect(target, palette().base());
    const Fitted f = fit(target);
    const SelectionState* sel = selection();
    if (f.columns.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.setFont(pixelFont(13));
        const bool recorded = result() && result()->model.recorded;
        painter.drawText(target.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
                         recorded ? tr("An attention file holds only the attention maps: the Q/K/V pipeline needs "
                                       "the model itself (open its checkpoint to see Q, K, V and the scores).")
                                  : tr("No Q/K/V capture for this result.\nSelect a layer and head; the pipeline is "
                                       "computed for the focused head when the model can provide it."));
        painter.restore();
        return;
    }
    painter.translate(target.topLeft());
    painter.scale(f.scale, f.scale);
    painter.setRenderHint(QPainter::Antialiasing);

    const PipelineCapture& p = *result()->pipeline;
    const int query = sel != nullptr ? sel->queryToken() : -1;
    painter.setPen(palette().color(QPalette::Text));
    painter.setFont(pixelFont(14, true));
    const QString queryText = query >= 0 ? tr("query “%1” (#%2)").arg(tokenLabel(query, false)).arg(query)
                                         : tr("select a token to follow its row");
    const qreal width = target.width() / f.scale;
    const QRectF header(PipelineLayout::margin, PipelineLayout::margin, width - 2 * PipelineLayout::margin, 20);
    painter.drawText(header, Qt::AlignLeft | Qt::AlignVCenter,
                     tr("Layer %1 · head %2 · %3").arg(p.layer).arg(p.head).arg(queryText));
    painter.setFont(pixelFont(11));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    QString sub = tr("d_k = %1").arg(p.capture.q.cols());
    if (!p.note.empty()) sub += QStringLiteral(" · ") + QString::fromStdString(p.note);
    painter.drawText(header.translated(0, 18), Qt::AlignLeft | Qt::AlignVCenter, sub);

    for (std::size_t c = 0; c < f.columns.size(); ++c) {
        const auto& column = f.columns[c];
        for (std::size_t s = 0; s < column.stages.size(); ++s) {
            paintStage(painter, column.stages[s], f.layout.stages[c][s]);
        }
        if (c == 0) continue;
        // One arrow per row when both columns stack the same number of stages (W_Q→Q, W_K→K, ...).
        const bool paired = f.columns[c - 1].stages.size() == column.stages.size() &&
                            f.layout.stages[c - 1][0].top() == f.layout.stages[c][0].top();
        const std::size_t arrows = paired ? column.stages.size() : 1;
        for (std::size_t s = 0; s < arrows; ++s) {
            paintOperator(painter, column.operatorText, f.layout.operators[c],
                          matrixRect(f, int(c), int(s)).center().y());
        }
    }
    painter.restore();
}

void PipelineView::paintStage(QPainter& painter, const PipelineStage& stage, const QRectF& box) const
{
    const Matrix& m = *stage.matrix;
    const Cells cells = cellsOf(stage);
    const qreal labelWidth = rowLabelWidth(stage);
    painter.setPen(palette().color(QPalette::Text));
    painter.setFont(pixelFont(12, true));
    painter.drawText(QRectF(box.left(), box.top(), box.width() + 40, 16), Qt::AlignLeft | Qt::AlignVCenter, stage.title);
    painter.setFont(pixelFont(10));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRectF(box.left(), box.top() + 15, box.width(), 14), Qt::AlignLeft | Qt::AlignVCenter,
                     stage.shapeText());

    const QRectF area(box.left() + labelWidth, box.top() + captionHeight, cells.width * qreal(m.cols()),
                      cells.height * qreal(m.rows()));
    if (m.size() == 0) return;
    // Signed stages share one symmetric scale per matrix so 0 is always the neutral colour.
    const ColorMap weightsMap{selection() != nullptr ? selection()->colorMap() : ColorMapKind::Viridis};
    const ColorMap signedMap{ColorMapKind::Diverging};
    float range = 0.0f;
    for (Index r = 0; r < m.rows(); ++r) {
        for (Index c = 0; c < m.cols(); ++c) {
            if (stage.mask == nullptr || (*stage.mask)(r, c) != 0) range = std::max(range, std::abs(m(r, c)));
        }
    }
    range = range > 0.0f ? range : 1.0f;
    auto blocked = [&](Index r, Index c) {
        return stage.kind == PipelineStage::Kind::Masked && stage.mask != nullptr && stage.mask->rows() == m.rows() &&
               stage.mask->cols() == m.cols() && (*stage.mask)(r, c) == 0;
    };
    QImage image(int(m.cols()), int(m.rows()), QImage::Format_RGB32);
    for (Index r = 0; r < m.rows(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(int(r)));
        for (Index c = 0; c < m.cols(); ++c) {
            if (blocked(r, c)) line[c] = qRgb(0x3a, 0x3a, 0x3a);
            else if (stage.kind == PipelineStage::Kind::Weights) line[c] = weightsMap.rgb(m(r, c));
            else line[c] = signedMap.rgb(0.5 + 0.5 * double(m(r, c)) / double(range));
        }
    }
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, cells.width < 1.0 || cells.height < 1.0);
    drawCells(painter, area, image, image.rect());
    painter.restore();

    if (cells.numbers) {
        painter.setFont(pixelFont(cells.height >= 20 ? 10 : 8));
        for (Index r = 0; r < m.rows(); ++r) {
            for (Index c = 0; c < m.cols(); ++c) {
                const QRectF cell(area.left() + cells.width * qreal(c), area.top() + cells.height * qreal(r),
                                  cells.width, cells.height);
                painter.setPen(ColorMap::textColorOn(image.pixel(int(c), int(r))));
                painter.drawText(cell, Qt::AlignCenter, blocked(r, c) ? QStringLiteral("−∞") : formatValue(m(r, c)));
            }
        }
        painter.setPen(QPen(palette().color(QPalette::Base), 1));
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
        painter.setFont(pixelFont(10));
        painter.setPen(palette().color(QPalette::Text));
        for (Index r = 0; r < m.rows(); ++r) {
            painter.drawText(QRectF(box.left(), area.top() + cells.height * qreal(r), labelWidth - 6, cells.height),
                             Qt::AlignRight | Qt::AlignVCenter, tokenLabel(int(r), stage.rowsAreKeys));
        }
    }
    const int query = selection() != nullptr ? selection()->queryToken() : -1;
    if (stage.rowsAreQueries && query >= 0 && query < m.rows()) {
        const QRectF row(area.left(), area.top() + cells.height * query, area.width(), cells.height);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(row.adjusted(-1.5, -1.5, 1.5, 1.5));
    }
}

void PipelineView::paintOperator(QPainter& painter, const QString& text, const QRectF& gap, qreal y) const
{
    const QColor ink = palette().color(QPalette::PlaceholderText);
    const qreal left = gap.left() + 6, right = gap.right() - 8;
    painter.setPen(QPen(ink, 1.5));
    painter.drawLine(QPointF(left, y), QPointF(right, y));
    QPainterPath head;
    head.moveTo(right + 6, y);
    head.lineTo(right - 2, y - 4.5);
    head.lineTo(right - 2, y + 4.5);
    head.closeSubpath();
    painter.fillPath(head, ink);
    painter.setPen(palette().color(QPalette::Text));
    painter.setFont(pixelFont(11, true));
    painter.drawText(QRectF(gap.left(), y - 20, gap.width(), 16), Qt::AlignCenter, text);
}

QSizeF PipelineView::preferredExportSize() const
{
    const Fitted f = fit(QRectF(0, 0, 1400, 1e6));
    if (f.columns.empty()) return {800.0, 300.0};
    return f.layout.contentSize;
}

bool PipelineView::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip) return AttentionView::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const Fitted f = fit(QRectF(rect()));
    const auto hit = f.layout.stageAt(QPointF(help->pos()) / f.scale);
    if (hit.column < 0) {
        QToolTip::hideText();
        return true;
    }
    const PipelineStage& s = f.columns[std::size_t(hit.column)].stages[std::size_t(hit.stage)];
    QToolTip::showText(help->globalPos(), QStringLiteral("<b>%1</b> %2<br>%3").arg(s.title, s.shapeText(), s.explanation),
                       this);
    return true;
}

} // namespace attnviz
