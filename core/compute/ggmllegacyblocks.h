#pragma once
// ggml's first quantisation types: blocks of 32 values sharing one fp16 scale d (and, for the
// "_1" types, an fp16 minimum m). Value i is d·q[i] (Q8_0, Q4_0, Q5_0) or d·q[i] + m (Q4_1,
// Q5_1). Layouts from ggml-common.h (block_q8_0, block_q4_0, ...), little-endian:
//   Q8_0  d, 32 signed bytes                                        34 bytes
//   Q4_0  d, 16 bytes of nibbles (value − 8)                         18 bytes
//   Q4_1  d, m, 16 bytes of nibbles                                  20 bytes
//   Q5_0  d, 32 high bits (uint32), 16 bytes of nibbles (value − 16) 22 bytes
//   Q5_1  d, m, 32 high bits, 16 bytes of nibbles                    24 bytes
// Nibbles: byte j holds value j in its low half and value j + 16 in its high half; bit i of the
// high-bit word is bit 4 of value i.

#include "compute/ggmlblocks.h"

namespace attnviz::compute::ggmlblocks {

inline constexpr int legacyBlock = 32;

// The 32 quants of a Q4/Q5 block, without the offset of the symmetric types.
inline void unpackFourBit(const std::uint8_t* nibbles, std::int8_t* q) { splitNibbles<16>(nibbles, q); }

inline void unpackFiveBit(const std::uint8_t* highBits, const std::uint8_t* nibbles, std::int8_t* q)
{
    std::uint32_t high;
    std::memcpy(&high, highBits, sizeof high);
    splitNibbles<16>(nibbles, q);
    for (int i = 0; i < legacyBlock; ++i)
        q[i] = static_cast<std::int8_t>(q[i] | (((high >> i) & 1u) << 4));
}

inline void subtract(std::int8_t* q, int zero)
{
    for (int i = 0; i < legacyBlock; ++i)
        q[i] = static_cast<std::int8_t>(q[i] - zero);
}

struct Q8_0Block
{
    static constexpr int elements = legacyBlock, bytes = 34;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        scaleQuants<legacyBlock, 1>(reinterpret_cast<const std::int8_t*>(block + 2), &d, out);
    }
};

struct Q4_0Block
{
    static constexpr int elements = legacyBlock, bytes = 18;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        std::int8_t q[legacyBlock];
        unpackFourBit(block + 2, q);
        subtract(q, 8);
        scaleQuants<legacyBlock, 1>(q, &d, out);
    }
};

struct Q4_1Block
{
    static constexpr int elements = legacyBlock, bytes = 20;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        const float m = loadHalf(block + 2);
        std::int8_t q[legacyBlock];
        unpackFourBit(block + 4, q);
        scaleAndShiftQuants<legacyBlock, 1>(q, &d, &m, out);
    }
};

struct Q5_0Block
{
    static constexpr int elements = legacyBlock, bytes = 22;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        std::int8_t q[legacyBlock];
        unpackFiveBit(block + 2, block + 6, q);
        subtract(q, 16);
        scaleQuants<legacyBlock, 1>(q, &d, out);
    }
};

struct Q5_1Block
{
    static constexpr int elements = legacyBlock, bytes = 24;
    static void decode(const std::uint8_t* block, float* out)
    {
        const float d = loadHalf(block);
        const float m = loadHalf(block + 2);
        std::int8_t q[legacyBlock];
        unpackFiveBit(block + 4, block + 8, q);
        scaleAndShiftQuants<legacyBlock, 1>(q, &d, &m, out);
    }
};

} // namespace attnviz::compute::ggmlblocks
