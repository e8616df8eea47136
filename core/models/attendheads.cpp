// attendHeads: every head of one layer, written straight into the caller's attention tensor.
// Per head: pack Kᵀ and V into panels, Q·Kᵀ tile by tile up to the last allowed key of each row
// block, softmax in place, then weights·V into the head's columns of the concatenation.
#include "models/kernels.h"

#include "compute/microkernel.h"
#include "compute/packedgemm.h"
#include "compute/vectormath.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <stdexcept>

namespace attnviz {

namespace {

using compute::panelWidth;
using compute::tileRows;
constexpr Index depthBlock = 256; // keys per pass of weights·V, as for the dense layers

// Per-thread buffers kept across calls: fresh pages cost more than the work on them.
struct HeadScratch
{
    Eigen::VectorXf keys;    // packed Kᵀ (d_k, S)
    Eigen::VectorXf values;  // packed V (S, d_v)
    Eigen::VectorXf weights; // (T, S) when the caller keeps no attention tensor

    static float* reserve(Eigen::VectorXf& buffer, Index size)
    {
        if (buffer.size() < size)
            buffer.resize(size);
        return buffer.data();
    }
};

HeadScratch& scratch()
{
    thread_local HeadScratch s;
    return s;
}

// One past the last key each query may attend to (0 when the row is fully masked).
std::vector<Index> keyEnds(const MaskMatrix& mask)
{
    std::vector<Index> ends(static_cast<std::size_t>(mask.rows()), 0);
    for (Index i = 0; i < mask.rows(); ++i) {
        const std::uint8_t* row = mask.data() + i * mask.cols();
        Index end = mask.cols();
        while (end > 0 && row[end - 1] == 0)
            --end;
        ends[static_cast<std::size_t>(i)] = end;
    }
    return ends;
}

Index blockEnd(const std::vector<Index>& ends, Index row, Index rows)
{
    return *std::max_element(ends.begin() + row, ends.begin() + row + rows);
}

struct HeadInputs
{
    const float* q; // row i at q + i * ldq, d_k floats
    Index ldq;
    compute::PanelsView keys;   // Kᵀ (d_k, S)
    compute::PanelsView values; // V (S, d_v)
    Index T;
    Index S;
};

// scores (T, S) = Q·Kᵀ, only up to each row block's last allowed key unless `full`.
void headScores(const HeadInputs& in, const std::vector<Index>& ends, bool full, float* scores)
{
    for (Index i = 0; i < in.T; i += tileRows) {
        const Index mr = std::min<Index>(tileRows, in.T - i);
        const Index end = full ? in.S : blockEnd(ends, i, mr);
        for (Index j = 0; j < end; j += panelWidth) {
            const int nc = static_cast<int>(std::min<Index>(panelWidth, in.S - j));
            compute::microTileRows(static_cast<int>(mr), in.keys.rows, in.q + i * in.ldq, in.ldq,
                                   in.keys.panel(j / panelWidth), scores + i * in.S + j, in.S, nc, false, nullptr);
        }
    }
}

// output (T, d_v) = weights · V, skipping the all-zero columns past each row block's last key.
void headOutput(const HeadInputs& in, const std::vector<Index>& ends, const float* weights, float* out, Index ldo)
{
    const Index dv = in.values.cols;
    for (Index i = 0; i < in.T; i += tileRows) {
        const Index mr = std::min<Index>(tileRows, in.T - i);
        const Index end = blockEnd(ends, i, mr);
        for (Index j = 0; j < dv; j += panelWidth) {
            const int nc = static_cast<int>(std::min<Index>(panelWidth, dv - j));
            if (end == 0) { // every query of the block is fully masked: nothing to add up
                for (Index r = 0; r < mr; ++r)
                    std::fill(out + (i + r) * ldo + j, out + (i + r) * ldo + j + nc, 0.0f);
            }
            for (Index k0 = 0; k0 < end; k0 += depthBlock) {
                const Index kc = std::min(depthBlock, end - k0);
                compute::microTileRows(static_cast<int>(mr), kc, weights + i * in.S + k0, in.S,
                                       in.values.panel(j / panelWidth) + k0 * panelWidth, out + i * ldo + j, ldo,
                                       nc, k0 > 0, nullptr);
            }
        }
    }
}

// Softmax of every row of logits (T, S) * scale into weights, over the keys the mask allows.
void headSoftmax(const float* logits, float scale, const MaskMatrix& mask, const std::vector<Index>& ends, Index S,
                 float* weights, std::vector<std::uint8_t>* fullyMasked)
{
    for (Index i = 0; i < mask.rows(); ++i) {
        const Index end = ends[static_cast<std::size_t>(i)];
        float* row = weights + i * S;
        const bool any = compute::softmaxRow(logits + i * S, mask.data() + i * S, end, scale, row);
        std::fill(row + end, row + S, 0.0f);
        if (fullyMasked != nullptr)
            (*fullyMasked)[static_cast<std::size_t>(i)] = any ? 0 : 1;
    }
}

// Scores of each row's allowed keys scaled, plus a bias (rows biasRowStride apart: S for T5's
// relative positions, 0 for one row shared by all; or null), then soft-capped when cap > 0
// (Gemma 2: c·tanh(s / c)).
void adjustScores(float* scores, Index S, const std::vector<Index>& ends, float scale, const float* bias,
                  Index biasRowStride, float cap)
{
    for (std::size_t i = 0; i < ends.size(); ++i) {
        float* row = scores + static_cast<Index>(i) * S;
        const float* add = bias != nullptr ? bias + static_cast<Index>(i) * biasRowStride : nullptr;
        for (Index j = 0; j < ends[i]; ++j) {
            float v = row[j] * scale + (add != nullptr ? add[j] : 0.0f);
            row[j] = cap > 0 ? cap * std::tanh(v / cap) : v;
        }
    }
}

} // namespace

Matrix attendHeads(ConstRowsRef q, ConstRowsRef k, ConstRowsRef v, int heads, int kvHeads,
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
    const MaskMatrix& mask = *options.mask;
    if (k.cols() / kvHeads != dk || v.rows() != S || mask.rows() != T || mask.cols() != S) {
        throw std::invalid_argument("attendHeads: Q, K, V and the mask do not fit together");
    }
    const int group = heads / kvHeads;
    const float rootDk = dk > 0 ? 1.0f / std::sqrt(static_cast<float>(dk)) : 1.0f;
    const float scale = !options.scale ? 1.0f : options.scaleFactor > 0 ? options.scaleFactor : rootDk;
    const float cap = options.softcap;
    const bool adjusted = cap > 0 || options.scoreBias != nullptr; // else softmax applies the scale itself
    const std::vector<Index> ends = keyEnds(mask);
    Matrix concat(T, dv * heads);
    std::exception_ptr failure;
    const bool parallel = heads > 1 && T * S * dk * heads >= (Index(1) << 16);
#pragma omp parallel for schedule(static) if (parallel)
    for (int h = 0; h < heads; ++h) {
        try {
            const int g = h / group;
            HeadScratch& s = scratch();
            float* keys = HeadScratch::reserve(s.keys, compute::packedSize(dk, S));
            float* values = HeadScratch::reserve(s.values, compute::packedSize(S, dv));
            compute::packPanels(k.data() + g * dk, 1, k.outerStride(), dk, S, keys);
            compute::packPanels(v.data() + g * dv, v.outerStride(), 1, S, dv, values);
            const HeadInputs in{q.data() + h * dk, q.outerStride(), {keys, dk, S}, {values, S, dv}, T, S};
            float* held = options.maps != nullptr ? options.maps->head(options.layer, h) : nullptr;
            float* weights = held != nullptr ? held : HeadScratch::reserve(s.weights, T * S);
            float* out = concat.data() + h * dv;
            const bool captured = h == options.captureHead && options.capture != nullptr;
            const Index biasRowStride = options.scoreBiasPerKey ? 0 : S;
            const float* bias = options.scoreBias != nullptr
                                    ? options.scoreBias + static_cast<Index>(h) * (options.scoreBiasPerKey ? 1 : T) * S
                                    : nullptr;
            if (captured) {
                HeadCapture& c = *options.capture;
                c.scores.resize(T, S);
                headScores(in, ends, true, c.scores.data());
                c.scaledByRootDk = options.scale;
                c.scaled = c.scores;
                if (adjusted) // every key, masked ones too: the pipeline view shows the whole matrix
                    adjustScores(c.scaled.data(), S, std::vector<Index>(static_cast<std::size_t>(T), S), scale, bias,
                                 biasRowStride, cap);
                else
                    c.scaled *= scale;
                c.mask = mask;
                c.fullyMasked.assign(static_cast<std::size_t>(T), 0);
                headSoftmax(c.scaled.data(), 1.0f, mask, ends, S, weights, &c.fullyMasked);
            } else {
                headScores(in, ends, false, weights);
                if (adjusted)
                    adjustScores(weights, S, ends, scale, bias, biasRowStride, cap);
                headSoftmax(weights, adjusted ? 1.0f : scale, mask, ends, S, weights, nullptr);
            }
            headOutput(in, ends, weights, out, concat.cols());
            if (captured) {
                HeadCapture& c = *options.capture;
                c.q = q.middleCols(h * dk, dk);
                c.k = k.middleCols(g * dk, dk);
                c.v = v.middleCols(g * dv, dv);
                c.weights = Eigen::Map<const Matrix>(weights, T, S);
                c.output = concat.middleCols(h * dv, dv);
            }
            if (options.ablated != nullptr && options.ablated->count({options.layer, h}) != 0)
                concat.middleCols(h * dv, dv).setZero();
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
