#pragma once
// The Q/K/V pipeline: scaled dot-product attention drawn live for the selected layer and head, in
// one of two modes. "Matrices" shows every stage as its whole matrix, from X through W_Q/W_K/W_V,
// Q·Kᵀ, ÷√d_k, mask, softmax and ·V to concat and W_O (the default for lessons and small inputs);
// "Follow one query" shows the numbers of one query token's path (the default for real models).
// Both share colour scales per kind of stage, zoom (Ctrl+wheel, Ctrl+=, Ctrl+-, Ctrl+0) and a
// stage stepper (Next / Previous, "." and ","). The mode is remembered per kind of input.

#include "views/attentionview.h"
#include "views/pipeline/followquerypicture.h"
#include "views/pipeline/matricespicture.h"
#include "views/pipeline/pipelinestepper.h"
#include "state/selectionstate.h"

#include <optional>

class QToolButton;

namespace attnviz {

class PipelineView : public AttentionView
{
    Q_OBJECT
public:
    enum class Mode { Matrices, FollowQuery };

    explicit PipelineView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QString viewName() const override { return QStringLiteral("pipeline"); }

    Mode mode() const { return m_mode; }
    void setMode(Mode mode); // remembered (QSettings) for inputs of the shown kind
    // Lessons and small inputs (≤ 8 tokens, every side ≤ 16) default to matrices, the rest to following.
    bool showsSmallInput() const;
    static QString modeSettingsKey(bool smallInput);
    // The view's own keys (it must have the focus), one line each, for Help → Keyboard Shortcuts.
    static QStringList keyHelp();

    void zoomBy(int steps);
    void resetZoom();
    qreal zoom() const;

    const PipelineStepper& stepper() const { return m_stepper; }
    void nextStage();
    void previousStage();
    void showAllStages();
    int stageCount() const;
    QString stageExplanation() const; // of the stepper's stage, or how to step

    struct Fitted
    {
        std::optional<MatricesPicture> matrices;  // matrices mode
        std::optional<FollowQueryPicture> follow; // follow mode
        PipelineLayout layout; // the matrices' bands, or just the content size; unscaled
        qreal scale = 1.0; // applied around target's top-left: text scale × zoom, shrunk to fit when not zoomed
        bool empty() const { return !matrices && !follow; }
    };
    // The picture and its layout for `target`; empty when there is no capture.
    Fitted fit(const QRectF& target) const;
    // Where the follow picture starts, in unscaled coordinates.
    static QPointF followOrigin();

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resultChanged() override;

private:
    FollowQueryPicture followPicture(qreal height) const;
    MatricesPicture matricesPicture() const;
    void paintHeader(QPainter& painter, const Fitted& fitted, qreal width) const;
    void buildControls();
    void syncControls();
    void stepperChanged();

    Mode m_mode = Mode::Matrices;
    int m_zoomSteps = 0;
    PipelineStepper m_stepper;
    QToolButton* m_matricesButton = nullptr;
    QToolButton* m_followButton = nullptr;
    QToolButton* m_previousButton = nullptr;
    QToolButton* m_nextButton = nullptr;
    QToolButton* m_allButton = nullptr;
};

} // namespace attnviz
