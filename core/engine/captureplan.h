#pragma once
// Which attention maps one run keeps. Every (layer, head) map of a long input does not fit in
// memory (24 layers × 14 heads × 4,096² tokens is 22 GiB), so a run keeps what fits the budget:
// every map, else whole layers around the one on screen, else heads of that layer; the others are
// computed when they are shown (the UI re-runs for them). Only when not even one map fits is the
// input cut.

#include <cstddef>
#include <string>
#include <vector>

namespace attnviz {

inline constexpr std::size_t defaultAttentionBudgetBytes = std::size_t(1) << 30; // 1 GiB of float weights

struct CapturePlan
{
    int tokens = 0;          // the input length to run (the input's, unless one map would not fit)
    std::vector<bool> heads; // (layers × heads), layer-major: the maps kept; empty = every map
    std::string notice;      // what was left out and why; empty when every map is kept
};

// focusLayer/focusHead: the map on screen (clamped into range). budgetBytes 0 = the default.
CapturePlan planCapture(int layers, int heads, int tokens, int focusLayer, int focusHead, std::size_t budgetBytes);

// "1.0 GiB", "384 MiB": a byte count for notices.
std::string byteSizeText(double bytes);

} // namespace attnviz
