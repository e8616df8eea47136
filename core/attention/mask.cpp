#include "attention/mask.h"

#include <string>

namespace attnviz {

namespace {
std::string shape(Index rows, Index cols)
{
    return std::to_string(rows) + " x " + std::to_string(cols);
}
} // namespace

MaskMatrix buildMask(const MaskSpec& spec, Index queries, Index keys)
{
    MaskMatrix mask(queries, keys);
    switch (spec.kind) {
    case MaskKind::None:
        mask.setOnes();
        break;
    case MaskKind::Causal: {
        // With more keys than queries (cached prefix), query i is the (keys - queries + i)-th position.
        const Index offset = keys - queries;
        for (Index i = 0; i < queries; ++i) {
            for (Index j = 0; j < keys; ++j) {
                mask(i, j) = j <= i + offset ? 1 : 0;
            }
        }
        break;
    }
    case MaskKind::Padding:
        if (static_cast<Index>(spec.keyValid.size()) != keys) {
            throw std::invalid_argument("padding mask has " + std::to_string(spec.keyValid.size()) +
                                        " entries, expected one per key (" + std::to_string(keys) + ")");
        }
        for (Index i = 0; i < queries; ++i) {
            for (Index j = 0; j < keys; ++j) {
                mask(i, j) = spec.keyValid[static_cast<std::size_t>(j)] != 0 ? 1 : 0;
            }
        }
        break;
    case MaskKind::Custom:
        if (spec.custom.rows() != queries || spec.custom.cols() != keys) {
            throw std::invalid_argument("custom mask is " + shape(spec.custom.rows(), spec.custom.cols()) +
                                        ", expected " + shape(queries, keys) + " (queries x keys)");
        }
        mask = spec.custom.unaryExpr([](std::uint8_t v) -> std::uint8_t { return v != 0 ? 1 : 0; });
        break;
    }
    return mask;
}

MaskMatrix combineMasks(const MaskMatrix& a, const MaskMatrix& b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
        throw std::invalid_argument("cannot combine a " + shape(a.rows(), a.cols()) + " mask with a " +
                                    shape(b.rows(), b.cols()) + " mask");
    }
    return a.cwiseMin(b);
}

std::vector<Index> keptPositions(const std::vector<int>& before, const std::vector<int>& now)
{
    std::vector<Index> kept(now.size(), -1);
    std::size_t prefix = 0;
    while (prefix < before.size() && prefix < now.size() && before[prefix] == now[prefix]) {
        kept[prefix] = static_cast<Index>(prefix);
        ++prefix;
    }
    // The suffix may not reach back into the prefix on either side.
    for (std::size_t k = 1; prefix + k <= before.size() && prefix + k <= now.size(); ++k) {
        const std::size_t b = before.size() - k, n = now.size() - k;
        if (before[b] != now[n])
            break;
        kept[n] = static_cast<Index>(b);
    }
    return kept;
}

MaskMatrix carryOverMask(const MaskMatrix& edited, const std::vector<int>& beforeRows,
                         const std::vector<int>& beforeCols, const std::vector<int>& nowRows,
                         const std::vector<int>& nowCols, const MaskMatrix& fallback)
{
    MaskMatrix out = fallback;
    if (edited.size() == 0 || edited.rows() != static_cast<Index>(beforeRows.size()) ||
        edited.cols() != static_cast<Index>(beforeCols.size()) || out.rows() != static_cast<Index>(nowRows.size()) ||
        out.cols() != static_cast<Index>(nowCols.size())) {
        return out;
    }
    const std::vector<Index> rows = keptPositions(beforeRows, nowRows);
    const std::vector<Index> cols = keptPositions(beforeCols, nowCols);
    for (Index i = 0; i < out.rows(); ++i) {
        const Index from = rows[static_cast<std::size_t>(i)];
        if (from < 0)
            continue;
        for (Index j = 0; j < out.cols(); ++j) {
            const Index fromCol = cols[static_cast<std::size_t>(j)];
            if (fromCol >= 0)
                out(i, j) = edited(from, fromCol);
        }
    }
    return out;
}

const char* maskKindName(MaskKind kind)
{
    switch (kind) {
    case MaskKind::None: return "none";
    case MaskKind::Causal: return "causal";
    case MaskKind::Padding: return "padding";
    case MaskKind::Custom: return "custom";
    }
    return "none";
}

std::optional<MaskKind> parseMaskKind(std::string_view name)
{
    for (MaskKind k : {MaskKind::None, MaskKind::Causal, MaskKind::Padding, MaskKind::Custom}) {
        if (name == maskKindName(k)) return k;
    }
    return std::nullopt;
}

} // namespace attnviz
