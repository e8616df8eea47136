#include "ggmllibrary.h"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace attnviz::llamacpp {

namespace {

bool sameIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

} // namespace

GgmlLibrary::GgmlLibrary(const std::string& folder)
{
    const std::string path = folder + "/libggml-base.so";
    m_handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (m_handle == nullptr)
        throw std::runtime_error("cannot load " + path + ": " + dlerror());
    m_commit = reinterpret_cast<decltype(m_commit)>(symbol("ggml_commit"));
    m_typeName = reinterpret_cast<decltype(m_typeName)>(symbol("ggml_type_name"));
    m_blockSize = reinterpret_cast<decltype(m_blockSize)>(symbol("ggml_blck_size"));
    m_typeSize = reinterpret_cast<decltype(m_typeSize)>(symbol("ggml_type_size"));
    m_requiresImatrix = reinterpret_cast<decltype(m_requiresImatrix)>(symbol("ggml_quantize_requires_imatrix"));
    m_quantizeChunk = reinterpret_cast<decltype(m_quantizeChunk)>(symbol("ggml_quantize_chunk"));
}

GgmlLibrary::~GgmlLibrary()
{
    dlclose(m_handle);
}

void* GgmlLibrary::symbol(const char* name) const
{
    void* address = dlsym(m_handle, name);
    if (address == nullptr)
        throw std::runtime_error(std::string("libggml-base.so has no ") + name);
    return address;
}

std::string GgmlLibrary::commit() const { return m_commit(); }

std::string GgmlLibrary::typeName(int type) const
{
    const char* name = m_typeName(type);
    return name != nullptr ? name : "";
}

std::int64_t GgmlLibrary::blockElements(int type) const { return m_blockSize(type); }

std::size_t GgmlLibrary::blockBytes(int type) const { return m_typeSize(type); }

int GgmlLibrary::typeNamed(std::string_view name) const
{
    int id = -1;
    const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (error == std::errc() && end == name.data() + name.size())
        return id >= 0 && id < typeCount && blockElements(id) > 0 ? id : -1;
    for (int t = 0; t < typeCount; ++t) {
        if (blockElements(t) > 0 && sameIgnoringCase(typeName(t), name))
            return t;
    }
    return -1;
}

bool GgmlLibrary::requiresImportanceMatrix(int type) const { return m_requiresImatrix(type); }

bool GgmlLibrary::canQuantize(int type) const
{
    // ggml_quantize_chunk's switch leaves out the integer types, F64 and the dot-product-only Q8s.
    static constexpr std::string_view unsupported[] = {"i8", "i16", "i32", "i64", "f64", "q8_1", "q8_K"};
    const std::string name = typeName(type);
    return blockElements(type) > 0 && std::find(std::begin(unsupported), std::end(unsupported), name) ==
                                          std::end(unsupported);
}

std::size_t GgmlLibrary::quantize(int type, const float* values, void* blocks, std::int64_t rows,
                                  std::int64_t rowLength) const
{
    return m_quantizeChunk(type, values, blocks, 0, rows, rowLength, nullptr);
}

GgmlToFloat GgmlLibrary::toFloat(int type) const
{
    const std::string name = typeName(type);
    if (name == "f32")
        return nullptr;
    const std::string function = name == "f16"    ? "ggml_fp16_to_fp32_row"
                                 : name == "bf16" ? "ggml_bf16_to_fp32_row"
                                                  : "dequantize_row_" + name;
    return reinterpret_cast<GgmlToFloat>(dlsym(m_handle, function.c_str()));
}

} // namespace attnviz::llamacpp
