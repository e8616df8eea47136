#pragma once
// The "matrices" mode of the pipeline: every stage of the captured head as its whole matrix
// (numbers printed when the cells are large enough), in columns that wrap into bands, with the
// selected query's row outlined and shared colour scales per kind of stage. Unscaled
// coordinates; the view scales and places it.

#include "views/colormap.h"
#include "views/pipeline/pipelinelayout.h"
#include "views/pipeline/pipelinescales.h"
#include "views/pipeline/pipelinestage.h"
#include "views/pipeline/pipelinestepper.h"

#include <QPalette>

#include <vector>

class QPainter;

namespace attnviz {

class MatricesPicture
{
public:
    // How big each matrix cell is drawn and whether its number is printed.
    struct Cells
    {
        qreal width = 0.0;
        qreal height = 0.0;
        bool numbers = false;
    };

    // `result` must hold a pipeline capture and outlive the picture.
    MatricesPicture(const AttentionResult& result, int query, ColorMapKind probabilities, const QPalette& palette);

    // Every cell of a capture this small prints its number.
    static bool printsNumbers(const PipelineCapture& capture);

    const std::vector<PipelineColumn>& columns() const { return m_columns; }
    const PipelineScales& scales() const { return m_scales; }
    PipelineLayout layoutFor(qreal width) const;
    Cells cellsOf(const PipelineStage& stage) const;
    // Where stage (column, stage)'s matrix is drawn within its box.
    QRectF matrixRect(const PipelineLayout& layout, int column, int stage) const;
    // Draws the columns the stepper has revealed.
    void paint(QPainter& painter, const PipelineLayout& layout, const PipelineStepper& stepper) const;

private:
    qreal rowLabelWidth(const PipelineStage& stage) const;
    QSizeF stageSize(const PipelineStage& stage) const;
    void paintStage(QPainter& painter, const PipelineStage& stage, const QRectF& box) const;
    void paintOperator(QPainter& painter, const QString& text, const QRectF& gap, qreal y) const;

    const AttentionResult& m_result;
    int m_query = -1;
    QPalette m_palette;
    std::vector<PipelineColumn> m_columns;
    PipelineScales m_scales;
};

} // namespace attnviz
