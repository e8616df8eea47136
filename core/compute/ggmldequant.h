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

// dequantizeRow's decoder for `type`, to choose once and call per row (throws std::invalid_argument
// for a type that is not dequantizable).
using GgmlRowDecoder = void (*)(const std::uint8_t* blocks, float* out, std::int64_t count);
GgmlRowDecoder ggmlRowDecoder(GgmlType type);

// Decodes a tile of a row-major quantised matrix W straight into one packed panel of the matrix
// kernel (compute/microkernel.h: depthCount rows of panelWidth = 32 floats, 64-byte aligned):
// panelOut[k * 32 + r] = W(row r, value k) for k < depthCount, r < rowsInPanel, and 0 for the
// columns r >= rowsInPanel. rowBlocks[r] points at row r's first block of the tile (only the
// first rowsInPanel pointers are read); depthCount must be a whole number of blocks.
void dequantizePanel(GgmlType type, const std::uint8_t* const* rowBlocks, int rowsInPanel, std::int64_t depthCount,
                     float* panelOut);

} // namespace attnviz::compute
