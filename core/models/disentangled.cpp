#include "models/disentangled.h"

#include "base/modelloaderror.h"
#include "models/hfconfig.h"
#include "util/sizelimits.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace attnviz {

namespace {

std::string trimmedLower(std::string s)
{
    const auto first = s.find_first_not_of(" \t");
    const auto last = s.find_last_not_of(" \t");
    s = first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// "a|b" split at '|', each part trimmed and lower-cased (DebertaV2Config's reading of a string).
std::vector<std::string> barSeparated(const std::string& text)
{
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (true) {
        const std::size_t bar = text.find('|', from);
        parts.push_back(trimmedLower(text.substr(from, bar == std::string::npos ? std::string::npos : bar - from)));
        if (bar == std::string::npos)
            return parts;
        from = bar + 1;
    }
}

// A whole number from config.json that may be negative (the "not set" -1 of DeBERTa's keys).
int signedSize(const HfConfig& config, const std::string& key, int fallback)
{
    const double v = config.numberOr(key, fallback);
    const int largest = sizeLimit(SizeKind::Positions).max;
    if (v != std::floor(v) || v < -1 || v > largest) {
        throw ModelLoadError(config.path() + ": \"" + key + "\" must be a whole number from -1 to " +
                             std::to_string(largest));
    }
    return static_cast<int>(v);
}

} // namespace

int logBucketPosition(int relative, int bucketSize, int maxPosition)
{
    const int mid = bucketSize / 2;
    const int magnitude = relative < mid && relative > -mid ? mid - 1 : std::abs(relative);
    if (magnitude <= mid)
        return relative;
    // float32 throughout, as torch computes it: log(|r| / mid) / log((max − 1) / mid) · (mid − 1).
    const float ratio = static_cast<float>(magnitude) / static_cast<float>(mid);
    const float denominator = std::log(static_cast<float>(static_cast<double>(maxPosition - 1) / mid));
    const float scaled = std::log(ratio) / denominator * static_cast<float>(mid - 1);
    const int bucket = static_cast<int>(std::ceil(scaled)) + mid;
    return relative < 0 ? -bucket : bucket;
}

int relativePosition(int i, int j, const DisentangledAttention& a)
{
    const int r = i - j;
    if (a.positionBuckets > 0 && a.maxRelativePositions > 0)
        return logBucketPosition(r, a.positionBuckets, a.maxRelativePositions);
    return r;
}

DisentangledAttention disentangledSettings(const HfConfig& config, int maxPositions)
{
    const std::string& path = config.path();
    DisentangledAttention a;
    a.convKernel = std::max(0, signedSize(config, "conv_kernel_size", 0));
    if (a.convKernel > 0) {
        // An even kernel gives torch's Conv1d T − 1 outputs, which cannot join the residual stream.
        if (a.convKernel % 2 == 0 || a.convKernel > 255)
            throw ModelLoadError(path + ": \"conv_kernel_size\" " + std::to_string(a.convKernel) +
                                 " is not supported (an odd size up to 255 is)");
        a.convGroups = signedSize(config, "conv_groups", 1);
        if (a.convGroups < 1)
            throw ModelLoadError(path + ": \"conv_groups\" must be positive");
        a.convActivation = config.stringOr("conv_act", "tanh");
    }
    a.relative = config.boolOr("relative_attention", false);
    a.shareKey = config.boolOr("share_att_key", false);
    // pos_att_type: "p2c|c2p", a list, or null; other entries do nothing in DeBERTa-v2's code.
    if (const json::Value* types = config.root().find("pos_att_type"); types != nullptr && !types->isNull()) {
        std::vector<std::string> names;
        if (types->isString()) {
            names = barSeparated(types->asString());
        } else if (types->isArray()) {
            for (const json::Value& t : types->asArray()) {
                if (!t.isString())
                    throw ModelLoadError(path + ": \"pos_att_type\" must list strings (c2p, p2c)");
                names.push_back(t.asString());
            }
        } else {
            throw ModelLoadError(path + ": \"pos_att_type\" must be a string such as \"p2c|c2p\" or a list");
        }
        a.c2p = std::find(names.begin(), names.end(), "c2p") != names.end();
        a.p2c = std::find(names.begin(), names.end(), "p2c") != names.end();
    }
    const std::vector<std::string> norms = barSeparated(config.stringOr("norm_rel_ebd", "none"));
    a.normRelative = std::find(norms.begin(), norms.end(), "layer_norm") != norms.end();
    a.maxRelativePositions = signedSize(config, "max_relative_positions", -1);
    if (a.maxRelativePositions < 1)
        a.maxRelativePositions = maxPositions;
    a.positionBuckets = signedSize(config, "position_buckets", -1);
    a.span = a.positionBuckets > 0 ? a.positionBuckets : a.maxRelativePositions;
    if (a.relative && a.span < 1)
        throw ModelLoadError(path + ": \"max_relative_positions\" (or \"max_position_embeddings\") must be positive");
    if (a.relative && a.positionBuckets > 0) {
        const int mid = a.positionBuckets / 2;
        if (mid < 2 || a.maxRelativePositions - 1 <= mid) {
            throw ModelLoadError(path + ": \"position_buckets\" " + std::to_string(a.positionBuckets) +
                                 " needs \"max_relative_positions\" above half of it plus one, and at least 4 buckets");
        }
    }
    return a;
}

DebertaConv debertaConv(const std::vector<float>& weights, RowVector bias, int width, int kernel, int groups)
{
    DebertaConv c;
    const int perGroup = width / groups; // input (and output) channels of each group
    std::vector<Matrix> taps(static_cast<std::size_t>(kernel), Matrix::Zero(width, width)); // (in, out), block-diagonal
    for (int o = 0; o < width; ++o) {
        const int firstInput = (o / perGroup) * perGroup;
        for (int ci = 0; ci < perGroup; ++ci) {
            for (int u = 0; u < kernel; ++u) {
                const auto at = (static_cast<std::size_t>(o) * perGroup + ci) * kernel + u;
                taps[static_cast<std::size_t>(u)](firstInput + ci, o) = weights[at];
            }
        }
    }
    for (const Matrix& tap : taps)
        c.taps.emplace_back(tap);
    c.bias = std::move(bias);
    return c;
}

Matrix applyDebertaConv(const DebertaConv& c, const Matrix& embeddings, const Matrix& layerOutput,
                        const std::vector<std::uint8_t>& valid, float eps)
{
    const Index T = embeddings.rows();
    const auto kernel = static_cast<Index>(c.taps.size());
    const Index pad = (kernel - 1) / 2;
    Matrix out = Matrix::Zero(T, embeddings.cols());
    out.rowwise() += c.bias;
    for (Index u = 0; u < kernel; ++u) {
        const Index shift = u - pad; // output row t reads input row t + shift
        const Index first = std::max<Index>(0, -shift);
        const Index last = std::min<Index>(T, T - shift); // one past
        if (last > first)
            out.middleRows(first, last - first) +=
                applyLinear(Matrix(embeddings.middleRows(first + shift, last - first)), c.taps[static_cast<std::size_t>(u)]);
    }
    for (Index t = 0; t < T; ++t) {
        if (valid[static_cast<std::size_t>(t)] == 0)
            out.row(t).setZero();
    }
    if (c.tanh)
        out = out.array().tanh().matrix();
    else
        activateInPlace(c.activation, out);
    Matrix y = layerNorm(layerOutput + out, c.normGain, c.normBias, eps);
    for (Index t = 0; t < T; ++t) {
        if (valid[static_cast<std::size_t>(t)] == 0)
            y.row(t).setZero();
    }
    return y;
}

std::string disentangledNote(const DisentangledAttention& a, int headDim)
{
    const std::string root = "√(" + std::to_string(headDim) + "·" + std::to_string(a.scaleFactor()) + ")";
    if (!a.relative || (!a.c2p && !a.p2c))
        return "DeBERTa: scaled = scores ÷ " + root + " (the position attention types widen the divisor)";
    std::string terms;
    if (a.c2p)
        terms += " + c2p";
    if (a.p2c)
        terms += " + p2c";
    std::string note = "DeBERTa's disentangled attention: \"scores\" is Q·Kᵀ alone, \"scaled\" is (Q·Kᵀ" + terms +
                       ") ÷ " + root + ", the softmax of which gives the weights";
    if (a.c2p)
        note += "; c2p(i, j) = Q_i · K_rel(δ), the query against the key projection of relative position δ";
    if (a.p2c)
        note += "; p2c(i, j) = K_j · Q_rel(δ), the key against the query projection of relative position δ";
    note += std::string("; δ = i − j") +
            (a.positionBuckets > 0 ? " in log buckets (" + std::to_string(a.positionBuckets) + " buckets up to " +
                                         std::to_string(a.maxRelativePositions) + ")"
                                   : std::string()) +
            ", clamped to ±" + std::to_string(a.span) +
            (a.shareKey ? "; positions use the layer's own W_Q and W_K (share_att_key)"
                        : "; positions have projections of their own (pos_key_proj, pos_query_proj)");
    return note;
}

std::vector<float> disentangledBias(const DisentangledAttention& a, const Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>& q,
                                    const Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>& k, const Matrix& posQuery,
                                    const Matrix& posKey, int heads, int headDim, int firstPosition, float scale)
{
    if (!a.relative || (!a.c2p && !a.p2c))
        return {};
    const Index T = q.rows();
    const Index S = k.rows();
    const int rows = a.tableRows();
    const auto clampRow = [rows](int r) { return std::clamp(r, 0, rows - 1); };
    // Table rows each (query, key) reads. c2p: the bucket of (query − key) + span. p2c, as the
    // reference gathers it over (key, query) pairs and transposes: −bucket(key − query) + span.
    std::vector<int> c2pRow(static_cast<std::size_t>(T * S)), p2cRow(static_cast<std::size_t>(T * S));
    for (Index i = 0; i < T; ++i) {
        const int at = firstPosition + static_cast<int>(i);
        for (Index j = 0; j < S; ++j) {
            const auto cell = static_cast<std::size_t>(i * S + j);
            c2pRow[cell] = clampRow(relativePosition(at, static_cast<int>(j), a) + a.span);
            p2cRow[cell] = clampRow(-relativePosition(static_cast<int>(j), at, a) + a.span);
        }
    }
    std::vector<float> bias(static_cast<std::size_t>(heads) * static_cast<std::size_t>(T * S));
    const bool parallel = heads > 1 && static_cast<Index>(heads) * T * S * headDim >= (Index(1) << 14);
#pragma omp parallel for schedule(static) if (parallel)
    for (int h = 0; h < heads; ++h) {
        const Index c0 = static_cast<Index>(h) * headDim;
        Matrix c2p, p2c; // (T, rows) queries against every position key; (S, rows) keys against every position query
        if (a.c2p)
            c2p.noalias() = q.middleCols(c0, headDim) * posKey.middleCols(c0, headDim).transpose();
        if (a.p2c)
            p2c.noalias() = k.middleCols(c0, headDim) * posQuery.middleCols(c0, headDim).transpose();
        float* out = bias.data() + static_cast<std::size_t>(h) * static_cast<std::size_t>(T * S);
        for (Index i = 0; i < T; ++i) {
            for (Index j = 0; j < S; ++j) {
                const auto cell = static_cast<std::size_t>(i * S + j);
                float v = 0.0f;
                if (a.c2p)
                    v += c2p(i, c2pRow[cell]);
                if (a.p2c)
                    v += p2c(j, p2cRow[cell]);
                out[cell] = v * scale;
            }
        }
    }
    return bias;
}

} // namespace attnviz
