#pragma once
// The innermost matrix-product step, shared by the dense layers and the attention heads:
// C[0:mr, 0:nc] (=|+=) A[0:mr, 0:kc] · P, where P is one packed panel (kc rows of 32 floats).
// A is read in place: row i, column k at a[i * lda + k].
//
// `upcoming`, when not null, is the next panel slice the caller will use (same kc rows): it is
// pulled into L2 while this one computes, since weights stream from memory once per forward pass.
//
// Every output element is one chain of fused multiply-adds over k in order, started from zero,
// the bias, or C itself (accumulate). So a value never depends on how callers tile the product
// or how many threads they use: results are bit-identical for any thread count.

#include "base/tensor.h"

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

#include <algorithm>

namespace attnviz::compute {

inline constexpr int panelWidth = 32; // columns per packed panel
#if defined(__AVX512F__)
inline constexpr int tileRows = 12; // 12 x 32 accumulators = 24 of the 32 vector registers
#elif defined(__AVX2__) && defined(__FMA__)
inline constexpr int tileRows = 6; // 6 x 16 accumulators = 12 of the 16 vector registers
#else
inline constexpr int tileRows = 4;
#endif

#if defined(__AVX512F__)
template <int R>
inline void microTile(Index kc, const float* a, Index lda, const float* panel, float* c, Index ldc, int nc,
                      bool accumulate, const float* bias, const float* upcoming)
{
    const __mmask16 lo = nc >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << nc) - 1);
    const __mmask16 hi = nc >= 32 ? __mmask16(0xFFFF) : nc <= 16 ? __mmask16(0) : __mmask16((1u << (nc - 16)) - 1);
    __m512 acc[R][2];
    if (accumulate) {
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i) {
            acc[i][0] = _mm512_maskz_loadu_ps(lo, c + i * ldc);
            acc[i][1] = _mm512_maskz_loadu_ps(hi, c + i * ldc + 16);
        }
    } else {
        const __m512 b0 = bias != nullptr ? _mm512_maskz_loadu_ps(lo, bias) : _mm512_setzero_ps();
        const __m512 b1 = bias != nullptr ? _mm512_maskz_loadu_ps(hi, bias + 16) : _mm512_setzero_ps();
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i) {
            acc[i][0] = b0;
            acc[i][1] = b1;
        }
    }
    for (Index k = 0; k < kc; ++k) {
        if (upcoming != nullptr) { // one row of the next slice = two cache lines
            _mm_prefetch(reinterpret_cast<const char*>(upcoming + k * panelWidth), _MM_HINT_T1);
            _mm_prefetch(reinterpret_cast<const char*>(upcoming + k * panelWidth + 16), _MM_HINT_T1);
        }
        const __m512 p0 = _mm512_load_ps(panel + k * panelWidth);
        const __m512 p1 = _mm512_load_ps(panel + k * panelWidth + 16);
#pragma GCC unroll 16
        for (int i = 0; i < R; ++i) {
            const __m512 ai = _mm512_set1_ps(a[i * lda + k]);
            acc[i][0] = _mm512_fmadd_ps(ai, p0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(ai, p1, acc[i][1]);
        }
    }
#pragma GCC unroll 16
    for (int i = 0; i < R; ++i) {
        _mm512_mask_storeu_ps(c + i * ldc, lo, acc[i][0]);
        _mm512_mask_storeu_ps(c + i * ldc + 16, hi, acc[i][1]);
    }
}
#elif defined(__AVX2__) && defined(__FMA__)
// AVX2: 16 registers hold 6 rows x 16 columns, so a 32-column panel is done as two halves.
inline __m256i firstLanes(int n) // lanes [0, n) set, n in [0, 8]
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

