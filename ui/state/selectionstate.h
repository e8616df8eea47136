#pragma once
// What the user has chosen (stack, layer, heads, query token, mask mode, ...). Views read it and
// subscribe to its signals; no view reaches into another. Choices that change the computation
// (mask, scaling, ablation) emit computeInputsChanged() so the ComputeService reruns the model.

#include "views/colormap.h"
#include "engine/attentionmodel.h"

#include <QObject>
#include <QSet>
#include <QString>

namespace attnviz {

// Which block of a sentence pair's attention the heatmap shows: everything, sentence A's queries
// over sentence B's keys, or B's over A's.
enum class SentenceBlock { All, AToB, BToA };

// What the badge under each model-grid thumbnail says: the head's pattern statistics, or how much
// the head writes into the predicted token's logit (direct logit attribution, asked of the model).
enum class GridBadges { Statistics, LogitAttribution };

class SelectionState : public QObject
{
    Q_OBJECT
public:
    explicit SelectionState(QObject* parent = nullptr);

    // The shape of the current result; selections are clamped to it. keys < 0 means keys == queries
    // (self-attention); cross-attention stacks have as many keys as source tokens.
    void setShape(int stacks, int layers, int heads, int queries, int keys = -1);
    int stackCount() const { return m_stacks; }
    int layerCount() const { return m_layers; }
    int headCount() const { return m_heads; }
    int queryCount() const { return m_queries; }
    int keyCount() const { return m_keys; }

    int stack() const { return m_stack; }
    int layer() const { return m_layer; }
    int head() const { return m_head; }            // the focused head (heatmap, pipeline)
    int queryToken() const { return m_query; }     // -1 = none selected
    int hoveredToken() const { return m_hovered; } // -1 = none
    bool isHeadEnabled(int head) const { return !m_disabledHeads.contains(head); }
    QList<int> enabledHeads() const;
    std::vector<bool> enabledHeadFlags() const; // (heads) true = switched on, for the core's rollout
    bool meanOfHeads() const { return m_meanOfHeads; }
    // Attention rollout through layers 0..layer() of the switched-on heads, instead of one layer.
    bool rollout() const { return m_rollout; }
    bool mergeSubwords() const { return m_mergeSubwords; }
    SentenceBlock sentenceBlock() const { return m_sentenceBlock; } // no effect on a single sentence
    ColorMapKind colorMap() const { return m_colorMap; }
    GridBadges gridBadges() const { return m_gridBadges; }
    // The arcs view draws each query's k strongest keys per head; 0 = every visible line.
    int arcsTopK() const { return m_arcsTopK; }
    static constexpr int kDefaultArcsTopK = 10;
    // What the maps' cells mean (raw weights, value-weighted): derived with the run, so a change reruns.
    Measure measure() const { return m_measure; }

    MaskOverride maskMode() const { return m_mask; }
    const MaskMatrix& customMask() const { return m_customMask; }
    // The tokens the custom mask was made for (empty when set by hand: it must fit as is) and its
    // stack (-1: whichever is shown), so a run after a text edit can carry the edits over.
    const std::vector<int>& customMaskRowIds() const { return m_customMaskRowIds; }
    const std::vector<int>& customMaskColIds() const { return m_customMaskColIds; }
    int customMaskStack() const { return m_customMaskStack; }
    bool scaling() const { return m_scaling; }
    // True once the user chose scaling; until then the model's own choice applies (lessons may
    // turn √d_k scaling off on purpose).
    bool scalingOverridden() const { return m_scalingOverridden; }
    bool isHeadAblated(int layer, int head) const { return m_ablated.contains(qMakePair(layer, head)); }
    std::set<std::pair<int, int>> ablatedHeads() const;

public slots:
    void setStack(int stack);
    void setLayer(int layer);
    void setHead(int head);
    void setQueryToken(int token);
    void setHoveredToken(int token);
    void setHeadEnabled(int head, bool enabled);
    void setMeanOfHeads(bool on);
    void setRollout(bool on);
    void setMergeSubwords(bool on);
    void setSentenceBlock(attnviz::SentenceBlock block);
    void setColorMap(attnviz::ColorMapKind map);
    void setGridBadges(attnviz::GridBadges badges);
    void setArcsTopK(int k);
    void setMeasure(attnviz::Measure measure);
    void setMaskMode(attnviz::MaskOverride mode);
    void setCustomMask(const attnviz::MaskMatrix& mask);
    // Takes the custom mask a finished run applied (for these tokens and stack) to edit on from;
    // no recompute, since the run already used it.
    void adoptCustomMask(const attnviz::MaskMatrix& mask, std::vector<int> rowIds, std::vector<int> colIds, int stack);
    void toggleCustomMaskCell(int query, int key);
    void setScaling(bool on);
    // Shows the model's own choice without overriding it (no recompute).
    void setModelScaling(bool on);
    void resetOverrides(); // a new model: custom mask, ablation and the scaling override go
    void setHeadAblated(int layer, int head, bool ablated);
    // All of them at once, with one rerun (a restored session).
    void setAblatedHeads(const std::set<std::pair<int, int>>& heads);

signals:
    void stackChanged(int stack);
    void layerChanged(int layer);
    void headChanged(int head);
    void queryTokenChanged(int token);
    void hoveredTokenChanged(int token);
    void enabledHeadsChanged();
    void displayOptionsChanged(); // mean of heads, rollout, merge sub-words, sentence block, colour map, badges
    void computeInputsChanged();  // mask, scaling, ablation, measure: the model must run again

private:
    int m_stacks = 0, m_layers = 0, m_heads = 0, m_queries = 0, m_keys = 0;
    int m_stack = 0, m_layer = 0, m_head = 0, m_query = -1, m_hovered = -1;
    QSet<int> m_disabledHeads;
    bool m_meanOfHeads = false;
    bool m_rollout = false;
    bool m_mergeSubwords = false;
    SentenceBlock m_sentenceBlock = SentenceBlock::All;
    ColorMapKind m_colorMap = ColorMapKind::Viridis;
    GridBadges m_gridBadges = GridBadges::Statistics;
    int m_arcsTopK = kDefaultArcsTopK;
    Measure m_measure = Measure::Raw;
    MaskOverride m_mask = MaskOverride::ModelDefault;
    MaskMatrix m_customMask;
    std::vector<int> m_customMaskRowIds, m_customMaskColIds;
    int m_customMaskStack = -1;
    bool m_scaling = true;
    bool m_scalingOverridden = false;
    QSet<QPair<int, int>> m_ablated;
};

} // namespace attnviz
