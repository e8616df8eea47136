#pragma once
// ggml's non-linear 4-bit types: each nibble indexes a fixed table of 16 levels (denser near
// zero), scaled by an fp16 d. Layouts from ggml-common.h (block_iq4_nl, block_iq4_xs):
//   IQ4_NL  d, 16 bytes of nibbles (32 values)                                      18 bytes
//   IQ4_XS  d, scales_h (uint16), scales_l[4], 128 bytes of nibbles (256 values)    136 bytes
// IQ4_XS gives each group of 32 a 6-bit scale (low 4 bits in a nibble of scales_l, top 2 bits
// in scales_h); value i is (d · (scale − 32)) · level, IQ4_NL's d · level.

#include "compute/ggmlblocks.h"

#if defined(__SSSE3__)
#include <immintrin.h>
#endif

namespace attnviz::compute::ggmlblocks {

// The 16 levels (ggml's kvalues_iq4nl).
inline constexpr std::int8_t iq4Levels[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                              1,    13,   25,  38,  53,  69,  89,  113};

// A group of 32: out[i] = scale · level(low nibble of byte i), out[i + 16] = scale · level(high
// nibble). Compilers do not turn a 16-entry table lookup into a byte shuffle by themselves, hence
// the SSSE3 version; each half is read back as it was stored (a load spanning both stores would
// wait for them, twice as slow).
inline void scaleLevels(float scale, const std::uint8_t* nibbles, float* out)
{
    alignas(16) std::int8_t lows[16], highs[16];
#if defined(__SSSE3__)
    const __m128i levels = _mm_loadu_si128(reinterpret_cast<const __m128i*>(iq4Levels));
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(nibbles));
    const __m128i lowNibbles = _mm_and_si128(bytes, _mm_set1_epi8(15));
    const __m128i highNibbles = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(15));
    _mm_store_si128(reinterpret_cast<__m128i*>(lows), _mm_shuffle_epi8(levels, lowNibbles));
    _mm_store_si128(reinterpret_cast<__m128i*>(highs), _mm_shuffle_epi8(levels, highNibbles));
#else
    for (int i = 0; i < 16; ++i) {
        lows[i] = iq4Levels[nibbles[i] & 15];
        highs[i] = iq4Levels[nibbles[i] >> 4];
    }
#endif
    scaleQuants<16>(scale, out, [&lows](int i) { return lows[i]; });
    scaleQuants<16>(scale, out + 16, [&highs](int i) { return highs[i]; });
}

struct IQ4_NLBlock
{
    static constexpr int elements = 32, bytes = 18;
    static void decode(const std::uint8_t* block, float* out) { scaleLevels(loadHalf(block), block + 2, out); }
};

struct IQ4_XSBlock
{
    static constexpr int elements = 256, bytes = 136;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        const std::uint16_t scalesHigh = loadU16(block + 2);
        const std::uint8_t* scalesLow = block + 4;
        forEachGroup<8>([&](auto group) {
            constexpr int g = decltype(group)::value;
            const int scale = ((scalesLow[g / 2] >> (4 * (g % 2))) & 15) | (((scalesHigh >> (2 * g)) & 3) << 4);
            scaleLevels(d * static_cast<float>(scale - 32), block + 8 + 16 * g, out + 32 * g);
        });
    }
};

} // namespace attnviz::compute::ggmlblocks
