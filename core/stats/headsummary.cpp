#include "stats/headsummary.h"

#include "stats/headstats.h"

namespace attnviz {

std::vector<HeadSummary> summariseHeads(const AttentionStack& stack)
{
    const AttentionTensor& a = stack.attention;
    const bool self = stack.keysFromSource == stack.queriesFromSource && a.queries == a.keys;
    const int count = a.layers * a.heads;
    std::vector<HeadSummary> out(static_cast<std::size_t>(count));
    if (a.queries == 0 || a.keys == 0)
        return out;
#pragma omp parallel for schedule(dynamic)
    for (int i = 0; i < count; ++i) {
        const float* w = a.head(i / a.heads, i % a.heads);
        if (w == nullptr) continue; // a head the stack does not hold has no scores (NaN)
        HeadSummary& s = out[static_cast<std::size_t>(i)];
        s.entropy = attentionEntropy(w, a.queries, a.keys);
        if (a.queries >= 2) {
            s.firstToken = firstTokenScore(w, a.queries, a.keys);
            if (self)
                s.previousToken = previousTokenScore(w, a.queries);
        }
    }
    return out;
}

} // namespace attnviz
