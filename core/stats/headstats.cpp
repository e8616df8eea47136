#include "stats/headstats.h"

#include "util/json.h"

#include <limits>
#include <cmath>

namespace attnviz {

float previousTokenScore(const float* a, int t)
{
    if (t < 2) return 0.0f;
    double sum = 0;
    for (int i = 1; i < t; ++i) sum += a[i * t + i - 1];
    return static_cast<float>(sum / (t - 1));
}

float firstTokenScore(const float* a, int queries, int keys)
{
    if (queries < 2 || keys < 1) return 0.0f;
    double sum = 0;
    for (int i = 1; i < queries; ++i) sum += a[static_cast<std::size_t>(i) * keys];
    return static_cast<float>(sum / (queries - 1));
}

float duplicateTokenScore(const float* a, const std::vector<int>& ids)
{
    const int t = static_cast<int>(ids.size());
    double sum = 0;
    int count = 0;
    for (int i = 1; i < t; ++i) {
        double onCopies = 0;
        bool repeated = false;
        for (int j = 0; j < i; ++j) {
            if (ids[static_cast<std::size_t>(j)] == ids[static_cast<std::size_t>(i)]) {
                repeated = true;
                onCopies += a[i * t + j];
            }
        }
        if (repeated) {
            sum += onCopies;
            ++count;
        }
    }
    return count == 0 ? 0.0f : static_cast<float>(sum / count);
}

float attentionEntropy(const float* a, int queries, int keys)
{
    double total = 0;
    int attending = 0;
    for (int i = 0; i < queries; ++i) {
        const float* row = a + static_cast<std::size_t>(i) * keys;
        double sum = 0, h = 0;
        for (int j = 0; j < keys; ++j) {
            sum += row[j];
            // Single precision for the logarithm is plenty and keeps every head of a long input fast.
            if (row[j] > 0.0f) h -= double(row[j] * std::log(row[j]));
        }
        if (sum <= 0) continue; // attends nowhere (fully masked): no distribution to measure
        total += h;
        ++attending;
    }
    return attending == 0 ? 0.0f : static_cast<float>(total / attending);
}

float inductionScore(const float* a, int t, int prefix, int n)
{
    if (n < 2 || prefix + 2 * n > t) return 0.0f;
    double sum = 0;
    for (int k = 0; k + 1 < n; ++k) {
        const int query = prefix + n + k;  // R[k] in the second copy
        const int target = prefix + k + 1; // what followed R[k] in the first copy
        sum += a[query * t + target];
    }
    return static_cast<float>(sum / (n - 1));
}

std::vector<int> inductionSequence(int n, int low, int high, std::uint32_t seed)
{
    std::vector<int> r;
    std::uint64_t x = seed;
    const auto span = static_cast<std::uint64_t>(std::max(1, high - low));
    for (int i = 0; i < n; ++i) {
        x = (1103515245ULL * x + 12345ULL) % 2147483648ULL;
        r.push_back(low + static_cast<int>(x % span));
    }
    return r;
}

HeadStatsReport computeHeadStats(const AttentionModel& model, const std::string& text, int inductionLow,
                                 int inductionHigh, int inductionLength)
{
    HeadStatsReport report;
    RunRequest textRun;
    textRun.text = text;
    const auto onText = model.run(textRun);
    report.tokens = onText->tokens;
    std::vector<int> ids;
    for (const auto& tok : onText->tokens) ids.push_back(tok.id);

    const std::vector<int> r = inductionSequence(inductionLength, inductionLow, inductionHigh);
    if (!ids.empty() && onText->tokens.front().special) report.inductionIds.push_back(ids.front());
    const int prefix = static_cast<int>(report.inductionIds.size());
    report.inductionIds.insert(report.inductionIds.end(), r.begin(), r.end());
    report.inductionIds.insert(report.inductionIds.end(), r.begin(), r.end());
    RunRequest repeatRun;
    repeatRun.ids = report.inductionIds;
    const auto onRepeat = model.run(repeatRun);

    const AttentionTensor& a = onText->stacks.front().attention;
    const AttentionTensor& b = onRepeat->stacks.front().attention;
    report.heads.assign(static_cast<std::size_t>(a.layers), std::vector<HeadStats>(static_cast<std::size_t>(a.heads)));
    for (int l = 0; l < a.layers; ++l) {
        for (int h = 0; h < a.heads; ++h) {
            HeadStats& s = report.heads[static_cast<std::size_t>(l)][static_cast<std::size_t>(h)];
            const float* w = a.head(l, h);
            if (w == nullptr || !b.holds(l, h)) { // not kept (a text over the attention budget): NaN, never 0
                constexpr float undefined = std::numeric_limits<float>::quiet_NaN();
                s = {undefined, undefined, undefined, undefined, undefined};
                continue;
            }
            s.previousToken = previousTokenScore(w, a.queries);
            s.firstToken = firstTokenScore(w, a.queries, a.keys);
            s.duplicateToken = duplicateTokenScore(w, ids);
            s.entropy = attentionEntropy(w, a.queries, a.keys);
            s.induction = inductionScore(b.head(l, h), b.queries, prefix, inductionLength);
        }
    }
    return report;
}

std::string headStatsJson(const HeadStatsReport& report, const ModelInfo& info)
{
    json::Writer w(true);
    w.beginObject();
    w.key("model").beginObject().key("family").value(std::string_view(info.family));
    w.key("name").value(std::string_view(info.name)).endObject();
    w.key("token_ids").beginArray();
    for (const auto& t : report.tokens) w.value(t.id);
    w.endArray();
    w.key("induction_ids").beginArray();
    for (int id : report.inductionIds) w.value(id);
    w.endArray();
    w.key("layers").beginArray();
    for (const auto& layer : report.heads) {
        w.beginArray();
        for (const HeadStats& s : layer) {
            w.beginObject();
            w.key("previous_token").value(s.previousToken);
            w.key("first_token").value(s.firstToken);
            w.key("duplicate_token").value(s.duplicateToken);
            w.key("induction").value(s.induction);
            w.key("entropy").value(s.entropy);
            w.endObject();
        }
        w.endArray();
    }
    w.endArray();
    w.endObject();
    return w.str();
}

} // namespace attnviz
