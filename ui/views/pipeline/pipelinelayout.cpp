#include "views/pipeline/pipelinelayout.h"

#include <algorithm>

namespace attnviz {

PipelineLayout PipelineLayout::compute(const std::vector<std::vector<QSizeF>>& columns, qreal width)
{
    // Wrapping at the full width can leave a last band of one or two columns (an orphan row); the
    // narrowest width that needs no more bands spreads the columns evenly over them instead.
    const PipelineLayout full = wrapped(columns, width);
    qreal low = 0.0, high = width;
    for (int step = 0; step < 24 && high - low > 1.0; ++step) {
        const qreal mid = (low + high) / 2;
        (wrapped(columns, mid).bands() == full.bands() ? high : low) = mid;
    }
    return high < width ? wrapped(columns, high) : full;
}

int PipelineLayout::bands() const
{
    int count = 0;
    qreal lastTop = -1.0;
    for (const auto& column : stages) {
        if (!column.empty() && column.front().top() > lastTop) {
            ++count;
            lastTop = column.front().top();
        }
    }
    return count;
}

PipelineLayout PipelineLayout::wrapped(const std::vector<std::vector<QSizeF>>& columns, qreal width)
{
    PipelineLayout layout;
    qreal x = margin;
    qreal bandTop = margin + headerHeight;
    qreal bandHeight = 0.0;
    qreal right = 0.0;
    bool bandEmpty = true;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        qreal columnWidth = 0.0, columnHeight = 0.0;
        for (const QSizeF& s : columns[c]) {
            columnWidth = std::max(columnWidth, s.width());
            columnHeight += s.height();
        }
        columnHeight += stageGap * std::max<qreal>(0.0, qreal(columns[c].size()) - 1);
        const qreal gap = c == 0 ? 0.0 : operatorGap;
        if (!bandEmpty && x + gap + columnWidth > width - margin) {
            // Wrap: the operator gap moves to the start of the new band so the flow reads on.
            bandTop += bandHeight + bandGap;
            bandHeight = 0.0;
            x = margin;
        }
        layout.operators.push_back(gap > 0.0 ? QRectF(x, bandTop, gap, columnHeight) : QRectF());
        x += gap;
        std::vector<QRectF> rects;
        qreal y = bandTop;
        for (const QSizeF& s : columns[c]) {
            rects.emplace_back(QPointF(x, y), s);
            y += s.height() + stageGap;
        }
        layout.stages.push_back(std::move(rects));
        x += columnWidth;
        right = std::max(right, x);
        bandHeight = std::max(bandHeight, columnHeight);
        bandEmpty = false;
    }
    layout.contentSize = QSizeF(right + margin, bandTop + bandHeight + margin);
    return layout;
}

PipelineLayout::StageIndex PipelineLayout::stageAt(const QPointF& point) const
{
    for (std::size_t c = 0; c < stages.size(); ++c) {
        for (std::size_t s = 0; s < stages[c].size(); ++s) {
            if (stages[c][s].contains(point)) return {int(c), int(s)};
        }
    }
    return {};
}

} // namespace attnviz
