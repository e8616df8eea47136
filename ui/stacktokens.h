#pragma once
// Which tokens label the queries and the keys of a stack: the target tokens for decoder self-
// attention, the source tokens for an encoder stack, target × source for cross-attention.

#include "engine/attentionresult.h"

#include <string>

namespace attnviz {

struct StackTokens
{
    static bool isEncoderOfPair(const AttentionResult& r, const AttentionStack& s)
    {
        return s.name == "encoder" && !r.sourceTokens.empty() && r.stacks.size() > 1;
    }
    static const std::vector<Token>& queries(const AttentionResult& r, int stack)
    {
        const AttentionStack& s = r.stacks.at(static_cast<std::size_t>(stack));
        return isEncoderOfPair(r, s) ? r.sourceTokens : r.tokens;
    }
    static const std::vector<Token>& keys(const AttentionResult& r, int stack)
    {
        const AttentionStack& s = r.stacks.at(static_cast<std::size_t>(stack));
        const bool source = (s.queriesAreSource || isEncoderOfPair(r, s)) && !r.sourceTokens.empty();
        return source ? r.sourceTokens : r.tokens;
    }
};

} // namespace attnviz
