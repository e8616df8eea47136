#pragma once
// ggml's non-linear 4-bit types: each nibble indexes a fixed table of 16 levels (denser near
// zero), scaled by an fp16 d. Layouts from ggml-common.h (block_iq4_nl, block_iq4_xs):
//   IQ4_NL  d, 16 bytes of nibbles (32 values)                                      18 bytes
//   IQ4_XS  d, scales_h (uint16), scales_l[4], 128 bytes of nibbles (256 values)    136 bytes
// IQ4_XS gives each group of 32 a 6-bit scale (low 4 bits in a nibble of scales_l, top 2 bits
// in scales_h); value i is (d · (scale − 32)) · level, IQ4_NL's d · level.

#include "compute/ggmlblocks.h"

namespace attnviz::compute::ggmlblocks {

// The 16 levels (ggml's kvalues_iq4nl).
inline constexpr std::int8_t iq4Levels[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                              1,    13,   25,  38,  53,  69,  89,  113};

// A group of 32: byte i's low nibble is level i, its high nibble level i + 16.
inline void unpackLevels(const std::uint8_t* nibbles, std::int8_t* q)
{
    splitNibbles<16>(nibbles, q);
    for (int i = 0; i < 32; ++i)
        q[i] = iq4Levels[q[i]];
}

struct IQ4_NLBlock
{
    static constexpr int elements = 32, bytes = 18;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        std::int8_t q[32];
        unpackLevels(block + 2, q);
        scaleQuants<32, 1>(q, &d, out);
    }
};

struct IQ4_XSBlock
{
    static constexpr int elements = 256, bytes = 136;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        const std::uint16_t scalesHigh = loadU16(block + 2);
        const std::uint8_t* scalesLow = block + 4;
        float scales[8];
        for (int g = 0; g < 8; ++g) {
            const int scale = ((scalesLow[g / 2] >> (4 * (g % 2))) & 15) | (((scalesHigh >> (2 * g)) & 3) << 4);
            scales[g] = d * static_cast<float>(scale - 32);
        }
        std::int8_t q[256];
        for (int g = 0; g < 8; ++g)
            unpackLevels(block + 8 + 16 * g, q + 32 * g);
        scaleQuants<32, 8>(q, scales, out);
    }
};

} // namespace attnviz::compute::ggmlblocks
