#pragma once
// ggml's K-quants: super-blocks of 256 values in groups of 16 (Q2_K, Q3_K, Q6_K) or 32 (Q4_K,
// Q5_K), each group with its own small integer scale (and minimum) that multiplies the fp16
// super-block scale d (and dmin). Layouts from ggml-common.h (block_q2_K, ...), little-endian:
//   Q2_K  scales[16] (4-bit scale | 4-bit min << 4), qs[64] (2 bits), d, dmin         84 bytes
//   Q3_K  hmask[32] (bit 2), qs[64] (bits 0-1), scales[12] (16 × 6 bits), d          110 bytes
//   Q4_K  d, dmin, scales[12] (8 × 6-bit scale, 8 × 6-bit min), qs[128] (4 bits)      144 bytes
//   Q5_K  d, dmin, scales[12] as Q4_K, qh[32] (bit 4), qs[128] (bits 0-3)              176 bytes
//   Q6_K  ql[128] (bits 0-3), qh[64] (bits 4-5), scales[16] (signed bytes), d          210 bytes
// Value i is
//   Q2_K, Q4_K, Q5_K  (d · scale) · q − (dmin · min)
//   Q3_K              (d · (scale − 32)) · (q − 4)   with q in 0..7 (bit 2 from hmask)
//   Q6_K              (d · scale) · (q − 32)
// the products in exactly that order, as ggml rounds them.

#include "compute/ggmlblocks.h"

namespace attnviz::compute::ggmlblocks {

inline constexpr int superBlock = 256;

// Q2_K and Q3_K keep the low two bits of their 256 values in 64 bytes: each half of the block
// (128 values) reads its 32 bytes four times, at bit shifts 0, 2, 4 and 6.
inline void unpackTwoBitPlanes(const std::uint8_t* qs, std::int8_t* q)
{
    for (int half = 0; half < 2; ++half) {
        for (int plane = 0; plane < 4; ++plane) {
            for (int i = 0; i < 32; ++i)
                q[128 * half + 32 * plane + i] = static_cast<std::int8_t>((qs[32 * half + i] >> (2 * plane)) & 3);
        }
    }
}

// Q4_K and Q5_K's 8 scales and 8 mins, 6 bits each in 12 bytes: entries 0-3 are the low 6 bits
// of bytes 0-3 (scales) and 4-7 (mins); entries 4-7 take their low 4 bits from the nibbles of
// bytes 8-11 (scale low, min high) and their top 2 bits from the spare top bits of bytes 0-7.
inline void unpackScalesAndMins(const std::uint8_t* packed, int* scales, int* mins)
{
    for (int j = 0; j < 4; ++j) {
        scales[j] = packed[j] & 63;
        mins[j] = packed[j + 4] & 63;
        scales[j + 4] = (packed[j + 8] & 15) | ((packed[j] >> 6) << 4);
        mins[j + 4] = (packed[j + 8] >> 4) | ((packed[j + 4] >> 6) << 4);
    }
}

// Scales d·scale and offsets −(dmin·min) of the 8 groups of 32 of a Q4_K or Q5_K block.
inline void groupScalesAndOffsets(const std::uint8_t* block, float* scales, float* offsets)
{
    const float d = loadHalf(block);
    const float dmin = loadHalf(block + 2);
    int scale[8], min[8];
    unpackScalesAndMins(block + 4, scale, min);
    for (int g = 0; g < 8; ++g) {
        scales[g] = d * static_cast<float>(scale[g]);
        offsets[g] = -(dmin * static_cast<float>(min[g]));
    }
}

struct Q2_KBlock
{
    static constexpr int elements = superBlock, bytes = 84;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block + 80);
        const float dmin = loadHalf(block + 82);
        float scales[16], offsets[16];
        for (int g = 0; g < 16; ++g) {
            scales[g] = d * static_cast<float>(block[g] & 15);
            offsets[g] = -(dmin * static_cast<float>(block[g] >> 4));
        }
        std::int8_t q[superBlock];
        unpackTwoBitPlanes(block + 16, q);
        scaleAndShiftQuants<16, 16>(q, scales, offsets, out);
    }
};

