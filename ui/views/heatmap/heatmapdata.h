#pragma once
// What the heatmap shows for the current result and selection: the focused head (or the mean of
// the enabled heads), optionally merged into words, with the mask that produced it. Built by a
// plain function so tests can compare it with the core's numbers.

#include "engine/attentionresult.h"
#include "state/selectionstate.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace attnviz {

struct HeatmapData
{
    std::shared_ptr<const AttentionResult> result;
    Matrix values;              // (rows, cols) attention weights, or pre-softmax scores when showsScores
    MaskMatrix mask;            // (rows, cols) 1 = may attend; empty when nothing is masked
    QStringList rowLabels;      // queries (target tokens for cross-attention)
    QStringList colLabels;      // keys (source tokens for cross-attention)
    std::vector<int> rowGroups; // token -> displayed row (identity unless merged)
    std::vector<int> colGroups; // token -> displayed column
    bool showsScores = false;   // diverging map on the scaled scores of the focused head
    bool merged = false;
    bool meanOfHeads = false;
    bool rollout = false; // values are the attention rollout up to the layer (self-attention only)
    Measure measure = Measure::Raw; // what the values mean (shares of each row for other measures)
    bool wholeLayer = false;        // the measure of every head of the layer together, not a mean
    bool difference = false;        // signed A − B of two runs (compare mode)
    bool cross = false;
    // Sentence pairs: the first displayed row and column of sentence B (-1 = no boundary), and the
    // block shown when only A → B or B → A is asked for.
    int rowBoundary = -1;
    int colBoundary = -1;
    SentenceBlock block = SentenceBlock::All;
    float minValue = 0.0f; // colour scale range
    float maxValue = 1.0f;
    QString title;
    QString emptyMessage; // why there is nothing to show (no result, no heads enabled, ...)

    int rows() const { return static_cast<int>(values.rows()); }
    int cols() const { return static_cast<int>(values.cols()); }
    bool isEmpty() const { return values.size() == 0; }
    bool isMasked(int row, int col) const { return mask.size() != 0 && mask(row, col) == 0; }
    bool anyMasked() const { return mask.size() != 0 && (mask.array() == 0).any(); }
    // The first token of a displayed row (for selecting the query token).
    int tokenForRow(int row) const;
    int rowForToken(int token) const;
    // The focused head's capture when it matches what is shown (tooltips with raw scores).
    const HeadCapture* capture() const;
    // The legend's word for a value: "weight", "score" or "share".
    QString valueCaption() const;
    // Where the value sits on the colour scale, in [0, 1].
    double normalized(float value) const;

    static HeatmapData build(std::shared_ptr<const AttentionResult> result, const SelectionState& selection);
};

// The mask the model applied to one stack, as far as the result tells: the pipeline capture's
// when it covers this stack, otherwise derived from the mask mode. Empty = nothing masked.
MaskMatrix effectiveMask(const AttentionResult& result, const SelectionState& selection, int stack);

} // namespace attnviz
