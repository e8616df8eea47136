#pragma once
// The Q/K/V pipeline: scaled dot-product attention drawn live for the selected layer, head and
// query token, from X through W_Q/W_K/W_V, Q·Kᵀ, ÷√d_k, mask, softmax and ·V to concat and W_O.
// Each stage shows its actual matrix (numbers printed when cells are large enough); the selected
// query's row is outlined throughout; hovering a stage explains it.

#include "views/attentionview.h"
#include "views/pipeline/pipelinelayout.h"
#include "views/pipeline/pipelinestage.h"
#include "state/selectionstate.h"

namespace attnviz {

class PipelineView : public AttentionView
{
    Q_OBJECT
public:
    explicit PipelineView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QString viewName() const override { return QStringLiteral("pipeline"); }

    // How big each matrix cell is drawn and whether its number is printed.
    struct Cells
    {
        qreal width = 0.0;
        qreal height = 0.0;
        bool numbers = false;
    };
    struct Fitted
    {
        std::vector<PipelineColumn> columns;
        PipelineLayout layout; // in unscaled coordinates
        qreal scale = 1.0;     // applied around target's top-left so the whole picture fits
    };
    // The stages and their layout for `target`; empty columns when there is no capture.
    Fitted fit(const QRectF& target) const;
    // Where stage (column, stage)'s matrix is drawn within its box, and its cell size.
    QRectF matrixRect(const Fitted& fitted, int column, int stage) const;
    Cells cellsOf(const PipelineStage& stage) const;

protected:
    bool event(QEvent* event) override;

private:
    QSizeF stageSize(const PipelineStage& stage) const;
    qreal rowLabelWidth(const PipelineStage& stage) const;
    void paintStage(QPainter& painter, const PipelineStage& stage, const QRectF& box) const;
    void paintOperator(QPainter& painter, const QString& text, const QRectF& gap, qreal y) const;
    QString tokenLabel(int index, bool source) const;
};

} // namespace attnviz
