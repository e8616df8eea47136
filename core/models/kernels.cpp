#include "models/kernels.h"

#include "base/modelloaderror.h"
#include "compute/vectormath.h"
#include "util/messagetext.h"

#include <cmath>
#include <exception>
#include <stdexcept>

namespace attnviz {

namespace {
// Fixed vocabulary block for the LM head: the partition must not depend on the number of threads.
constexpr Index colBlock = 256;
// Below this many multiply-adds (or elements, for element-wise loops) threads cost more than they save.
// It must stay below Eigen 3.4's own threading threshold (2 x 50000 multiply-adds per product):
// a product we run outside an active parallel region then never gets threaded by Eigen, whose
// blocking would depend on the thread count and break bit-identical results.
constexpr Index parallelWork = Index(1) << 16;

// Applies an element-wise array function over fixed blocks of x, in parallel. The blocks do not
// depend on the thread count, and the function's results do not depend on the split either.
void forEachBlock(Matrix& x, void (*f)(float*, Index))
{
    constexpr Index block = Index(1) << 14;
    const Index n = x.size();
    const Index blocks = (n + block - 1) / block;
#pragma omp parallel for schedule(static) if (n >= parallelWork)
    for (Index i = 0; i < blocks; ++i)
        f(x.data() + i * block, std::min(block, n - i * block));
}
} // namespace

Matrix applyLinear(const Matrix& x, const Linear& layer)
{
    if (x.cols() != layer.inputs()) {
        throw std::invalid_argument("linear layer expects " + std::to_string(layer.inputs()) + " inputs, got " +
                                    std::to_string(x.cols()));
    }
    Matrix y(x.rows(), layer.outputs());
    layer.matrix().multiply(x.data(), x.cols(), x.rows(), layer.bias().size() > 0 ? layer.bias().data() : nullptr,
                            y.data(), y.cols(), true);
    return y;
}

Matrix multiplyTransposed(const Matrix& x, const Matrix& embedding)
{
    Matrix y(x.rows(), embedding.rows());
    const Index blocks = (embedding.rows() + colBlock - 1) / colBlock;
    const bool parallel = x.rows() * embedding.size() >= parallelWork;
#pragma omp parallel for schedule(static) if (parallel)
    for (Index blk = 0; blk < blocks; ++blk) {
        const Index c0 = blk * colBlock;
        const Index n = std::min(colBlock, embedding.rows() - c0);
        y.middleCols(c0, n).noalias() = x * embedding.middleRows(c0, n).transpose();
    }
    return y;
}

Matrix layerNorm(const Matrix& x, const RowVector& gain, const RowVector& bias, float eps)
{
    Matrix y(x.rows(), x.cols());
    const float n = static_cast<float>(x.cols());
#pragma omp parallel for schedule(static) if (x.size() >= parallelWork)
    for (Index r = 0; r < x.rows(); ++r) {
        const float mean = x.row(r).sum() / n;
        const float var = (x.row(r).array() - mean).square().sum() / n;
        const float inv = 1.0f / std::sqrt(var + eps);
        y.row(r) = ((x.row(r).array() - mean) * inv * gain.array() + bias.array()).matrix();
    }
    return y;
}

Matrix rmsNorm(const Matrix& x, const RowVector& gain, float eps)
{
    Matrix y(x.rows(), x.cols());
    const float n = static_cast<float>(x.cols());
#pragma omp parallel for schedule(static) if (x.size() >= parallelWork)
    for (Index r = 0; r < x.rows(); ++r) {
        const float inv = 1.0f / std::sqrt(x.row(r).squaredNorm() / n + eps);
        y.row(r) = (x.row(r).array() * inv * gain.array()).matrix();
    }
    return y;
}

void geluTanhInPlace(Matrix& x)
{
    forEachBlock(x, compute::geluTanhInPlace);
}

void geluErfInPlace(Matrix& x)
{
    float* p = x.data();
    const Index n = x.size();
#pragma omp parallel for schedule(static) if (n >= parallelWork)
    for (Index i = 0; i < n; ++i) {
        p[i] = 0.5f * p[i] * (1.0f + std::erf(p[i] * 0.70710678118654752f));
    }
}

void reluInPlace(Matrix& x)
{
    x = x.cwiseMax(0.0f);
}

void siluInPlace(Matrix& x)
{
    forEachBlock(x, compute::siluInPlace);
}

std::vector<float> ropeInverseFrequencies(int headDim, float theta)
{
    std::vector<float> inverse(static_cast<std::size_t>(headDim / 2));
    for (int i = 0; i < headDim / 2; ++i) {
        inverse[static_cast<std::size_t>(i)] =
            1.0f / std::pow(theta, static_cast<float>(2 * i) / static_cast<float>(headDim));
    }
    return inverse;
}

void applyRope(Matrix& x, int heads, int headDim, int firstPosition, const std::vector<float>& inverseFrequencies,
               bool interleaved)
{
    const int half = static_cast<int>(inverseFrequencies.size()); // rotated pairs per head
    if (2 * half > headDim) {
        throw std::invalid_argument("applyRope: more rotated pairs than a head has dimensions");
    }
#pragma omp parallel for schedule(static) if (x.size() >= parallelWork)
    for (Index t = 0; t < x.rows(); ++t) {
        const float pos = static_cast<float>(firstPosition + t);
        for (int i = 0; i < half; ++i) {
            const float angle = pos * inverseFrequencies[static_cast<std::size_t>(i)];
            const float c = std::cos(angle);
            const float s = std::sin(angle);
            for (int h = 0; h < heads; ++h) {
                float* base = x.data() + t * x.cols() + static_cast<Index>(h) * headDim;
                float* a = interleaved ? base + 2 * i : base + i;
                float* b = interleaved ? base + 2 * i + 1 : base + i + half;
                const float x0 = *a;
                const float x1 = *b;
                *a = x0 * c - x1 * s;
                *b = x1 * c + x0 * s;
            }
        }
    }
}

void activateInPlace(Activation activation, Matrix& x)
{
    switch (activation) {
    case Activation::GeluErf: geluErfInPlace(x); break;
    case Activation::GeluTanh: geluTanhInPlace(x); break;
    case Activation::Silu: siluInPlace(x); break;
    case Activation::Relu: reluInPlace(x); break;
    }
}

Activation activationNamed(const std::string& name, const std::string& where)
{
    if (name == "gelu")
        return Activation::GeluErf;
    if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast")
        return Activation::GeluTanh;
    if (name == "silu" || name == "swish")
        return Activation::Silu;
    if (name == "relu")
        return Activation::Relu;
    throw ModelLoadError(where + " " + quotedForMessage(name) +
                         " is not supported (gelu, gelu_new, gelu_pytorch_tanh, silu and relu are)");
}

std::vector<float> alibiSlopes(int heads)
{
    int power = 1;
    while (power * 2 <= heads)
        power *= 2;
    const auto base = [](int n) { return std::pow(2.0, -std::pow(2.0, -(std::log2(static_cast<double>(n)) - 3.0))); };
    std::vector<float> slopes;
    for (int i = 1; i <= power; ++i)
        slopes.push_back(static_cast<float>(std::pow(base(power), i)));
    for (int i = 1; static_cast<int>(slopes.size()) < heads; i += 2)
        slopes.push_back(static_cast<float>(std::pow(base(2 * power), i)));
    return slopes;
}

} // namespace attnviz
