#include "models/kernels.h"

#include <cmath>
#include <exception>
#include <stdexcept>

namespace attnviz {

namespace {
// Fixed row block for GEMMs: the partition must not depend on the number of threads.
constexpr Index rowBlock = 128;
constexpr Index colBlock = 256;
// Below this many multiply-adds (or elements, for element-wise loops) threads cost more than they save.
// It must stay below Eigen 3.4's own threading threshold (2 x 50000 multiply-adds per product):
// a product we run outside an active parallel region then never gets threaded by Eigen, whose
// blocking would depend on the thread count and break bit-identical results.
constexpr Index parallelWork = Index(1) << 16;
} // namespace

Matrix applyLinear(const Matrix& x, const Linear& layer)
{
    if (x.cols() != layer.w.rows()) {
        throw std::invalid_argument("linear layer expects " + std::to_string(layer.w.rows()) + " inputs, got " +
                                    std::to_string(x.cols()));
    }
    Matrix y(x.rows(), layer.w.cols());
    // Fixed (rowBlock x colBlock) output tiles: a single row (generation) still spreads over threads.
    const Index rowTiles = (x.rows() + rowBlock - 1) / rowBlock;
    const Index colTiles = (layer.w.cols() + colBlock - 1) / colBlock;
    const bool parallel = x.rows() * layer.w.size() >= parallelWork;
#pragma omp parallel for schedule(static) if (parallel)
    for (Index tile = 0; tile < rowTiles * colTiles; ++tile) {
        const Index r0 = (tile / colTiles) * rowBlock;
        const Index c0 = (tile % colTiles) * colBlock;
        const Index rows = std::min(rowBlock, x.rows() - r0);
        const Index cols = std::min(colBlock, layer.w.cols() - c0);
        // Inside a parallel region (or when it is skipped) Eigen runs the product single-threaded.
        auto out = y.block(r0, c0, rows, cols);
        out.noalias() = x.middleRows(r0, rows) * layer.w.middleCols(c0, cols);
        if (layer.b.size() > 0)
            out.rowwise() += layer.b.segment(c0, cols);
    }
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
    const float c = std::sqrt(2.0f / 3.14159265358979323846f);
    float* p = x.data();
    const Index n = x.size();
#pragma omp parallel for schedule(static) if (n >= parallelWork)
    for (Index i = 0; i < n; ++i) {
        const float v = p[i];
        p[i] = 0.5f * v * (1.0f + std::tanh(c * (v + 0.044715f * v * v * v)));
    }
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

void siluInPlace(Matrix& x)
{
    float* p = x.data();
    const Index n = x.size();
#pragma omp parallel for schedule(static) if (n >= parallelWork)
    for (Index i = 0; i < n; ++i) {
        p[i] = p[i] / (1.0f + std::exp(-p[i]));
    }
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
    const int half = headDim / 2;
    if (static_cast<int>(inverseFrequencies.size()) != half) {
        throw std::invalid_argument("applyRope: need headDim/2 inverse frequencies");
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

Matrix attendHeads(const Matrix& q, const Matrix& k, const Matrix& v, int heads, int kvHeads,
                   const LayerAttentionOptions& options)
{
    if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || q.cols() % heads != 0 || k.cols() % kvHeads != 0 ||
        v.cols() % kvHeads != 0) {
        throw std::invalid_argument("attendHeads: head counts do not divide the projections");
    }
    const Index dk = q.cols() / heads;
    const Index dv = v.cols() / kvHeads;
    const Index T = q.rows();
    const Index S = k.rows();
    const int group = heads / kvHeads;
    Matrix concat(T, dv * heads);
    std::exception_ptr failure;
    const bool parallel = heads > 1 && T * S * dk * heads >= parallelWork;
#pragma omp parallel for schedule(static) if (parallel)
    for (int h = 0; h < heads; ++h) {
        try {
            const int g = h / group;
            HeadCapture c = attendProjected(q.middleCols(h * dk, dk), k.middleCols(g * dk, dk),
                                            v.middleCols(g * dv, dv), *options.mask, options.scale);
            if (options.weightsOut != nullptr) {
                Eigen::Map<Matrix>(options.weightsOut + static_cast<Index>(h) * T * S, T, S) = c.weights;
            }
            const bool ablated = options.ablated != nullptr && options.ablated->count({options.layer, h}) != 0;
            if (ablated) {
                concat.middleCols(h * dv, dv).setZero();
            } else {
                concat.middleCols(h * dv, dv) = c.output;
            }
            if (h == options.captureHead && options.capture != nullptr) {
                *options.capture = std::move(c);
            }
        } catch (...) {
#pragma omp critical(attnviz_attend_heads)
            failure = std::current_exception();
        }
    }
    if (failure)
        std::rethrow_exception(failure);
    return concat;
}

} // namespace attnviz
