#pragma once
// Results for the export tests: the two-heads-causal lesson (known weights, causal mask, a
// pipeline capture) and a synthetic 2-layer × 3-head result for batches and handouts.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "stats/derive.h"

#include <memory>

namespace attnviz::exporttest {

inline std::shared_ptr<const AttentionResult> lessonResult(int pipelineHead = 0)
{
    const auto model = openModel(ATTNVIZ_RESOURCES "/lessons/two-heads-causal.json");
    RunRequest request;
    request.pipelineHead = std::make_pair(0, pipelineHead);
    return runWithStatistics(*model, request);
}

// Row-stochastic weights that differ per layer and head, so files and pages can be told apart.
inline std::shared_ptr<const AttentionResult> syntheticResult(int layers = 2, int heads = 3)
{
    auto r = std::make_shared<AttentionResult>();
    r->model.family = "synthetic";
    r->model.name = "synthetic model";
    r->model.layers = layers;
    r->model.heads = heads;
    r->model.causal = false;
    const char* words[] = {"alpha", "beta", "gamma", "delta"};
    for (const char* w : words) {
        Token t;
        t.piece = t.display = w;
        r->tokens.push_back(t);
    }
    AttentionStack stack;
    stack.name = "self";
    stack.attention.resize(layers, heads, 4, 4);
    for (int l = 0; l < layers; ++l) {
        for (int h = 0; h < heads; ++h) {
            float* w = stack.attention.head(l, h);
            for (int q = 0; q < 4; ++q) {
                float sum = 0;
                for (int k = 0; k < 4; ++k)
                    sum += w[q * 4 + k] = 1.0f + float((q + k + l + 2 * h) % 4);
                for (int k = 0; k < 4; ++k)
                    w[q * 4 + k] /= sum;
            }
        }
    }
    r->stacks.push_back(std::move(stack));
    deriveStatistics(*r, RunRequest{}); // what the compute job adds
    return r;
}

} // namespace attnviz::exporttest
