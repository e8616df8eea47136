#pragma once
// Shared steps of the ggml block decoders (ggmllegacyblocks.h, ggmlkquantblocks.h,
// ggmliq4blocks.h); only ggmldequant.cpp includes them.
//
// Each decoder is a struct with `elements` (values per block), `bytes` (block size) and
// `decode(block, out)`. It first unpacks the block's integer quants into a small int8 buffer, then
// scales them group by group. Every product and sum is the one ggml's dequantize_row_* computes,
// in the same order: the results must be bit-identical (test_ggml_dequant checks them).

#include "compute/halffloat.h"

#include <cstdint>

namespace attnviz::compute::ggmlblocks {

// out[i] = q[i] for i < N and out[N + i] = q[i] >> 4 with q[i] = bytes[i] & 15: ggml's blocks put
// the low nibbles of N bytes first, then their high nibbles.
template <int N>
inline void splitNibbles(const std::uint8_t* bytes, std::int8_t* out)
{
    for (int i = 0; i < N; ++i) {
        out[i] = static_cast<std::int8_t>(bytes[i] & 15);
        out[N + i] = static_cast<std::int8_t>(bytes[i] >> 4);
    }
}

// out[i] = scales[i / Group] · q[i], for Groups groups of Group values.
template <int Group, int Groups>
inline void scaleQuants(const std::int8_t* q, const float* scales, float* out)
{
    for (int g = 0; g < Groups; ++g) {
        const float scale = scales[g];
        for (int i = 0; i < Group; ++i)
            out[g * Group + i] = scale * static_cast<float>(q[g * Group + i]);
    }
}

// out[i] = scales[i / Group] · q[i] + offsets[i / Group]. ggml's "d·q − m" is passed as offset −m:
// IEEE defines a − b as a + (−b), so the rounding is the same.
template <int Group, int Groups>
inline void scaleAndShiftQuants(const std::int8_t* q, const float* scales, const float* offsets, float* out)
{
    for (int g = 0; g < Groups; ++g) {
        const float scale = scales[g];
        const float offset = offsets[g];
        for (int i = 0; i < Group; ++i)
            out[g * Group + i] = scale * static_cast<float>(q[g * Group + i]) + offset;
    }
}

} // namespace attnviz::compute::ggmlblocks
