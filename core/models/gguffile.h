#pragma once
// Reader for GGUF files (llama.cpp / ggml), versions 2 and 3: the magic "GGUF", a version, the
// tensor and metadata counts, typed metadata key-values, the tensor table (name, dimensions,
// ggml type, offset), padding to `general.alignment`, then the tensor data. Little-endian only.
// Every count, length and offset is checked against the bytes that remain before it is used, so
// a truncated or hostile file gives a ModelLoadError naming the file and the key or tensor, never
// a crash or an allocation the file's size does not justify. Metadata values view the file's
// bytes: strings and numeric arrays are not copied.

#include "compute/ggmltypes.h"
#include "models/tensorfile.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attnviz {

// GGUF's metadata value types, numbered as in the file.
enum class GgufKind : std::uint32_t {
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
};

// "uint8", "int32", "float32", "bool", "string", "array", ...
std::string_view ggufKindName(GgufKind kind);
bool ggufKindIsInteger(GgufKind kind);
bool ggufKindIsFloat(GgufKind kind);

// One metadata value: a scalar, a string or an array (of scalars, strings or arrays). It views
// the bytes of the GgufFile it came from and is valid while that file is. Copies are cheap.
class GgufValue
{
public:
    GgufKind kind() const { return m_kind; }
    bool isInteger() const { return ggufKindIsInteger(m_kind); }
    bool isFloat() const { return ggufKindIsFloat(m_kind); }
    bool isNumber() const { return isInteger() || isFloat(); }
    bool isArray() const { return m_kind == GgufKind::Array; }
    // "uint32", or "array of string", "array of array of int8" for arrays (for messages).
    std::string kindText() const;

    // Scalars. The accessor must suit the kind: a mismatch is a programming error (std::logic_error).
    bool isNegative() const;           // a signed integer below 0 or a float below 0
    std::uint64_t asUnsigned() const;  // an integer that is not negative
    std::int64_t asSigned() const;     // an integer within int64 (a uint64 above INT64_MAX throws)
    double asDouble() const;           // any integer or float
    bool asBool() const;
    std::string_view asString() const; // raw bytes, not necessarily valid UTF-8

    // Arrays.
    GgufKind elementKind() const { return m_elementKind; }
    std::size_t size() const { return m_count; }
    GgufValue element(std::size_t i) const; // out of range throws std::out_of_range

private:
    friend struct GgufValueBuilder; // gguffile.cpp fills values in
    GgufKind m_kind = GgufKind::UInt8;
    std::uint64_t m_unsigned = 0; // integer kinds and bool: the value's bits, sign-extended for signed kinds
    double m_double = 0;          // float kinds
    std::string_view m_text;      // String
    // Array: scalar elements stay in the file (m_raw), strings and nested arrays are indexed.
    GgufKind m_elementKind = GgufKind::UInt8;
    std::size_t m_count = 0;
    std::span<const std::uint8_t> m_raw;
    std::shared_ptr<const std::vector<std::string_view>> m_strings;
    std::shared_ptr<const std::vector<GgufValue>> m_arrays;
};

class GgufFile : public TensorFile
{
public:
    static constexpr std::uint64_t defaultAlignment = 32;
    static constexpr std::uint64_t maxAlignment = 1u << 20; // as ggml: above is a padding bomb
    static constexpr int maxDims = 4;                       // GGML_MAX_DIMS
    static constexpr int maxArrayDepth = 8;                 // arrays of arrays ... of scalars
    static constexpr std::size_t maxKeyBytes = 65535;       // the spec's limit
    static constexpr std::size_t maxTensorNameBytes = 63;   // GGML_MAX_NAME - 1, as ggml reads them

    // Maps and validates the file. Throws ModelLoadError.
    explicit GgufFile(const std::string& path);
    // The same over bytes the caller keeps alive; `label` names them in messages.
    GgufFile(std::string label, std::span<const std::uint8_t> borrowed);

    std::uint32_t version() const { return m_version; }
    std::uint64_t alignment() const { return m_alignment; }
    std::uint64_t dataOffset() const { return m_dataOffset; } // absolute start of the data section

    std::vector<std::string> keys() const; // in file order
    const GgufValue* value(std::string_view key) const; // nullptr if absent

    // Typed getters: nullopt (or empty) when absent; a present key of the wrong kind throws
    // ModelLoadError naming the key and both kinds.
    std::optional<std::string> string(std::string_view key) const;
    std::optional<std::uint64_t> unsignedInteger(std::string_view key) const; // any integer kind; negative throws
    std::optional<double> number(std::string_view key) const;                 // any integer or float kind
    std::optional<bool> boolean(std::string_view key) const;
    std::vector<std::string> stringArray(std::string_view key) const;
    std::vector<double> numberArray(std::string_view key) const;        // any numeric element kind
    std::vector<std::int64_t> integerArray(std::string_view key) const; // any integer element kind

    // tensors() (from TensorFile) holds each tensor with dtype = the ggml type's name ("F32",
    // "Q4_K", ...), shape outer first (the reverse of GGUF's ne: a matrix ne = [in, out] has shape
    // {out, in}, rows contiguous), begin/end its absolute byte range.
    // Their bytes: TensorFile::tensorBytes.
    compute::GgmlType ggmlType(const TensorInfo& info) const;
    // Loaders keep GGUF matrices as they are encoded (compute/encodedmatrix.h).
    bool keepsEncoded(const TensorInfo&) const override { return true; }
    // Tensor names in file order.
    const std::vector<std::string>& tensorOrder() const { return m_tensorOrder; }

private:
    void parse();
    [[noreturn]] void wrongKind(std::string_view key, const GgufValue& v, std::string_view expected) const;

    std::uint32_t m_version = 0;
    std::uint64_t m_alignment = defaultAlignment;
    std::uint64_t m_dataOffset = 0;
    std::vector<std::pair<std::string, GgufValue>> m_entries;   // file order
    std::map<std::string, std::size_t, std::less<>> m_index;    // key -> m_entries index
    std::vector<std::string> m_tensorOrder;
};

} // namespace attnviz
