#include "engine/captureplan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attnviz {

namespace {

// A window of `count` items out of `total` around `focus`, as far as it fits.
int windowStart(int focus, int count, int total)
{
    return std::clamp(focus - count / 2, 0, std::max(0, total - count));
}

std::string range(const char* what, int first, int count)
{
    if (count == 1) return std::string(what) + " " + std::to_string(first);
    return std::string(what) + "s " + std::to_string(first) + "–" + std::to_string(first + count - 1);
}

} // namespace

std::string byteSizeText(double bytes)
{
    char text[32];
    if (bytes >= 1024.0 * 1024 * 1024)
        std::snprintf(text, sizeof text, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    else
        std::snprintf(text, sizeof text, "%.0f MiB", std::ceil(bytes / (1024.0 * 1024)));
    return text;
}

CapturePlan planCapture(int layers, int heads, int tokens, int focusLayer, int focusHead, std::size_t budgetBytes)
{
    CapturePlan plan;
    plan.tokens = std::max(tokens, 0);
    if (layers <= 0 || heads <= 0 || plan.tokens == 0) return plan;
    const double budget = static_cast<double>(budgetBytes > 0 ? budgetBytes : defaultAttentionBudgetBytes);
    const std::string budgetText = byteSizeText(budget);
    // One (T, T) map must fit: else the input is cut to the longest that does.
    const double longest = std::floor(std::sqrt(budget / sizeof(float)));
    if (static_cast<double>(plan.tokens) > longest) {
        plan.tokens = static_cast<int>(std::max(1.0, longest));
        plan.notice = "input truncated to " + std::to_string(plan.tokens) + " tokens: one attention map of more " +
                      "would not fit the attention budget of " + budgetText;
    }
    const double perMap = static_cast<double>(plan.tokens) * plan.tokens * sizeof(float);
    const double all = perMap * layers * heads;
    if (all <= budget) return plan;
    const int fit = static_cast<int>(std::max(1.0, std::floor(budget / perMap)));
    const int layer = std::clamp(focusLayer, 0, layers - 1);
    plan.heads.assign(static_cast<std::size_t>(layers) * heads, false);
    std::string kept;
    if (fit >= heads) {
        const int count = std::min(layers, fit / heads);
        const int first = windowStart(layer, count, layers);
        for (int l = first; l < first + count; ++l)
            std::fill_n(plan.heads.begin() + static_cast<std::ptrdiff_t>(l) * heads, heads, true);
        kept = range("layer", first, count) + " of " + std::to_string(layers);
    } else {
        const int first = windowStart(std::clamp(focusHead, 0, heads - 1), fit, heads);
        std::fill_n(plan.heads.begin() + static_cast<std::ptrdiff_t>(layer) * heads + first, fit, true);
        kept = "layer " + std::to_string(layer) + " " + range("head", first, fit) + " of " + std::to_string(heads);
    }
    plan.notice += (plan.notice.empty() ? "" : "; ") + std::string("keeping the attention maps of ") + kept + ": all " + std::to_string(layers * heads) +
                   " would need " + byteSizeText(all) + ", over the attention budget of " + budgetText +
                   "; the others are computed when shown";
    return plan;
}

} // namespace attnviz
