#pragma once
// Which tokens label the queries and the keys of a stack: the target tokens for decoder self-
// attention, the source tokens for an encoder stack, target × source for cross-attention.

#include "engine/attentionresult.h"

#include <string>

namespace attnviz {

// UI spelling of the core's queryTokensOf / keyTokensOf, by stack index.
struct StackTokens
{
    static const std::vector<Token>& queries(const AttentionResult& r, int stack)
    {
        return queryTokensOf(r, r.stacks.at(static_cast<std::size_t>(stack)));
    }
    static const std::vector<Token>& keys(const AttentionResult& r, int stack)
    {
        return keyTokensOf(r, r.stacks.at(static_cast<std::size_t>(stack)));
    }
};

} // namespace attnviz
