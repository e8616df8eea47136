#pragma once
// Whether the raw bytes of a 16-bit or block-quantised tensor can decode to Inf or NaN, without
// decoding them: a load-time check that reads a fraction of the file.

#include "compute/ggmltypes.h"

#include <cstdint>
#include <span>

namespace attnviz::compute {

// F16 and BF16: any value with every exponent bit set. Block types: any block whose F16 scale
// (d, and dmin where the type has one) is Inf or NaN; those are the only fields that can make a
// decoded value non-finite, since the quantised values and sub-scales are integers. Other types
// (F32 among them, which callers scan after conversion) report false.
bool holdsNonFiniteValues(GgmlType type, std::span<const std::uint8_t> bytes);

} // namespace attnviz::compute
