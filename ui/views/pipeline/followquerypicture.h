#pragma once
// "Follow one query" drawn: x_i ·W_Q→ q_i on top, then one row per shown key j (k_j entering
// Q·Kᵀ, q_i·k_jᵀ, ÷√d_k, the mask, softmax a_ij, v_j entering ·V, a_ij·v_j and its share), then
// Σ_j a_ij·v_j = o_i and what the model predicts. Unscaled coordinates from (0, 0); the view
// scales and places it. Stages not yet revealed by the stepper keep their room, so nothing moves.

#include "engine/readouts.h"
#include "views/pipeline/followedquery.h"
#include "views/pipeline/pipelinescales.h"

#include <QPalette>
#include <QRectF>
#include <QStringList>

#include <vector>

class QPainter;

namespace attnviz {

class FollowQueryPicture
{
public:
    enum Stage { Input, Query, Keys, Scores, Scaled, Mask, Softmax, Values, Sum, Residual, Mlp, Predictions, StageCount };

    static constexpr qreal cellWidth = 40.0;
    static constexpr qreal cellHeight = 20.0;
    static constexpr qreal rowHeight = 22.0;
    static constexpr qreal gapRowHeight = 18.0;

    struct Inputs
    {
        FollowedQuery followed;
        QString queryLabel;
        QStringList keyLabels;              // one per key
        bool scaledByRootDk = true;
        const std::vector<Prediction>* predictions = nullptr; // top-k read at the followed token, if any
        QString predictionTitle;            // "Next token after “tired”"
        QString predictionNote;             // said instead when there is no prediction to show
        PipelineScales scales;              // probabilities' map set; ranges are widened to the data
        int revealedUpTo = -1;              // the stepper's stage; −1 = all
    };

    FollowQueryPicture(Inputs inputs, const QPalette& palette);

    QSizeF size() const { return m_size; }
    void paint(QPainter& painter) const;
    QString tooltipAt(const QPointF& point) const;
    int keyAt(const QPointF& point) const; // the key whose row holds `point`, −1 if none
    const PipelineScales& scales() const { return m_in.scales; }
    const FollowedQuery& followed() const { return m_in.followed; }
    const Inputs& inputs() const { return m_in; }
    bool hasPrediction() const { return m_in.predictions != nullptr || !m_in.predictionNote.isEmpty(); }
    // The stages this picture has, in the stepper's order (the block and the prediction only when known).
    std::vector<Stage> stages() const;
    std::vector<ScaleKind> legendKinds() const;

    // Where key row `shownIndex` (into followed.shownKeys) and a table column are drawn; for tests.
    QRectF cellRect(Stage column, int shownIndex) const;

    static QString stageTitle(int stage);
    static QString stageExplanation(int stage, bool scaledByRootDk);
    // Fixed heights around the key rows, to choose how many keys fit a height.
    static qreal heightWithoutKeys(bool withPrediction, bool withBlock);

private:
    struct Column
    {
        Stage stage;
        QString title;
        qreal x = 0.0;
        qreal width = 0.0;
    };
    struct BlockPart // one vector of the row after attention
    {
        const Matrix* values;
        QString title;
        QString operatorBefore; // drawn in the gap left of it
        Stage stage;
        QRectF area; // title, entry numbers and cells
    };
    struct Hot
    {
        QRectF rect;
        Stage stage;
        int key; // −1 for the query's own vectors
    };

    void layOut();
    bool revealed(Stage s) const;
    const float* keyRow(Stage stage, int key) const; // k_j, v_j or a_ij·v_j
    void paintQueryRow(QPainter& painter) const;
    void paintTable(QPainter& painter) const;
    QString sumTitle() const;
    void paintSum(QPainter& painter) const;
    void paintPrediction(QPainter& painter) const;
    std::vector<BlockPart> blockParts() const;
    void paintBlock(QPainter& painter) const;
    void paintScalar(QPainter& painter, const QRectF& cell, ScaleKind kind, float value, const QString& text) const;
    void paintVector(QPainter& painter, const QPointF& topLeft, const float* values, int length,
                     const std::vector<int>& entries, bool indices, ScaleKind kind = ScaleKind::Vectors) const;
    QString vectorTooltip(const QString& name, const float* values, int length) const;

    Inputs m_in;
    QPalette m_palette;
    Matrix m_terms; // (shown keys, d_v) a_ij·v_j
    std::vector<int> m_queryEntries, m_qEntries, m_kEntries, m_vEntries, m_blockEntries;
    std::vector<Column> m_columns;
    qreal m_labelWidth = 0.0;
    qreal m_qLeft = 0.0;
    qreal m_tableTop = 0.0;
    std::vector<qreal> m_rowTops; // per shown key
    qreal m_sumTop = 0.0;
    qreal m_predictionTop = 0.0;
    qreal m_blockTop = 0.0;
    std::vector<Hot> m_hot;
    QSizeF m_size;
};

} // namespace attnviz
