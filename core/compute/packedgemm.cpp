#include "compute/packedgemm.h"

#include "compute/microkernel.h"

#include <algorithm>
#include <array>
#include <utility>

namespace attnviz::compute {

namespace {
// Output tiles shared among threads.
constexpr Index stripsPerTile = 8;
constexpr Index tileWidth = 4 * panelWidth;
// Below this many multiply-adds a thread team costs more than it saves.
constexpr double parallelWork = 1 << 18;

using TileFunction = void (*)(Index, const float*, Index, const float*, float*, Index, int, bool, const float*,
                              const float*);

template <int... R> constexpr std::array<TileFunction, sizeof...(R)> tileTable(std::integer_sequence<int, R...>)
{
    return {&microTile<R + 1>...};
}
constexpr auto tileFunctions = tileTable(std::make_integer_sequence<int, tileRows>{});
} // namespace

void microTileRows(int mr, Index kc, const float* a, Index lda, const float* panel, float* c, Index ldc, int nc,
                   bool accumulate, const float* bias, const float* upcoming)
{
    tileFunctions[static_cast<std::size_t>(mr - 1)](kc, a, lda, panel, c, ldc, nc, accumulate, bias, upcoming);
}

const float* PanelsView::panel(Index j) const
{
    return data + j * rows * panelWidth;
}

Index packedSize(Index rows, Index cols)
{
    return ((cols + panelWidth - 1) / panelWidth) * rows * panelWidth;
}

void packPanels(const float* src, Index rowStride, Index colStride, Index rows, Index cols, float* out)
{
    const Index panels = (cols + panelWidth - 1) / panelWidth;
    for (Index j = 0; j < panels; ++j) {
        const Index n0 = j * panelWidth;
        const Index width = std::min<Index>(panelWidth, cols - n0);
        float* dst = out + j * rows * panelWidth;
        for (Index k = 0; k < rows; ++k) {
            const float* s = src + k * rowStride + n0 * colStride;
            float* d = dst + k * panelWidth;
            if (colStride == 1) {
                std::copy(s, s + width, d);
            } else {
                for (Index n = 0; n < width; ++n)
                    d[n] = s[n * colStride];
            }
            std::fill(d + width, d + panelWidth, 0.0f);
        }
    }
}

void multiplyPanels(const float* a, Index lda, Index m, PanelsView b, const float* bias, float* c, Index ldc,
                    bool parallel)
{
    const Index depth = b.rows;
    if (depth == 0) {
        fillWithBias(m, b.cols, bias, c, ldc);
        return;
    }
    // Strips of rows are grouped into tiles that share each panel slice.
    const RowStrips rowStrips(m);
    const Index strips = rowStrips.count;
    const auto stripStart = [&](Index s) { return rowStrips.start(s); };
    const Index rowTiles = (strips + stripsPerTile - 1) / stripsPerTile;
    const Index colTiles = (b.cols + tileWidth - 1) / tileWidth;
    const bool useThreads = parallel && double(m) * double(depth) * double(b.cols) >= parallelWork;
    // Any schedule gives the same numbers: a tile's values do not depend on who computes it.
#pragma omp parallel for schedule(dynamic) collapse(2) if (useThreads)
    for (Index rt = 0; rt < rowTiles; ++rt) {
        for (Index ct = 0; ct < colTiles; ++ct) {
            const Index s0 = rt * stripsPerTile;
            const Index s1 = std::min(strips, s0 + stripsPerTile);
            const Index c0 = ct * tileWidth;
            const Index c1 = std::min(b.cols, c0 + tileWidth);
            for (Index k0 = 0; k0 < depth; k0 += depthBlock) {
                const Index kc = std::min(depthBlock, depth - k0);
                for (Index j = c0; j < c1; j += panelWidth) {
                    const float* panel = b.panel(j / panelWidth) + k0 * panelWidth;
                    const int nc = static_cast<int>(std::min<Index>(panelWidth, c1 - j));
                    // The slice after this one, fetched during the first strip (same depth, or
                    // the next depth block of the tile's first panel).
                    const float* upcoming = nullptr;
                    if (j + panelWidth < c1)
                        upcoming = b.panel(j / panelWidth + 1) + k0 * panelWidth;
                    else if (k0 + depthBlock < depth && std::min(depthBlock, depth - k0 - depthBlock) == kc)
                        upcoming = b.panel(c0 / panelWidth) + (k0 + depthBlock) * panelWidth;
                    for (Index s = s0; s < s1; ++s) {
                        const Index i = stripStart(s);
                        const int mr = static_cast<int>(stripStart(s + 1) - i);
                        microTileRows(mr, kc, a + i * lda + k0, lda, panel, c + i * ldc + j, ldc, nc, k0 > 0,
                                      bias != nullptr ? bias + j : nullptr, s == s0 ? upcoming : nullptr);
                    }
                }
            }
        }
    }
}

PackedMatrix::PackedMatrix(const Matrix& b) : m_rows(b.rows()), m_cols(b.cols()), m_data(packedSize(b.rows(), b.cols()))
{
    packPanels(b.data(), b.cols(), 1, m_rows, m_cols, m_data.data());
}

Matrix PackedMatrix::columns(Index first, Index count) const
{
    Matrix out(m_rows, count);
    for (Index n = 0; n < count; ++n) {
        const Index col = first + n;
        const float* p = view().panel(col / panelWidth) + col % panelWidth;
        for (Index k = 0; k < m_rows; ++k)
            out(k, n) = p[k * panelWidth];
    }
    return out;
}

} // namespace attnviz::compute
