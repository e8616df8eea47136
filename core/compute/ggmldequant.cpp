#include "compute/ggmldequant.h"

#include "compute/ggmliq4blocks.h"
#include "compute/ggmlkquantblocks.h"
#include "compute/ggmllegacyblocks.h"

#if defined(__F16C__)
#include <immintrin.h>
#endif

#include <cstring>
#include <stdexcept>
#include <string>

namespace attnviz::compute {

namespace {

using namespace ggmlblocks;

template <class Block>
void decodeBlocks(const std::uint8_t* blocks, float* out, std::int64_t count)
{
    const std::int64_t blockCount = count / Block::elements;
    for (std::int64_t b = 0; b < blockCount; ++b)
        Block::decode(blocks + b * Block::bytes, out + b * Block::elements);
}

void decodeF32(const std::uint8_t* values, float* out, std::int64_t count)
{
    if (count > 0)
        std::memcpy(out, values, static_cast<std::size_t>(count) * sizeof(float)); // may be unaligned
}

void decodeF16(const std::uint8_t* values, float* out, std::int64_t count)
{
    std::int64_t i = 0;
#if defined(__F16C__)
    // The hardware conversion, three times faster: the same float for every half but NaNs, which
    // stay NaNs (signalling ones come out quiet, as from ggml's own conversion).
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(values + 2 * i))));
#endif
#pragma omp simd
    for (std::int64_t j = i; j < count; ++j)
        out[j] = halfToFloat(loadU16(values + 2 * j));
}

void decodeBF16(const std::uint8_t* values, float* out, std::int64_t count)
{
#pragma omp simd
    for (std::int64_t i = 0; i < count; ++i)
        out[i] = bfloat16ToFloat(loadU16(values + 2 * i));
}

} // namespace

GgmlRowDecoder ggmlRowDecoder(GgmlType type)
{
    switch (type) {
    case GgmlType::F32: return decodeF32;
    case GgmlType::F16: return decodeF16;
    case GgmlType::BF16: return decodeBF16;
    case GgmlType::Q8_0: return decodeBlocks<Q8_0Block>;
    case GgmlType::Q4_0: return decodeBlocks<Q4_0Block>;
    case GgmlType::Q4_1: return decodeBlocks<Q4_1Block>;
    case GgmlType::Q5_0: return decodeBlocks<Q5_0Block>;
    case GgmlType::Q5_1: return decodeBlocks<Q5_1Block>;
    case GgmlType::Q2_K: return decodeBlocks<Q2_KBlock>;
    case GgmlType::Q3_K: return decodeBlocks<Q3_KBlock>;
    case GgmlType::Q4_K: return decodeBlocks<Q4_KBlock>;
    case GgmlType::Q5_K: return decodeBlocks<Q5_KBlock>;
    case GgmlType::Q6_K: return decodeBlocks<Q6_KBlock>;
    case GgmlType::IQ4_NL: return decodeBlocks<IQ4_NLBlock>;
    case GgmlType::IQ4_XS: return decodeBlocks<IQ4_XSBlock>;
    default: break;
    }
    throw std::invalid_argument("dequantizeRow: ggml type " + std::to_string(static_cast<std::uint32_t>(type)) +
                                " is not dequantizable");
}

void dequantizeRow(GgmlType type, const std::uint8_t* blocks, float* out, std::int64_t count)
{
    ggmlRowDecoder(type)(blocks, out, count);
}

} // namespace attnviz::compute