template <int R>
inline void halfTile(Index kc, const float* a, Index lda, const float* panel, float* c, Index ldc, int nc,
                     bool accumulate, const float* bias, const float* upcoming)
{
    const __m256i lo = firstLanes(std::min(nc, 8));
    const __m256i hi = firstLanes(std::clamp(nc - 8, 0, 8));
    __m256 acc[R][2];
    if (accumulate) {
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            acc[i][0] = _mm256_maskload_ps(c + i * ldc, lo);
            acc[i][1] = _mm256_maskload_ps(c + i * ldc + 8, hi);
        }
    } else {
        const __m256 b0 = bias != nullptr ? _mm256_maskload_ps(bias, lo) : _mm256_setzero_ps();
        const __m256 b1 = bias != nullptr ? _mm256_maskload_ps(bias + 8, hi) : _mm256_setzero_ps();
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            acc[i][0] = b0;
            acc[i][1] = b1;
        }
    }
    for (Index k = 0; k < kc; ++k) {
        if (upcoming != nullptr)
            _mm_prefetch(reinterpret_cast<const char*>(upcoming + k * panelWidth), _MM_HINT_T1);
        const __m256 p0 = _mm256_load_ps(panel + k * panelWidth);
        const __m256 p1 = _mm256_load_ps(panel + k * panelWidth + 8);
#pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m256 ai = _mm256_broadcast_ss(a + i * lda + k);
            acc[i][0] = _mm256_fmadd_ps(ai, p0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, p1, acc[i][1]);
        }
    }
#pragma GCC unroll 8
    for (int i = 0; i < R; ++i) {
        _mm256_maskstore_ps(c + i * ldc, lo, acc[i][0]);
        _mm256_maskstore_ps(c + i * ldc + 8, hi, acc[i][1]);
    }
}

template <int R>
inline void microTile(Index kc, const float* a, Index lda, const float* panel, float* c, Index ldc, int nc,
                      bool accumulate, const float* bias, const float* upcoming)
{
    halfTile<R>(kc, a, lda, panel, c, ldc, std::min(nc, 16), accumulate, bias, upcoming);
    if (nc > 16) {
        halfTile<R>(kc, a, lda, panel + 16, c + 16, ldc, nc - 16, accumulate, bias != nullptr ? bias + 16 : nullptr,
                    upcoming != nullptr ? upcoming + 16 : nullptr);
    }
}
#else
// Portable builds: the same contract in plain loops the compiler vectorises for the target.
template <int R>
inline void microTile(Index kc, const float* a, Index lda, const float* panel, float* c, Index ldc, int nc,
                      bool accumulate, const float* bias, const float* /*upcoming*/)
{
    alignas(64) float acc[R][panelWidth];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < panelWidth; ++j)
            acc[i][j] = accumulate ? (j < nc ? c[i * ldc + j] : 0.0f) : (bias != nullptr && j < nc ? bias[j] : 0.0f);
    for (Index k = 0; k < kc; ++k) {
        const float* p = panel + k * panelWidth;
        for (int i = 0; i < R; ++i) {
            const float ai = a[i * lda + k];
            for (int j = 0; j < panelWidth; ++j)
                acc[i][j] += ai * p[j];
        }
    }
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < nc; ++j)
            c[i * ldc + j] = acc[i][j];
}
#endif

// microTile for any mr in [1, tileRows] (edge rows use a smaller instantiation).
void microTileRows(int mr, Index kc, const float* a, Index lda, const float* panel, float* c, Index ldc, int nc,
                   bool accumulate, const float* bias, const float* upcoming = nullptr);

// The depth block that keeps one panel slice (depthBlock x 32 floats) in L1.
inline constexpr Index depthBlock = 256;

// m rows cut into near-equal strips of at most tileRows (64 rows: 6 strips of 10 or 11, not 5 of
// 12 and a slow one of 4). Strip s covers rows [start(s), start(s + 1)).
struct RowStrips
{
    explicit RowStrips(Index rows) : m(rows), count((rows + tileRows - 1) / tileRows) {}
    Index start(Index s) const { return s * m / count; }
    Index m;
    Index count;
};

// C (m, cols) = the bias, or zeros: a product over an empty depth.
inline void fillWithBias(Index m, Index cols, const float* bias, float* c, Index ldc)
{
    for (Index i = 0; i < m; ++i)
        for (Index j = 0; j < cols; ++j)
            c[i * ldc + j] = bias != nullptr ? bias[j] : 0.0f;
}

} // namespace attnviz::compute
