#pragma once
// ggml's first quantisation types: blocks of 32 values sharing one fp16 scale d (and, for the
// "_1" types, an fp16 minimum m). Value i is d·q[i] (Q8_0, Q4_0, Q5_0) or d·q[i] + m (Q4_1,
// Q5_1). Layouts from ggml-common.h (block_q8_0, block_q4_0, ...), little-endian:
//   Q8_0  d, 32 signed bytes                                        34 bytes
//   Q4_0  d, 16 bytes of nibbles (value − 8)                         18 bytes
//   Q4_1  d, m, 16 bytes of nibbles                                  20 bytes
//   Q5_0  d, 32 high bits (uint32), 16 bytes of nibbles (value − 16) 22 bytes
//   Q5_1  d, m, 32 high bits, 16 bytes of nibbles                    24 bytes
// Nibbles: byte i holds value i in its low half and value i + 16 in its high half; bit i of the
// high-bit word is bit 4 of value i.

#include "compute/ggmlblocks.h"

namespace attnviz::compute::ggmlblocks {

// The 4-bit quant of value i (Half 0) or i + 16 (Half 1) of a Q4 block.
template <int Half>
struct FourBit
{
    const std::uint8_t* nibbles;
    int operator()(int i) const { return (nibbles[i] >> (4 * Half)) & 15; }
};

// The 5-bit quant of value i or i + 16 of a Q5 block.
template <int Half>
struct FiveBit
{
    const std::uint8_t* nibbles;
    std::uint32_t highBits;
    int operator()(int i) const
    {
        return ((nibbles[i] >> (4 * Half)) & 15) | static_cast<int>(((highBits >> (i + 16 * Half)) & 1u) << 4);
    }
};

inline std::uint32_t loadU32(const std::uint8_t* p)
{
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

struct Q8_0Block
{
    static constexpr int elements = 32, bytes = 34;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        const auto* q = reinterpret_cast<const std::int8_t*>(block + 2);
        scaleQuants<32>(d, out, [q](int i) { return q[i]; });
    }
};

struct Q4_0Block
{
    static constexpr int elements = 32, bytes = 18;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        forEachGroup<2>([&](auto half) {
            const FourBit<decltype(half)::value> q{block + 2};
            scaleQuants<16>(d, out + 16 * half, [q](int i) { return q(i) - 8; });
        });
    }
};

struct Q4_1Block
{
    static constexpr int elements = 32, bytes = 20;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        const float m = loadHalf(block + 2);
        forEachGroup<2>([&](auto half) {
            scaleAndShiftQuants<16>(d, m, out + 16 * half, FourBit<decltype(half)::value>{block + 4});
        });
    }
};

struct Q5_0Block
{
    static constexpr int elements = 32, bytes = 22;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        forEachGroup<2>([&](auto half) {
            const FiveBit<decltype(half)::value> q{block + 6, loadU32(block + 2)};
            scaleQuants<16>(d, out + 16 * half, [q](int i) { return q(i) - 16; });
        });
    }
};

struct Q5_1Block
{
    static constexpr int elements = 32, bytes = 24;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        const float m = loadHalf(block + 2);
        forEachGroup<2>([&](auto half) {
            scaleAndShiftQuants<16>(d, m, out + 16 * half, FiveBit<decltype(half)::value>{block + 8, loadU32(block + 4)});
        });
    }
};

} // namespace attnviz::compute::ggmlblocks
