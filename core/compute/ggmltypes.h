#pragma once
// The tensor element types of ggml (llama.cpp), as GGUF files number them: each type stores its
// values in blocks of `blockElements` values taking `blockBytes` bytes. Quantised weights stay in
// these blocks in memory; compute/ggmldequant.h turns blocks back into floats.

#include <cstdint>
#include <string_view>

namespace attnviz::compute {

enum class GgmlType : std::uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30, TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39,
};

struct GgmlTypeInfo
{
    GgmlType type;
    const char* name;   // as the GGUF tools print it, upper case: "Q4_K", "IQ4_NL", "BF16"
    int blockElements;  // values per block
    int blockBytes;     // bytes per block
    bool dequantizable; // AttnViz can turn it into floats (compute/ggmldequant.h)
};

// The type with GGUF id `id`, or nullptr for an id ggml does not define (or that was retired).
const GgmlTypeInfo* ggmlTypeInfo(std::uint32_t id);
// The type named `name` (upper case, as GgmlTypeInfo::name), or nullptr.
const GgmlTypeInfo* ggmlTypeNamed(std::string_view name);
inline const GgmlTypeInfo& ggmlTypeInfo(GgmlType type) { return *ggmlTypeInfo(static_cast<std::uint32_t>(type)); }

// Every type AttnViz can dequantise, for messages ("F32, F16, ...").
std::string_view dequantizableTypeNames();

} // namespace attnviz::compute