struct Q3_KBlock
{
    static constexpr int elements = superBlock, bytes = 110;
    static void decode(const std::uint8_t* block, float* out)
    {
        const std::uint8_t* hmask = block;
        const std::uint8_t* packedScales = block + 96;
        const float d = loadHalf(block + 108);
        // 16 scales of 6 bits: the low 4 from a nibble of bytes 0-7 (low nibbles for groups 0-7,
        // high for 8-15), the top 2 from bytes 8-11 (group g: byte 8 + g % 4, bits 2 · (g / 4)).
        float scales[16];
        for (int g = 0; g < 16; ++g) {
            const int low = g < 8 ? packedScales[g] & 15 : packedScales[g - 8] >> 4;
            const int high = (packedScales[8 + g % 4] >> (2 * (g / 4))) & 3;
            scales[g] = d * static_cast<float>((low | (high << 4)) - 32);
        }
        // Bit 2 of value 128·half + 32·plane + i is bit 4·half + plane of hmask[i]; ggml stores
        // it inverted: a clear bit subtracts 4.
        std::int8_t q[superBlock];
        unpackTwoBitPlanes(block + 32, q);
        for (int half = 0; half < 2; ++half) {
            for (int plane = 0; plane < 4; ++plane) {
                std::int8_t* values = q + 128 * half + 32 * plane;
                for (int i = 0; i < 32; ++i)
                    values[i] = static_cast<std::int8_t>(values[i] - 4 + 4 * ((hmask[i] >> (4 * half + plane)) & 1));
            }
        }
        scaleQuants<16, 16>(q, scales, out);
    }
};

// Each pair of groups (64 values) of Q4_K and Q5_K reads 32 bytes: low nibbles, then high.
inline void unpackPairedNibbles(const std::uint8_t* qs, std::int8_t* q)
{
    for (int pair = 0; pair < 4; ++pair)
        splitNibbles<32>(qs + 32 * pair, q + 64 * pair);
}

struct Q4_KBlock
{
    static constexpr int elements = superBlock, bytes = 144;
    static void decode(const std::uint8_t* block, float* out)
    {
        float scales[8], offsets[8];
        groupScalesAndOffsets(block, scales, offsets);
        std::int8_t q[superBlock];
        unpackPairedNibbles(block + 16, q);
        scaleAndShiftQuants<32, 8>(q, scales, offsets, out);
    }
};

struct Q5_KBlock
{
    static constexpr int elements = superBlock, bytes = 176;
    static void decode(const std::uint8_t* block, float* out)
    {
        float scales[8], offsets[8];
        groupScalesAndOffsets(block, scales, offsets);
        const std::uint8_t* qh = block + 16;
        std::int8_t q[superBlock];
        unpackPairedNibbles(block + 48, q);
        for (int g = 0; g < 8; ++g) { // bit 4 of value 32·g + i is bit g of qh[i]
            for (int i = 0; i < 32; ++i)
                q[32 * g + i] = static_cast<std::int8_t>(q[32 * g + i] | (((qh[i] >> g) & 1) << 4));
        }
        scaleAndShiftQuants<32, 8>(q, scales, offsets, out);
    }
};

struct Q6_KBlock
{
    static constexpr int elements = superBlock, bytes = 210;
    static void decode(const std::uint8_t* block, float* out)
    {
        const std::uint8_t* ql = block;
        const std::uint8_t* qh = block + 128;
        const std::int8_t* groupScales = reinterpret_cast<const std::int8_t*>(block + 192);
        const float d = loadHalf(block + 208);
        float scales[16];
        for (int g = 0; g < 16; ++g)
            scales[g] = d * static_cast<float>(groupScales[g]);
        // Each half (128 values) has 64 bytes of ql and 32 of qh. Its quarter k (32 values) takes
        // the low (k < 2) or high nibbles of ql bytes 32·(k % 2) + i and bits 2k, 2k+1 of qh[i].
        std::int8_t q[superBlock];
        for (int half = 0; half < 2; ++half) {
            for (int quarter = 0; quarter < 4; ++quarter) {
                const std::uint8_t* low = ql + 64 * half + 32 * (quarter % 2);
                const std::uint8_t* high = qh + 32 * half;
                const int nibbleShift = 4 * (quarter / 2);
                std::int8_t* values = q + 128 * half + 32 * quarter;
                for (int i = 0; i < 32; ++i) {
                    const int v = ((low[i] >> nibbleShift) & 15) | (((high[i] >> (2 * quarter)) & 3) << 4);
                    values[i] = static_cast<std::int8_t>(v - 32);
                }
            }
        }
        scaleQuants<16, 16>(q, scales, out);
    }
};

} // namespace attnviz::compute::ggmlblocks
