#include "compute/ggmlfinite.h"

#include "compute/halffloat.h"

#include <array>

namespace attnviz::compute {

namespace {

// Byte offsets of a block's F16 scales in ggml's layouts (ggml-common.h); −1 = none.
using ScaleOffsets = std::array<int, 2>;

ScaleOffsets halfScaleOffsets(GgmlType type)
{
    switch (type) {
    case GgmlType::Q4_0: case GgmlType::Q5_0: case GgmlType::Q8_0:
    case GgmlType::IQ4_NL: case GgmlType::IQ4_XS: return {0, -1};
    case GgmlType::Q4_1: case GgmlType::Q5_1:
    case GgmlType::Q4_K: case GgmlType::Q5_K: return {0, 2};
    case GgmlType::Q2_K: return {80, 82};  // after scales[16] and qs[64]
    case GgmlType::Q3_K: return {108, -1}; // after hmask[32], qs[64] and scales[12]
    case GgmlType::Q6_K: return {208, -1}; // after ql[128], qh[64] and scales[16]
    default: return {-1, -1};
    }
}

// One OR over the fields with no early exit, so the compiler vectorises the loop.
bool anyHalfNonFinite(const std::uint8_t* data, std::size_t count, std::size_t stride, std::uint16_t exponent)
{
    unsigned any = 0;
#pragma omp simd reduction(| : any)
    for (std::size_t i = 0; i < count; ++i)
        any |= static_cast<unsigned>((loadU16(data + i * stride) & exponent) == exponent);
    return any != 0;
}

} // namespace

bool holdsNonFiniteValues(GgmlType type, std::span<const std::uint8_t> bytes)
{
    if (type == GgmlType::F16 || type == GgmlType::BF16)
        return anyHalfNonFinite(bytes.data(), bytes.size() / 2, 2, type == GgmlType::F16 ? 0x7c00 : 0x7f80);
    const ScaleOffsets offsets = halfScaleOffsets(type);
    const auto blockBytes = static_cast<std::size_t>(ggmlTypeInfo(type).blockBytes);
    const std::size_t blocks = bytes.size() / blockBytes;
    bool any = false;
    for (const int offset : offsets) {
        if (offset >= 0 && blocks > 0)
            any = anyHalfNonFinite(bytes.data() + offset, blocks, blockBytes, 0x7c00) || any;
    }
    return any;
}

} // namespace attnviz::compute
