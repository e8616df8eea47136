#pragma once
// Per-head statistics that say what a head does: looks at the previous token, at the first
// token, at earlier copies of the same token, completes repeated sequences (induction), or
// spreads its attention (entropy). Definitions (also in README.md and the model cards):
//   previous-token  mean over queries i = 1..T-1 of A[i, i-1]
//   first-token     mean over queries i = 1..T-1 of A[i, 0]
//   duplicate-token over queries i whose id occurs earlier, mean of Σ_{j<i, id_j = id_i} A[i, j]
//                   (0 when no token repeats)
//   induction       on [prefix] + R + R (R: n ids), for the queries of the second copy except its
//                   last token, the mean weight on the token that followed it in the first copy
//   entropy         mean over the queries that attend somewhere (a fully masked row has no
//                   distribution) of −Σ_j A[i, j]·ln A[i, j] (nats)

#include "engine/attentionmodel.h"

#include <cstdint>
#include <string>
#include <vector>

namespace attnviz {

struct HeadStats
{
    float previousToken = 0.0f;
    float firstToken = 0.0f;
    float duplicateToken = 0.0f;
    float induction = 0.0f;
    float entropy = 0.0f;
};

// A: (T, T) row-major attention weights of one head (first token and entropy: (queries, keys));
// ids: the T token ids it was computed on.
float previousTokenScore(const float* a, int t);
float firstTokenScore(const float* a, int queries, int keys);
float duplicateTokenScore(const float* a, const std::vector<int>& ids);
float attentionEntropy(const float* a, int queries, int keys);
// A over [prefix] + R + R where the first copy of R starts at position `prefix` and R has n ids.
float inductionScore(const float* a, int t, int prefix, int n);

// The repeated random sequence used for the induction score: n ids drawn from [low, high) by a
// documented generator (x ← (1103515245·x + 12345) mod 2³¹ from x = seed; id = low + x mod (high−low)),
// so the Python training scripts can reproduce it exactly.
std::vector<int> inductionSequence(int n, int low, int high, std::uint32_t seed = 1);

struct HeadStatsReport
{
    std::vector<Token> tokens;                 // the text's tokens the pattern scores used
    std::vector<int> inductionIds;             // the full [prefix] + R + R sequence
    std::vector<std::vector<HeadStats>> heads; // [layer][head], first stack of the model
};

// Runs `model` on `text` (pattern scores) and on the induction sequence (induction scores).
// The induction prefix is the special token the tokenizer puts first (BOS/[CLS]) if any; R is
// drawn from ids [low, high) given by the caller (normally the ordinary-token id range).
HeadStatsReport computeHeadStats(const AttentionModel& model, const std::string& text, int inductionLow,
                                 int inductionHigh, int inductionLength = 20);

std::string headStatsJson(const HeadStatsReport& report, const ModelInfo& info);

} // namespace attnviz
