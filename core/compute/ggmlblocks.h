#pragma once
// Shared steps of the ggml block decoders (ggmllegacyblocks.h, ggmlkquantblocks.h,
// ggmliq4blocks.h); only ggmldequant.cpp includes them.
//
// Each decoder is a struct with `elements` (values per block), `bytes` (block size) and
// `decode(block, out)`, which hands each group of values sharing a scale to scaleQuants or
// scaleAndShiftQuants (two groups of 16 at once: the ...Pair versions) with a function giving the
// group's i-th integer quant. Every product and
// sum is the one ggml's dequantize_row_* computes, in the same order: the results must be
// bit-identical (test_ggml_dequant checks them). The products scale · q are exact in float (at
// most 24 significant bits), so a compiler fusing them with the add rounds the same.
//
// Speed: the loops are `omp simd` (without it GCC unrolls these short fixed-length loops and then
// packs the bytes one by one, three times slower), and the decoders visit their groups with
// forEachGroup, so every bit shift is a compile-time constant (a shift by a run-time amount makes
// GCC's byte-narrowed vector code twice as slow).

#include "compute/halffloat.h"

#include <cstdint>
#include <type_traits>
#include <utility>

namespace attnviz::compute::ggmlblocks {

// f(std::integral_constant<int, g>()) for g = 0 .. Count - 1: the group index is a constant.
template <int Count, class F>
inline void forEachGroup(F f)
{
    [&f]<int... G>(std::integer_sequence<int, G...>) {
        (f(std::integral_constant<int, G>()), ...);
    }(std::make_integer_sequence<int, Count>());
}

// out[i] = scale · quant(i) for i < Count.
template <int Count, class Quant>
inline void scaleQuants(float scale, float* out, Quant quant)
{
#pragma omp simd
    for (int i = 0; i < Count; ++i)
        out[i] = scale * static_cast<float>(quant(i));
}

// out[i] = scale · quant(i) + offset. ggml's "d·q − m" is passed as offset −m: IEEE defines
// a − b as a + (−b), so the rounding is the same.
template <int Count, class Quant>
inline void scaleAndShiftQuants(float scale, float offset, float* out, Quant quant)
{
#pragma omp simd
    for (int i = 0; i < Count; ++i)
        out[i] = scale * static_cast<float>(quant(i)) + offset;
}

// A pair of 16-value groups in one 32-value loop: out[i] = scale_{i / 16} · quant(i) (+ offset_{i / 16}).
// GCC vectorises a loop of 16 with 4-float vectors only; as one loop of 32, Q3_K and Q6_K (groups
// of 16) decode 1.5 times faster. The selects are separate statements: inside the expression GCC
// leaves them as branches and does not vectorise the loop at all.
template <class Quant>
inline void scaleQuantPair(float firstScale, float secondScale, float* out, Quant quant)
{
#pragma omp simd
    for (int i = 0; i < 32; ++i)
        out[i] = (i < 16 ? firstScale : secondScale) * static_cast<float>(quant(i));
}

template <class Quant>
inline void scaleAndShiftQuantPair(float firstScale, float secondScale, float firstOffset, float secondOffset,
                                   float* out, Quant quant)
{
#pragma omp simd
    for (int i = 0; i < 32; ++i) {
        const bool first = i < 16;
        const float scale = first ? firstScale : secondScale;
        const float offset = first ? firstOffset : secondOffset;
        out[i] = scale * static_cast<float>(quant(i)) + offset;
    }
}

} // namespace attnviz::compute::ggmlblocks
