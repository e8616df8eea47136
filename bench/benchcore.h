#pragma once
// Core measurements for attnviz-bench. Each returns milliseconds (median of `runs` after one warm-up).

#include <string>
#include <vector>

namespace attnviz::bench {

struct Timing
{
    double medianMs = 0;
    std::vector<double> runsMs;
};

// Forward pass of a model folder on T random token ids, every attention map captured.
Timing timeForward(const std::string& modelSpec, int tokens, int runs);

// Keystroke to attention: tokenise `text` and run the model (what the app does on each edit).
Timing timeTextToAttention(const std::string& modelSpec, const std::string& text, int runs);

// Single-precision GEMM throughput of Eigen on an n x n x n product, GFLOP/s (best of runs).
double gemmPeakGflops(int n, int runs);

// GFLOP/s of the dense layers of a GPT-2-shaped forward pass: the FLOPs of its matrix products
// (QKV, output projection, MLP) divided by the measured forward time.
double denseLayerFlops(int layers, int dModel, int tokens);

// Peak resident memory of this process so far, in MiB (VmHWM).
double peakRssMb();

} // namespace attnviz::bench
