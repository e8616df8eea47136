#pragma once
// Turns ggml blocks back into floats, bit-exactly as ggml's own dequantize_row_* functions do
// (test_ggml_dequant compares every supported type with the reference libraries), so the maps
// AttnViz shows for a quantised file are the maps of exactly the weights llama.cpp uses.

#include "compute/ggmltypes.h"

#include <cstdint>

namespace attnviz::compute {

// Decodes `count` values (a whole number of blocks of `type`) from `blocks` into `out`.
// `type` must be dequantizable (GgmlTypeInfo::dequantizable); the caller checked the byte range.
void dequantizeRow(GgmlType type, const std::uint8_t* blocks, float* out, std::int64_t count);

} // namespace attnviz::compute
