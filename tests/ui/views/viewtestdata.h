#pragma once
// Results for the view tests: real lesson runs and a larger synthetic result built by hand.

#include "engine/attentionmodel.h"
#include "registry/modelregistry.h"
#include "stats/derive.h"

#include <QtGlobal>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>

namespace attnviz::testdata {

inline std::shared_ptr<const AttentionResult> lesson(const std::string& name, int pipelineHead = 0)
{
    RunRequest request;
    request.pipelineHead = std::make_pair(0, pipelineHead);
    return runWithStatistics(*openModel(std::string(ATTNVIZ_RESOURCES) + "/lessons/" + name + ".json"), request);
}

// layers × heads of T tokens with recognisable patterns: head 0 previous-token, head 1
// first-token, others a causal softmax of a smooth function of (layer, head, i, j).
inline std::shared_ptr<const AttentionResult> synthetic(int layers, int heads, int tokens)
{
    auto result = std::make_shared<AttentionResult>();
    result->model.family = "synthetic";
    result->model.layers = layers;
    result->model.heads = heads;
    result->model.causal = true;
    static const char* words[] = {" the", " cat", " sat", " on", " a", " warm", " mat", " while", " it", " rained"};
    for (int i = 0; i < tokens; ++i) {
        Token t;
        t.id = i;
        t.display = words[i % 10];
        t.piece = t.display;
        result->tokens.push_back(t);
    }
    AttentionStack stack;
    stack.name = "self";
    stack.attention.resize(layers, heads, tokens, tokens);
    for (int l = 0; l < layers; ++l) {
        for (int h = 0; h < heads; ++h) {
            float* a = stack.attention.head(l, h);
            for (int i = 0; i < tokens; ++i) {
                float* row = a + static_cast<std::size_t>(i) * tokens;
                if (h == 0 || h == 1) {
                    row[h == 0 ? std::max(0, i - 1) : 0] = 1.0f;
                    continue;
                }
                double sum = 0.0;
                for (int j = 0; j <= i; ++j) {
                    row[j] = float(std::exp(2.0 * std::sin(0.3 * (l + 1) * j + 0.7 * h + 0.1 * i)));
                    sum += row[j];
                }
                for (int j = 0; j <= i; ++j) row[j] = float(row[j] / sum);
            }
        }
    }
    result->stacks.push_back(std::move(stack));
    deriveStatistics(*result, RunRequest{}); // what the compute job adds
    return result;
}

// A copy of `base` with a pipeline capture of head 0 computed by the core from random inputs
// (d_model 16, d_k 8, causal), for checking how the pipeline view scales with T.
inline std::shared_ptr<const AttentionResult> withPipeline(const std::shared_ptr<const AttentionResult>& base)
{
    auto result = std::make_shared<AttentionResult>(*base);
    const auto t = Index(result->tokens.size());
    std::srand(7);
    PipelineCapture p;
    p.x = Matrix::Random(t, 16);
    p.source = p.x;
    p.wq = Matrix::Random(16, 8);
    p.wk = Matrix::Random(16, 8);
    p.wv = Matrix::Random(16, 8);
    p.capture = attendProjected(p.x * p.wq, p.x * p.wk, p.x * p.wv, buildMask(MaskSpec::causal(), t, t), true);
    p.note = "random inputs for a layout check";
    result->pipeline = std::move(p);
    return result;
}

} // namespace attnviz::testdata
