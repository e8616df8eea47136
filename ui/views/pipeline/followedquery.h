#pragma once
// The numbers of "follow one query": for query token i of the captured head, x_i, q_i, the rows of
// scores, scaled scores, mask and weights over the keys, each key's term a_ij·v_j of the output and
// its share, and which keys a long list shows. Plain data cut out of a PipelineCapture; no Qt.

#include "engine/attentionresult.h"

#include <QString>

#include <vector>

namespace attnviz {

struct FollowedQuery
{
    int query = -1;            // the row followed
    bool lastByDefault = false; // no query was selected: the last token is followed
    const PipelineCapture* capture = nullptr;
    // Rows of the capture for `query`, each (1, n): x (d_model), q (d_k), output (d_v).
    Matrix x, q, output;
    // (keys) one entry per key j.
    std::vector<float> scores, scaled, weights;
    std::vector<bool> allowed;
    // ‖a_ij·v_j‖ / Σ_k ‖a_ik·v_k‖: how much of the sum's size key j brings; sums to 1 unless every
    // weight is 0 (a fully masked row), then all 0.
    std::vector<float> shares;
    // The keys drawn, ascending: all of them when they fit, else the first, the last and the
    // largest weights; hiddenKeys counts the others.
    std::vector<int> shownKeys;
    int hiddenKeys = 0;

    // Past attention, when the capture has the block (1, d_model) each: the residual stream in,
    // the attention block's output (all heads through W_O), after the add, the MLP's output and
    // the stream out. Empty otherwise.
    Matrix residual, attention, afterAttention, mlp, blockOutput;
    QString restLabel; // what `mlp` is when more than the MLP follows (a translator's cross-attention too)
    bool normAfterAdd = false; // post-norm: "after the add" and "out" are normalised sums
    bool hasBlock() const { return blockOutput.size() > 0; }

    int keyCount() const { return int(weights.size()); }
    // a_ij·v_j (1, d_v)
    Matrix term(int key) const;
};

// Follows `query` (or the last query when it is out of range, e.g. −1 = none selected), showing at
// most `maxKeys` keys (at least 3: first, last and the strongest).
FollowedQuery followQuery(const PipelineCapture& capture, int query, int maxKeys);

// Which keys of `weights` a list of at most `maxKeys` rows shows: every key when they fit (or one
// more: the row saying a key is hidden would take its place), else
// key 0, the last key and the largest weights (ties to the earlier key), ascending.
std::vector<int> keysToShow(const std::vector<float>& weights, int maxKeys);

// Which entries of long vectors are drawn: the first `first` and then the `largest` others with
// the largest |value| over all `rows` (so a column of vectors shares its entries), ascending.
// Every entry when there are at most first + largest.
std::vector<int> entriesToShow(const std::vector<const float*>& rows, int length, int first, int largest);

} // namespace attnviz
