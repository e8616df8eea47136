#pragma once
// One stage of the Q/K/V pipeline (X, W_Q, Q, QKᵀ, softmax, ...): which matrix it shows, how to
// colour it, what it is called and why it exists. buildColumns() turns a PipelineCapture into the
// columns the pipeline view lays out; no painting here.

#include "engine/attentionresult.h"
#include "views/pipeline/pipelinescales.h"

#include <QString>

#include <vector>

namespace attnviz {

struct PipelineStage
{
    enum class Kind {
        Signed,  // any real values: diverging colours around 0
        Weights, // probabilities in [0, 1]: the sequential colour map
        Masked,  // scaled scores where the mask allows, −∞ elsewhere
    };

    QString title;        // e.g. "Q = X·W_Q"
    QString explanation;  // one line for the tooltip
    Kind kind = Kind::Signed;
    ScaleKind scale = ScaleKind::Vectors; // which shared colour scale (and legend) it uses
    const Matrix* matrix = nullptr;    // points into the capture, which outlives the stage
    const MaskMatrix* mask = nullptr;  // for Kind::Masked
    bool rowsAreQueries = false;       // rows are the query tokens: the selected row is outlined
    bool rowsAreKeys = false;          // rows are the key tokens (K, V)
    bool rowLabels = false;            // print token names left of the rows

    QString shapeText() const; // "(4 × 2)"
};

struct PipelineColumn
{
    QString operatorText; // drawn on the arrow into this column, e.g. "÷√d_k"
    std::vector<PipelineStage> stages;
};

std::vector<PipelineColumn> buildPipelineColumns(const PipelineCapture& capture, bool crossAttention);

} // namespace attnviz
