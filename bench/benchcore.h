#pragma once
// Core measurements for attnviz-bench. Each returns milliseconds (median of `runs` after one warm-up).

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace attnviz::bench {

struct Timing
{
    double medianMs = 0;
    std::vector<double> runsMs;
};

// The runs and their median.
inline Timing timingOf(std::vector<double> runsMs)
{
    Timing t;
    t.runsMs = std::move(runsMs);
    std::vector<double> sorted = t.runsMs;
    std::sort(sorted.begin(), sorted.end());
    t.medianMs = sorted[sorted.size() / 2];
    return t;
}

// Runs `body` once to warm up (first touch of buffers, caches) unless told not to, then `runs`
// timed times.
template <typename F> Timing measure(int runs, F&& body, bool warmUp = true)
{
    if (warmUp)
        body();
    std::vector<double> runsMs;
    for (int i = 0; i < runs; ++i) {
        const auto start = std::chrono::steady_clock::now();
        body();
        runsMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return timingOf(std::move(runsMs));
}

// `tokens` random ids below 50000 (fixed seed): inside every benchmarked model's vocabulary.
std::vector<int> randomIds(int tokens);

// Forward pass of a model folder on T random token ids, every attention map captured. With
// `predict`, also the rest of the last layer and the next-token prediction (the full forward).
Timing timeForward(const std::string& modelSpec, int tokens, int runs, bool predict = false);

// Open to first heatmap: open `modelSpec` and run `text` through it, every map captured (what
// the app does before it draws the first heatmap). One fresh open per run, no warm-up.
Timing timeOpenToAttention(const std::string& modelSpec, const std::string& text, int runs);
// The same on `tokens` random ids, for folders without tokenizer files.
Timing timeOpenToAttentionIds(const std::string& modelSpec, int tokens, int runs);

// Keystroke to attention: tokenise `text` and run the model (what the app does on each edit).
Timing timeTextToAttention(const std::string& modelSpec, const std::string& text, int runs);

// Single-precision GEMM throughput on an n x n x n product, GFLOP/s (best of runs): Eigen's, and
// the packed kernel AttnViz's dense layers use.
double eigenGemmGflops(int n, int runs);
double packedGemmGflops(int n, int runs);

// The dense layers of a GPT-2-small-shaped model alone (12 layers of QKV, output projection and
// MLP through applyLinear, fresh random weights, T rows): GFLOP/s, median of runs.
double denseLayersGflops(int tokens, int runs);

// Peak resident memory of this process so far, in MiB (VmHWM), and resident now (VmRSS).
double peakRssMb();
double residentMb();
double residentAnonymousMb(); // RssAnon: allocations, not pages of mapped files


} // namespace attnviz::bench
