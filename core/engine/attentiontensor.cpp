#include "engine/attentionresult.h"

#include <algorithm>
#include <stdexcept>

namespace attnviz {

void AttentionTensor::resize(int l, int h, int q, int k)
{
    layers = l;
    heads = h;
    queries = q;
    keys = k;
    headSlots.clear();
    data.assign(static_cast<std::size_t>(l) * h * q * k, 0.0f);
}

void AttentionTensor::resizeForOverwrite(int l, int h, int q, int k)
{
    layers = l;
    heads = h;
    queries = q;
    keys = k;
    headSlots.clear();
    data.clear();
    data.resize(static_cast<std::size_t>(l) * h * q * k); // the allocator default-initialises: no writes
}

void AttentionTensor::resizeHolding(int l, int h, int q, int k, const std::vector<bool>& held)
{
    if (held.size() != static_cast<std::size_t>(l) * h) throw std::invalid_argument("resizeHolding: one flag per head");
    layers = l;
    heads = h;
    queries = q;
    keys = k;
    headSlots.assign(held.size(), -1);
    int next = 0;
    for (std::size_t i = 0; i < held.size(); ++i)
        if (held[i]) headSlots[i] = next++;
    if (next == l * h) headSlots.clear(); // every head: the plain layout
    data.assign(static_cast<std::size_t>(next) * q * k, 0.0f);
}

int AttentionTensor::heldHeads() const
{
    if (headSlots.empty()) return layers * heads;
    return static_cast<int>(std::count_if(headSlots.begin(), headSlots.end(), [](int s) { return s >= 0; }));
}

} // namespace attnviz
