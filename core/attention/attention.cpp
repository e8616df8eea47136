#include "attention/attention.h"

#include <cmath>
#include <limits>
#include <string>

namespace attnviz {

namespace {

std::string shape(const Matrix& m)
{
    return std::to_string(m.rows()) + " x " + std::to_string(m.cols());
}

void requireShape(bool ok, const std::string& what)
{
    if (!ok) throw std::invalid_argument(what);
}

} // namespace

void maskedSoftmaxRows(const Matrix& logits, const MaskMatrix& mask, Matrix& weights,
                       std::vector<std::uint8_t>& fullyMasked)
{
    const Index rows = logits.rows();
    const Index cols = logits.cols();
    weights.setZero(rows, cols);
    fullyMasked.assign(static_cast<std::size_t>(rows), 0);
    for (Index i = 0; i < rows; ++i) {
        // Masked keys count as −∞: they are skipped for the maximum and contribute exp(−∞) = 0.
        float rowMax = -std::numeric_limits<float>::infinity();
        for (Index j = 0; j < cols; ++j) {
            if (mask(i, j) != 0 && logits(i, j) > rowMax) rowMax = logits(i, j);
        }
        if (rowMax == -std::numeric_limits<float>::infinity()) {
            fullyMasked[static_cast<std::size_t>(i)] = 1; // nothing to attend to: an all-zero row, not NaN
            continue;
        }
        float sum = 0.0f;
        for (Index j = 0; j < cols; ++j) {
            if (mask(i, j) != 0) {
                const float e = std::exp(logits(i, j) - rowMax);
                weights(i, j) = e;
                sum += e;
            }
        }
        weights.row(i) /= sum; // sum >= 1: the maximum contributes exp(0)
    }
}

HeadCapture attendProjected(Matrix q, Matrix k, Matrix v, const MaskMatrix& mask, bool scale)
{
    requireShape(q.cols() == k.cols(), "Q is " + shape(q) + " but K is " + shape(k) + ": d_k must agree");
    requireShape(k.rows() == v.rows(), "K is " + shape(k) + " but V is " + shape(v) + ": one row per key");
    requireShape(mask.rows() == q.rows() && mask.cols() == k.rows(),
                 "mask is " + std::to_string(mask.rows()) + " x " + std::to_string(mask.cols()) + ", expected " +
                     std::to_string(q.rows()) + " x " + std::to_string(k.rows()) + " (queries x keys)");
    HeadCapture h;
    h.scores.noalias() = q * k.transpose();
    h.scaledByRootDk = scale;
    if (scale && q.cols() > 0) {
        h.scaled = h.scores / std::sqrt(static_cast<float>(q.cols()));
    } else {
        h.scaled = h.scores;
    }
    h.mask = mask;
    maskedSoftmaxRows(h.scaled, mask, h.weights, h.fullyMasked);
    h.output.noalias() = h.weights * v;
    h.q = std::move(q);
    h.k = std::move(k);
    h.v = std::move(v);
    return h;
}

MultiHeadResult multiHeadAttention(const Matrix& x, const Matrix& source, const std::vector<HeadWeights>& heads,
                                   const Matrix* wo, const AttentionOptions& options)
{
    requireShape(!heads.empty(), "multi-head attention needs at least one head");
    requireShape(x.cols() == source.cols(), "queries are " + shape(x) + " but the source is " + shape(source) +
                                                ": both need d_model columns");
    const Index dv = heads.front().wv.cols();
    for (std::size_t i = 0; i < heads.size(); ++i) {
        const HeadWeights& w = heads[i];
        const std::string name = "head " + std::to_string(i);
        requireShape(w.wq.rows() == x.cols() && w.wk.rows() == x.cols() && w.wv.rows() == x.cols(),
                     name + ": W_Q, W_K and W_V need d_model = " + std::to_string(x.cols()) + " rows");
        requireShape(w.wq.cols() == w.wk.cols(), name + ": W_Q is " + shape(w.wq) + " but W_K is " + shape(w.wk));
        requireShape(w.wv.cols() == dv, name + ": every head needs the same d_v for concatenation");
    }
    const auto headCount = static_cast<Index>(heads.size());
    if (wo != nullptr) {
        requireShape(wo->rows() == headCount * dv, "W_O is " + shape(*wo) + ", expected " +
                                                       std::to_string(headCount * dv) + " rows (heads x d_v)");
    }
    const MaskMatrix mask = buildMask(options.mask, x.rows(), source.rows());

    MultiHeadResult result;
    result.heads.resize(heads.size());
    // One head per iteration; each head is computed serially, so the result does not depend on
    // the thread count. Exceptions must not escape an OpenMP region: record and rethrow after.
    bool cancelled = false;
#pragma omp parallel for schedule(static)
    for (Index h = 0; h < headCount; ++h) {
        if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
#pragma omp atomic write
            cancelled = true;
            continue;
        }
        const HeadWeights& w = heads[static_cast<std::size_t>(h)];
        Matrix q = x * w.wq;
        Matrix k = source * w.wk;
        Matrix v = source * w.wv;
        HeadCapture capture = attendProjected(std::move(q), std::move(k), std::move(v), mask, options.scale);
        capture.name = w.name.empty() ? "head " + std::to_string(h) : w.name;
        result.heads[static_cast<std::size_t>(h)] = std::move(capture);
    }
    if (cancelled) throw Cancelled();

    result.concat.resize(x.rows(), headCount * dv);
    for (Index h = 0; h < headCount; ++h) {
        result.concat.middleCols(h * dv, dv) = result.heads[static_cast<std::size_t>(h)].output;
    }
    if (wo != nullptr) {
        result.output.noalias() = result.concat * *wo;
        result.hasOutputProjection = true;
    } else {
        result.output = result.concat;
    }
    return result;
}

} // namespace attnviz
