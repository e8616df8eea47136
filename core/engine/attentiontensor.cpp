#include "engine/attentionresult.h"

namespace attnviz {

void AttentionTensor::resize(int l, int h, int q, int k)
{
    layers = l;
    heads = h;
    queries = q;
    keys = k;
    data.assign(static_cast<std::size_t>(l) * h * q * k, 0.0f);
}

void AttentionTensor::resizeForOverwrite(int l, int h, int q, int k)
{
    layers = l;
    heads = h;
    queries = q;
    keys = k;
    data.clear();
    data.resize(static_cast<std::size_t>(l) * h * q * k); // the allocator default-initialises: no writes
}

} // namespace attnviz
