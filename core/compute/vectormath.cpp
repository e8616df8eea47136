#include "compute/vectormath.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attnviz::compute {

namespace {

constexpr Index chunk = 256; // floats per scratch pass: a multiple of every vector width
using Chunk = Eigen::Map<Eigen::Array<float, chunk, 1>, Eigen::Aligned64>;

// Applies f (Chunk -> expression) to x[0, n) chunk by chunk through aligned scratch.
template <typename F> void mapInPlace(float* x, Index n, F f)
{
    alignas(64) float buffer[chunk];
    Chunk v(buffer);
    for (Index start = 0; start < n; start += chunk) {
        const Index count = std::min(chunk, n - start);
        std::copy(x + start, x + start + count, buffer);
        std::fill(buffer + count, buffer + chunk, 0.0f);
        v = f(v);
        std::copy(buffer, buffer + count, x + start);
    }
}

} // namespace

void geluTanhInPlace(float* x, Index n)
{
    const float c = std::sqrt(2.0f / 3.14159265358979323846f);
    mapInPlace(x, n, [c](const Chunk& v) { return 0.5f * v * (1.0f + (c * (v + 0.044715f * v * v * v)).tanh()); });
}

void siluInPlace(float* x, Index n)
{
    mapInPlace(x, n, [](const Chunk& v) { return v / (1.0f + (-v).exp()); });
}

bool softmaxRow(const float* logits, const std::uint8_t* allowed, Index n, float scale, float* out)
{
    constexpr float minusInfinity = -std::numeric_limits<float>::infinity();
    alignas(64) float buffer[chunk];
    Chunk v(buffer);
    // Masked keys count as −∞: they are skipped for the maximum and contribute exactly 0.
    const auto load = [&](Index start, Index count) {
        for (Index j = 0; j < count; ++j)
            buffer[j] = allowed[start + j] != 0 ? logits[start + j] * scale : minusInfinity;
        std::fill(buffer + count, buffer + chunk, minusInfinity);
    };
    float rowMax = minusInfinity;
    for (Index start = 0; start < n; start += chunk) {
        load(start, std::min(chunk, n - start));
        rowMax = std::max(rowMax, v.maxCoeff());
    }
    if (rowMax == minusInfinity) {
        std::fill(out, out + n, 0.0f);
        return false;
    }
    alignas(64) float keep[chunk];
    Chunk kept(keep);
    float sum = 0.0f;
    for (Index start = 0; start < n; start += chunk) {
        const Index count = std::min(chunk, n - start);
        load(start, count);
        // Masked keys (−∞) and terms below e^-87 (under the smallest normal float) are exactly 0:
        // the packet exp would give them a tiny non-zero value that differs between instruction
        // sets. Multiplying by 0/1 does it with vectors (Eigen 3.4's select() has no vector form).
        for (Index j = 0; j < chunk; ++j)
            keep[j] = buffer[j] - rowMax > -87.0f ? 1.0f : 0.0f;
        v = (v - rowMax).exp() * kept;
        sum += v.sum();
        std::copy(buffer, buffer + count, out + start);
    }
    for (Index j = 0; j < n; ++j)
        out[j] /= sum; // sum >= 1: the maximum contributes e^0
    return true;
}

} // namespace attnviz::compute
