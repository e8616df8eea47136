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

// Q2_K and Q3_K keep the low two bits of their 256 values in 64 bytes: each half of the block
// (128 values) reads its 32 bytes four times, at bit shifts 0, 2, 4 and 6. So values 32·P + i of
// pair P (groups 2P and 2P + 1) are bits 2·(P % 4) of byte 32·(P / 4) + i.
template <int P>
struct TwoBitPlane
{
    const std::uint8_t* qs;
    int operator()(int i) const { return (qs[32 * (P / 4) + i] >> (2 * (P % 4))) & 3; }
};

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

// Q4_K and Q5_K: group g of 32 takes the low (even g) or high (odd g) nibbles of bytes 32·(g/2).
// Q5_K adds bit 4 from bit g of qh[i] (no qh: Q4_K).
template <bool HighBit>
void decodeFourOrFiveBitGroups(const std::uint8_t* block, const std::uint8_t* qh, const std::uint8_t* qs, float* out)
{
    const float d = loadHalf(block);
    const float dmin = loadHalf(block + 2);
    int scales[8], mins[8];
    unpackScalesAndMins(block + 4, scales, mins);
    forEachGroup<8>([&](auto group) {
        constexpr int g = decltype(group)::value;
        const float scale = d * static_cast<float>(scales[g]);
        const float offset = -(dmin * static_cast<float>(mins[g]));
        const std::uint8_t* nibbles = qs + 32 * (g / 2);
        scaleAndShiftQuants<32>(scale, offset, out + 32 * g, [=](int i) {
            const int low = (nibbles[i] >> (4 * (g % 2))) & 15;
            return HighBit ? low | (((qh[i] >> g) & 1) << 4) : low;
        });
    });
}

struct Q2_KBlock
{
    static constexpr int elements = 256, bytes = 84;
    static void decode(const std::uint8_t* block, float* out)
    {
        const std::uint8_t* scalesAndMins = block; // per group: scale in the low nibble, min in the high
        const float d = loadHalf(block + 80);
        const float dmin = loadHalf(block + 82);
        float scales[16], offsets[16];
        for (int g = 0; g < 16; ++g) {
            scales[g] = d * static_cast<float>(scalesAndMins[g] & 15);
            offsets[g] = -(dmin * static_cast<float>(scalesAndMins[g] >> 4));
        }
        forEachGroup<8>([&](auto pair) {
            constexpr int p = decltype(pair)::value;
            scaleAndShiftQuantPair(scales[2 * p], scales[2 * p + 1], offsets[2 * p], offsets[2 * p + 1], out + 32 * p,
                                   TwoBitPlane<p>{block + 16});
        });
    }
};

struct Q3_KBlock
{
    static constexpr int elements = 256, bytes = 110;
    static void decode(const std::uint8_t* block, float* out)
    {
        const std::uint8_t* hmask = block;
        const std::uint8_t* packedScales = block + 96;
        const float d = loadHalf(block + 108);
        // 16 scales of 6 bits: the low 4 from a nibble of bytes 0-7 (low nibbles for groups 0-7,
        // high for 8-15), the top 2 from bytes 8-11 (byte 8 + g % 4, bits 2 · (g / 4)).
        float scales[16];
        for (int g = 0; g < 16; ++g) {
            const int low = (packedScales[g % 8] >> (4 * (g / 8))) & 15;
            const int high = (packedScales[8 + g % 4] >> (2 * (g / 4))) & 3;
            scales[g] = d * static_cast<float>((low | (high << 4)) - 32);
        }
        // Bit 2 of value 32·P + i is bit P of hmask[i], stored inverted: a clear bit subtracts 4.
        forEachGroup<8>([&](auto pair) {
            constexpr int p = decltype(pair)::value;
            const TwoBitPlane<p> lowBits{block + 32};
            scaleQuantPair(scales[2 * p], scales[2 * p + 1], out + 32 * p,
                           [=](int i) { return lowBits(i) - 4 + 4 * ((hmask[i] >> p) & 1); });
        });
    }
};

struct Q4_KBlock
{
    static constexpr int elements = 256, bytes = 144;
    static void decode(const std::uint8_t* block, float* out)
    {
        decodeFourOrFiveBitGroups<false>(block, nullptr, block + 16, out);
    }
};

struct Q5_KBlock
{
    static constexpr int elements = 256, bytes = 176;
    static void decode(const std::uint8_t* block, float* out)
    {
        decodeFourOrFiveBitGroups<true>(block, block + 16, block + 48, out);
    }
};

struct Q6_KBlock
{
    static constexpr int elements = 256, bytes = 210;
    static void decode(const std::uint8_t* block, float* out)
    {
        const std::uint8_t* ql = block;
        const std::uint8_t* qh = block + 128;
        const auto* groupScales = reinterpret_cast<const std::int8_t*>(block + 192);
        const float d = loadHalf(block + 208);
        // Each half (128 values) has 64 bytes of ql and 32 of qh. Its quarter k (32 values, groups
        // 2k and 2k + 1 of the half) takes the low (k < 2) or high nibbles of ql bytes 32·(k % 2) + i
        // and bits 2k, 2k+1 of qh[i].
        forEachGroup<8>([&](auto pair) {
            constexpr int p = decltype(pair)::value;
            constexpr int half = p / 4, quarter = p % 4;
            const std::uint8_t* low = ql + 64 * half + 32 * (quarter % 2);
            const std::uint8_t* high = qh + 32 * half;
            scaleQuantPair(d * static_cast<float>(groupScales[2 * p]), d * static_cast<float>(groupScales[2 * p + 1]),
                           out + 32 * p, [=](int i) {
                               return (((low[i] >> (4 * (quarter / 2))) & 15) | (((high[i] >> (2 * quarter)) & 3) << 4)) -
                                      32;
                           });
        });
    }
};

} // namespace attnviz::compute::ggmlblocks
