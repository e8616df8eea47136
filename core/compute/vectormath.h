#pragma once
// Element-wise maths over float arrays with the vector unit (Eigen's packet exp and tanh).
//
// Values go through an aligned scratch buffer whose length is a whole number of vectors, so every
// element takes the same (packet) code path whatever its address or the array's length. That
// keeps results bit-identical however callers split the work among threads.

#include "base/tensor.h"

#include <cstdint>

namespace attnviz::compute {

void geluTanhInPlace(float* x, Index n); // 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))), GPT-2's gelu_new
void siluInPlace(float* x, Index n);     // x / (1 + e^-x)

// Softmax of one row over the keys `allowed` marks (non-zero), of logits * scale: the largest
// allowed logit is subtracted first, masked keys come out as exactly 0. `out` may alias `logits`.
// Returns false, with an all-zero row, when no key is allowed.
bool softmaxRow(const float* logits, const std::uint8_t* allowed, Index n, float scale, float* out);

} // namespace attnviz::compute
