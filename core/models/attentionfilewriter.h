#pragma once
// Writes a result's attention as an attention file (docs/attention-file.md), the format
// openAttentionFile reads: every stack, all heads or chosen ones, whole rows or the top k per query.

#include "engine/attentionresult.h"

#include <set>
#include <string>
#include <utility>

namespace attnviz {

struct AttentionFileOptions
{
    bool half = true;                       // F16 weights (F32 when false)
    std::set<std::pair<int, int>> heads;    // (layer, head) to keep in every stack; empty = all
    int topK = 0;                           // keep the k largest weights of each query row; 0 = whole rows
    // The input, for the tokens' byte offsets: the text and the second one (sentence B, or the
    // source sentence of an encoder–decoder, as RunRequest::secondText).
    std::string text, secondText;
};

// Writes atomically (a temporary file renamed over `path`). Throws std::runtime_error.
void writeAttentionFile(const std::string& path, const AttentionResult& result, const AttentionFileOptions& options);

} // namespace attnviz
