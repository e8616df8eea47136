#pragma once
// Half-precision to float conversions (IEEE binary16 and bfloat16): the checkpoint readers use
// them at load time, the ggml dequantiser for every block scale and every F16/BF16 value.
// Both are exact (every half value is a float) and branch-free, so loops over them vectorise.

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__F16C__)
#include <immintrin.h>
#endif

namespace attnviz::compute {

static_assert(std::endian::native == std::endian::little, "the file formats read here are little-endian");

inline float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t magnitude = h & 0x7fffu; // exponent and mantissa
    // All three candidates are computed and one is selected with masks: no branches.
    const std::uint32_t normal = (magnitude << 13) + ((127u - 15u) << 23); // exponent rebiased 15 → 127
    const std::uint32_t infinityOrNan = (magnitude << 13) | 0x7f800000u;  // NaN payload kept
    const std::uint32_t subnormal = std::bit_cast<std::uint32_t>(static_cast<float>(magnitude) * 0x1p-24f); // exact
    const std::uint32_t isSubnormal = 0u - static_cast<std::uint32_t>(magnitude < 0x0400u);
    const std::uint32_t isSpecial = 0u - static_cast<std::uint32_t>(magnitude >= 0x7c00u);
    const std::uint32_t bits =
        (subnormal & isSubnormal) | (infinityOrNan & isSpecial) | (normal & ~(isSubnormal | isSpecial));
    return std::bit_cast<float>(bits | sign);
}

inline float bfloat16ToFloat(std::uint16_t b)
{
    return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); // bfloat16 is a float's top half
}

// The nearest binary16 value (ties to even), for writers of F16 files; overflow gives ±Inf.
inline std::uint16_t floatToHalf(float value)
{
    const std::uint32_t x = std::bit_cast<std::uint32_t>(value);
    const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
    const std::uint32_t magnitude = x & 0x7fffffffu;
    if (magnitude >= 0x7f800000u) // Inf stays Inf, NaN stays a (quiet) NaN
        return static_cast<std::uint16_t>(sign | (magnitude > 0x7f800000u ? 0x7e00u : 0x7c00u));
    if (magnitude >= 0x477ff000u) // 65520 and above round past the largest half, 65504
        return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (magnitude < 0x38800000u) { // below 2^-14: a subnormal half in units of 2^-24 (1024 = the smallest normal)
        const float units = std::bit_cast<float>(magnitude) * 0x1p24f; // exact: a power of two
        const auto whole = static_cast<std::uint32_t>(units);
        const float rest = units - static_cast<float>(whole);
        const std::uint32_t rounded = whole + (rest > 0.5f || (rest == 0.5f && (whole & 1u)) ? 1u : 0u);
        return static_cast<std::uint16_t>(sign | rounded);
    }
    std::uint32_t half = (magnitude - 0x38000000u) >> 13; // exponent rebiased 127 → 15, 10 mantissa bits
    const std::uint32_t rest = magnitude & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half; // a carry into the exponent is right
    return static_cast<std::uint16_t>(sign | half);
}

// The little-endian 16-bit word at `p` (any alignment).
inline std::uint16_t loadU16(const std::uint8_t* p)
{
    std::uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The fp16 value at `p`: the block scales of the ggml formats. With F16C one instruction (the same
// float for every half but NaNs, which stay NaNs), a fifth of the decoding time of a Q8_0 block.
inline float loadHalf(const std::uint8_t* p)
{
#if defined(__F16C__)
    return _cvtsh_ss(loadU16(p));
#else
    return halfToFloat(loadU16(p));
#endif
}

} // namespace attnviz::compute
