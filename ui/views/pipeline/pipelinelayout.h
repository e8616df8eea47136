#pragma once
// Geometry of the Q/K/V pipeline: stages grouped in columns (one column may stack several stages,
// e.g. Q, K and V), columns flowing left to right with an operator gap before each, wrapping into
// a new band when the width runs out. Plain maths over box sizes, unit tested.

#include <QRectF>
#include <QSizeF>

#include <vector>

namespace attnviz {

struct PipelineLayout
{
    static constexpr qreal margin = 12.0;
    static constexpr qreal headerHeight = 92.0; // title, subtitle, the stepper's sentence, legends
    static constexpr qreal operatorGap = 64.0; // room for an arrow and its label ("÷√d_k")
    static constexpr qreal stageGap = 16.0;    // between stages stacked in one column
    static constexpr qreal bandGap = 24.0;

    struct StageIndex
    {
        int column = -1;
        int stage = -1;
        bool operator==(const StageIndex&) const = default;
    };

    std::vector<std::vector<QRectF>> stages; // [column][stage] box of each stage
    std::vector<QRectF> operators;           // [column] the gap before it (empty for column 0)
    QSizeF contentSize;                      // including margins and header

    // columns[c][s]: size of stage s of column c. Wraps within `width` into as few bands as fit,
    // with the columns spread evenly over them; a column wider than the whole width still gets a
    // band of its own.
    static PipelineLayout compute(const std::vector<std::vector<QSizeF>>& columns, qreal width);
    StageIndex stageAt(const QPointF& point) const;
    int bands() const;

private:
    // Fills each band as far as `width` allows.
    static PipelineLayout wrapped(const std::vector<std::vector<QSizeF>>& columns, qreal width);
};

} // namespace attnviz
