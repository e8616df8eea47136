#pragma once
// Measurements of checkpoints whose 16-bit weights stay encoded in memory (bench/run_compact_bench.sh):
// what opening and one forward pass cost in time and memory, and how fast the dense layers run
// on the encoded weights against the same layers widened to packed floats.

#include "benchcore.h"

#include <cstddef>
#include <string>

namespace attnviz::bench {

struct OpenAndForward
{
    double openMs = 0;           // openModel alone
    double firstForwardMs = 0;   // the first forward pass after it (pages of the mapped file first touched)
    double rssBeforeMb = 0;      // this process before the open (libraries, Qt)
    double rssAfterOpenMb = 0;   // resident after the open
    double anonAfterOpenMb = 0;  // of which allocated memory (the rest: pages of the mapped file)
    double peakRssMb = 0;        // VmHWM after the forward
    double capturedMb = 0;       // the attention maps the result holds
    int floatMatrices = 0;       // GenericTransformer::weightStorage
    int encodedMatrices = 0;
};

// Opens `folder` once and runs `tokens` random ids through it, every attention map captured.
OpenAndForward openThenForward(const std::string& folder, int tokens);

struct DenseComparison
{
    double flopsPerPass = 0; // 2·T·K·N summed over the layers' matrices
    Timing encoded;          // the file's 16-bit rows (the model's path)
    Timing packed;           // the same weights widened to packed floats (the path before)
};

// The dense layers (q | k | v with biases, o, gate | up, down) of the first `layers` layers of a
// Llama-layout safetensors checkpoint (Hugging Face names) on `tokens` random rows, timed both
// ways, the two interleaved run by run.
DenseComparison compareDenseLayers(const std::string& folder, int layers, int tokens, int runs);

} // namespace attnviz::bench
