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
    // Per half (k 0-3, then 4-7): row r's four values beside row r + 4's in the upper lane, loaded
    // so (an insert from memory needs no shuffle unit), then a 4 × 4 transpose within each lane.
    for (int half = 0; half < 2; ++half) {
        __m256 rows[4];
        for (int r = 0; r < 4; ++r) {
            const __m128 upper = _mm_loadu_ps(src + (r + 4) * srcStride + 4 * half);
            rows[r] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(src + r * srcStride + 4 * half)), upper, 1);
        }
        const __m256 k01Rows01 = _mm256_unpacklo_ps(rows[0], rows[1]); // r0k0 r1k0 r0k1 r1k1 (| r4, r5)
        const __m256 k23Rows01 = _mm256_unpackhi_ps(rows[0], rows[1]);
        const __m256 k01Rows23 = _mm256_unpacklo_ps(rows[2], rows[3]);
        const __m256 k23Rows23 = _mm256_unpackhi_ps(rows[2], rows[3]);
        float* out = dst + 4 * half * dstStride;
        _mm256_storeu_ps(out, _mm256_shuffle_ps(k01Rows01, k01Rows23, _MM_SHUFFLE(1, 0, 1, 0)));
        _mm256_storeu_ps(out + dstStride, _mm256_shuffle_ps(k01Rows01, k01Rows23, _MM_SHUFFLE(3, 2, 3, 2)));
        _mm256_storeu_ps(out + 2 * dstStride, _mm256_shuffle_ps(k23Rows01, k23Rows23, _MM_SHUFFLE(1, 0, 1, 0)));
        _mm256_storeu_ps(out + 3 * dstStride, _mm256_shuffle_ps(k23Rows01, k23Rows23, _MM_SHUFFLE(3, 2, 3, 2)));
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
