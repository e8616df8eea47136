// dequantizePanel (compute/ggmldequant.h): each row of the tile is decoded by its row decoder
// into a scratch block, a chunk of depth at a time, and the scratch is transposed into the panel.
#include "compute/ggmldequant.h"
#include "compute/microkernel.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#if defined(__AVX__)
#include <immintrin.h>
#endif

namespace attnviz::compute {

namespace {

// Depth decoded per row and pass: a whole number of blocks of every type (256 = the K-quants'
// super-block).
constexpr int chunkDepth = 256;

// dst[k * dstStride + r] = src[r * srcStride + k] for r, k < 8.
inline void transpose8x8(const float* src, std::int64_t srcStride, float* dst, std::int64_t dstStride)
{
#if defined(__AVX__)
    __m256 row[8], pairs[8], quads[8];
    for (int r = 0; r < 8; ++r)
        row[r] = _mm256_loadu_ps(src + r * srcStride);
    for (int r = 0; r < 8; r += 2) { // interleave rows r, r+1: (k0 of r, k0 of r+1, k1, k1 | k4, k4, k5, k5)
        pairs[r] = _mm256_unpacklo_ps(row[r], row[r + 1]);
        pairs[r + 1] = _mm256_unpackhi_ps(row[r], row[r + 1]);
    }
    for (int r = 0; r < 8; r += 4) { // four rows of one k per 128-bit lane: k0|k4, k1|k5, k2|k6, k3|k7
        quads[r] = _mm256_shuffle_ps(pairs[r], pairs[r + 2], _MM_SHUFFLE(1, 0, 1, 0));
        quads[r + 1] = _mm256_shuffle_ps(pairs[r], pairs[r + 2], _MM_SHUFFLE(3, 2, 3, 2));
        quads[r + 2] = _mm256_shuffle_ps(pairs[r + 1], pairs[r + 3], _MM_SHUFFLE(1, 0, 1, 0));
        quads[r + 3] = _mm256_shuffle_ps(pairs[r + 1], pairs[r + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int k = 0; k < 4; ++k) { // rows 0-3 and 4-7 of k (low lanes) and of k + 4 (high lanes)
        _mm256_storeu_ps(dst + k * dstStride, _mm256_permute2f128_ps(quads[k], quads[k + 4], 0x20));
        _mm256_storeu_ps(dst + (k + 4) * dstStride, _mm256_permute2f128_ps(quads[k], quads[k + 4], 0x31));
    }
#else
    for (int k = 0; k < 8; ++k)
        for (int r = 0; r < 8; ++r)
            dst[k * dstStride + r] = src[r * srcStride + k];
#endif
}

} // namespace

void dequantizePanel(GgmlType type, const std::uint8_t* const* rowBlocks, int rowsInPanel, std::int64_t depthCount,
                     float* panelOut)
{
    const GgmlRowDecoder decode = ggmlRowDecoder(type);
    const GgmlTypeInfo& info = ggmlTypeInfo(type);
    if (rowsInPanel < 0 || rowsInPanel > panelWidth || depthCount < 0 || depthCount % info.blockElements != 0)
        throw std::invalid_argument("dequantizePanel: " + std::to_string(rowsInPanel) + " rows of " +
                                    std::to_string(depthCount) + " " + info.name + " values");
    // Eight rows at a time: their 8 KiB of scratch and the panel's 32 KiB chunk both stay in L1.
    alignas(64) float scratch[8][chunkDepth];
    for (std::int64_t k0 = 0; k0 < depthCount; k0 += chunkDepth) {
        const int depth = static_cast<int>(std::min<std::int64_t>(chunkDepth, depthCount - k0));
        const std::int64_t byteOffset = k0 / info.blockElements * info.blockBytes;
        float* out = panelOut + k0 * panelWidth;
        for (int r0 = 0; r0 < panelWidth; r0 += 8) {
            for (int r = r0; r < r0 + 8; ++r) {
                if (r < rowsInPanel)
                    decode(rowBlocks[r] + byteOffset, scratch[r - r0], depth);
                else // a padding column
                    std::fill(scratch[r - r0], scratch[r - r0] + depth, 0.0f);
            }
            const int wholeEights = depth / 8 * 8;
            for (int k = 0; k < wholeEights; k += 8)
                transpose8x8(&scratch[0][k], chunkDepth, out + k * panelWidth + r0, panelWidth);
            for (int k = wholeEights; k < depth; ++k) { // F32, F16, BF16 depths need not be multiples of 8
                for (int r = 0; r < 8; ++r)
                    out[k * panelWidth + r0 + r] = scratch[r][k];
            }
        }
    }
}

} // namespace attnviz::compute
