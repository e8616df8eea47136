#pragma once
// Attention masks: which keys each query may attend to.

#include "base/tensor.h"

#include <optional>
#include <string_view>
#include <vector>

namespace attnviz {

enum class MaskKind {
    None,    // bidirectional: every query sees every key
    Causal,  // query i sees keys j <= i + (S - T), i.e. aligned at the end when S != T
    Padding, // per-key validity (keyValid), the same for every query
    Custom,  // an arbitrary (T, S) boolean matrix
};

struct MaskSpec
{
    MaskKind kind = MaskKind::None;
    std::vector<std::uint8_t> keyValid; // (S) for Padding: 1 = real token, 0 = padding
    MaskMatrix custom;                  // (T, S) for Custom: 1 = may attend

    static MaskSpec none() { return {}; }
    static MaskSpec causal() { return {MaskKind::Causal, {}, {}}; }
    static MaskSpec padding(std::vector<std::uint8_t> valid) { return {MaskKind::Padding, std::move(valid), {}}; }
    static MaskSpec matrix(MaskMatrix m) { return {MaskKind::Custom, {}, std::move(m)}; }
};

// Expands a spec to a (T, S) matrix. Throws std::invalid_argument when the spec's own shape
// (keyValid size, custom matrix size) does not fit T x S.
MaskMatrix buildMask(const MaskSpec& spec, Index queries, Index keys);

// Element-wise AND, for combining a model's own mask (e.g. padding) with a user's.
MaskMatrix combineMasks(const MaskMatrix& a, const MaskMatrix& b);

// For each position of `now`, the position of the same token in `before` when an edit kept it
// (the longest common prefix and, after it, the longest common suffix of the two id lists), else -1.
std::vector<Index> keptPositions(const std::vector<int>& before, const std::vector<int>& now);

// A mask a person edited for the tokens (beforeRows × beforeCols), carried over to new tokens
// (nowRows × nowCols): a cell between two kept tokens keeps its edited value, every other cell
// takes `fallback` (the model's own mask for the new tokens). An empty `edited`, or one whose
// shape does not match its ids, gives `fallback`.
MaskMatrix carryOverMask(const MaskMatrix& edited, const std::vector<int>& beforeRows,
                         const std::vector<int>& beforeCols, const std::vector<int>& nowRows,
                         const std::vector<int>& nowCols, const MaskMatrix& fallback);

const char* maskKindName(MaskKind kind);                      // "none", "causal", "padding", "custom"
std::optional<MaskKind> parseMaskKind(std::string_view name); // inverse of maskKindName

} // namespace attnviz
