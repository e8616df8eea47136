#pragma once
// The few C functions of llama.cpp's libggml-base.so that AttnViz's ggml tests and benchmark
// call, loaded with dlopen from the pinned prebuilt libraries (tools/llamacpp/install.sh). Test
// tools only: nothing in the product loads ggml.
//
// Declarations as in ggml/include/ggml.h at llama.cpp commit 0ad4a86 (ggml_type is a C enum,
// passed as int); dequantize_row_<name> as in ggml/src/ggml-quants.h, the fp16/bf16 row
// conversions as in ggml.h.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace attnviz::llamacpp {

// dequantize_row_q4_K and friends, ggml_fp16_to_fp32_row, ggml_bf16_to_fp32_row.
using GgmlToFloat = void (*)(const void* blocks, float* out, std::int64_t count);

class GgmlLibrary
{
public:
    // Loads folder/libggml-base.so; throws std::runtime_error naming what is missing.
    explicit GgmlLibrary(const std::string& folder);
    ~GgmlLibrary();
    GgmlLibrary(const GgmlLibrary&) = delete;
    GgmlLibrary& operator=(const GgmlLibrary&) = delete;

    // ggml has no call that says how many types it has, and asking past the last one reads out
    // of bounds: the pinned library (commit 0ad4a86) defines ids 0 to 42 (Q2_0).
    static constexpr int typeCount = 43;

    std::string commit() const;
    std::string typeName(int type) const; // ggml's spelling: "q4_K", "iq4_nl", "DEPRECATED"
    std::int64_t blockElements(int type) const; // 0 for a retired id
    std::size_t blockBytes(int type) const;
    // The id whose name is `name` (case-insensitive) or the decimal id itself; -1 if none.
    int typeNamed(std::string_view name) const;

    bool requiresImportanceMatrix(int type) const;
    // Whether ggml_quantize_chunk accepts `type` (it aborts on the others).
    bool canQuantize(int type) const;
    // ggml_quantize_chunk over `rows` rows of `rowLength` values, without importance matrix;
    // returns the bytes written.
    std::size_t quantize(int type, const float* values, void* blocks, std::int64_t rows, std::int64_t rowLength) const;

    // ggml's block decoder for `type`, nullptr for F32 (a copy) or a type without one.
    GgmlToFloat toFloat(int type) const;

private:
    void* symbol(const char* name) const; // throws if absent

    void* m_handle = nullptr;
    const char* (*m_commit)() = nullptr;
    const char* (*m_typeName)(int) = nullptr;
    std::int64_t (*m_blockSize)(int) = nullptr;
    std::size_t (*m_typeSize)(int) = nullptr;
    bool (*m_requiresImatrix)(int) = nullptr;
    std::size_t (*m_quantizeChunk)(int, const float*, void*, std::int64_t, std::int64_t, std::int64_t,
                                   const float*) = nullptr;
};

} // namespace attnviz::llamacpp
