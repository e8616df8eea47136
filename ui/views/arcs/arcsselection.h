#pragma once
// Which lines the arcs view draws, before any geometry: for each drawn head, each query's k
// strongest keys above the visibility floor. It depends only on the result and the selection, so
// the view computes it once and scrolling a long input only looks up the lines that cross the
// visible rows; the old way re-read every weight (heads × T²) at each scroll step.

#include "engine/attentionresult.h"

#include <QList>

#include <functional>
#include <vector>

namespace attnviz {

// The smallest weight of a query row's lines when it draws its `k` strongest keys: the k-th
// largest weight, or `floor` when the row has no more (k = 0: every line above the floor).
float arcsCutOff(std::vector<float> weights, std::size_t k, float floor);

struct ChosenArc
{
    int headIndex; // into the drawn heads
    int query;
    int key;
    float weight;
};

struct ArcsSelection
{
    std::vector<ChosenArc> arcs; // by head, then query, then key
    static constexpr float invisible = 0.01f; // lighter lines cannot be seen anyway

    // `shown(i, j)`: the focus and a sentence pair's A → B / B → A choice. Weights tied at a row's
    // cut-off fill what the stronger keys leave of k, no more.
    static ArcsSelection choose(const AttentionTensor& attention, int layer, const QList<int>& heads,
                                std::size_t topK, const std::function<bool(int, int)>& shown);
};

} // namespace attnviz
