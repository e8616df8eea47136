#include "models/gguffile.h"

#include "base/modelloaderror.h"
#include "util/lfspointer.h"
#include "util/messagetext.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace attnviz {

namespace {

constexpr std::string_view alignmentKey = "general.alignment";
constexpr std::uint32_t kindCount = 13;

// Bytes of one scalar of `kind` in the file; 0 for strings and arrays.
std::size_t scalarBytes(GgufKind kind)
{
    switch (kind) {
    case GgufKind::UInt8: case GgufKind::Int8: case GgufKind::Bool: return 1;
    case GgufKind::UInt16: case GgufKind::Int16: return 2;
    case GgufKind::UInt32: case GgufKind::Int32: case GgufKind::Float32: return 4;
    case GgufKind::UInt64: case GgufKind::Int64: case GgufKind::Float64: return 8;
    case GgufKind::String: case GgufKind::Array: return 0;
    }
    return 0;
}

// The fewest bytes one value of `kind` takes in the file: a string its 8-byte length, an array
// its element type and count.
std::size_t minimumBytes(GgufKind kind)
{
    if (kind == GgufKind::String)
        return 8;
    if (kind == GgufKind::Array)
        return 12;
    return scalarBytes(kind);
}

bool isSignedKind(GgufKind kind)
{
    return kind == GgufKind::Int8 || kind == GgufKind::Int16 || kind == GgufKind::Int32 || kind == GgufKind::Int64;
}

std::uint64_t littleEndian(const std::uint8_t* p, std::size_t n)
{
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

// The scalar of `kind` at `p` (scalarBytes(kind) bytes, already validated).
GgufValue decodeScalar(GgufKind kind, const std::uint8_t* p);

} // namespace

std::string_view ggufKindName(GgufKind kind)
{
    switch (kind) {
    case GgufKind::UInt8: return "uint8";
    case GgufKind::Int8: return "int8";
    case GgufKind::UInt16: return "uint16";
    case GgufKind::Int16: return "int16";
    case GgufKind::UInt32: return "uint32";
    case GgufKind::Int32: return "int32";
    case GgufKind::Float32: return "float32";
    case GgufKind::Bool: return "bool";
    case GgufKind::String: return "string";
    case GgufKind::Array: return "array";
    case GgufKind::UInt64: return "uint64";
    case GgufKind::Int64: return "int64";
    case GgufKind::Float64: return "float64";
    }
    return "unknown";
}

bool ggufKindIsInteger(GgufKind kind)
{
    switch (kind) {
    case GgufKind::UInt8: case GgufKind::Int8: case GgufKind::UInt16: case GgufKind::Int16:
    case GgufKind::UInt32: case GgufKind::Int32: case GgufKind::UInt64: case GgufKind::Int64:
        return true;
    default:
        return false;
    }
}

bool ggufKindIsFloat(GgufKind kind)
{
    return kind == GgufKind::Float32 || kind == GgufKind::Float64;
}

// ---- GgufValue ----

std::string GgufValue::kindText() const
{
    if (m_kind != GgufKind::Array)
        return std::string(ggufKindName(m_kind));
    std::string text = "array of ";
    if (m_elementKind == GgufKind::Array) {
        // The element arrays may differ; name the first one's kind when there is one.
        text += m_count > 0 && m_arrays ? (*m_arrays)[0].kindText() : std::string("array");
    } else {
        text += ggufKindName(m_elementKind);
    }
    return text;
}

bool GgufValue::isNegative() const
{
    if (isSignedKind(m_kind))
        return static_cast<std::int64_t>(m_unsigned) < 0;
    if (isFloat())
        return m_double < 0;
    return false;
}

std::uint64_t GgufValue::asUnsigned() const
{
    if (!isInteger() || isNegative())
        throw std::logic_error("GgufValue::asUnsigned on a " + kindText() + " value");
    return m_unsigned;
}

std::int64_t GgufValue::asSigned() const
{
    if (!isInteger())
        throw std::logic_error("GgufValue::asSigned on a " + kindText() + " value");
    if (!isSignedKind(m_kind) && m_unsigned > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw std::out_of_range("GgufValue::asSigned: " + std::to_string(m_unsigned) + " exceeds int64");
    return static_cast<std::int64_t>(m_unsigned);
}

double GgufValue::asDouble() const
{
    if (isFloat())
        return m_double;
    if (isSignedKind(m_kind))
        return static_cast<double>(static_cast<std::int64_t>(m_unsigned));
    if (isInteger())
        return static_cast<double>(m_unsigned);
    throw std::logic_error("GgufValue::asDouble on a " + kindText() + " value");
}

bool GgufValue::asBool() const
{
    if (m_kind != GgufKind::Bool)
        throw std::logic_error("GgufValue::asBool on a " + kindText() + " value");
    return m_unsigned != 0;
}

std::string_view GgufValue::asString() const
{
    if (m_kind != GgufKind::String)
        throw std::logic_error("GgufValue::asString on a " + kindText() + " value");
    return m_text;
}

GgufValue GgufValue::element(std::size_t i) const
{
    if (m_kind != GgufKind::Array)
        throw std::logic_error("GgufValue::element on a " + kindText() + " value");
    if (i >= m_count)
        throw std::out_of_range("GgufValue::element " + std::to_string(i) + " of " + std::to_string(m_count));
    if (m_elementKind == GgufKind::String) {
        GgufValue v;
        v.m_kind = GgufKind::String;
        v.m_text = (*m_strings)[i];
        return v;
    }
    if (m_elementKind == GgufKind::Array)
        return (*m_arrays)[i];
    return decodeScalar(m_elementKind, m_raw.data() + i * scalarBytes(m_elementKind));
}

// Fills GgufValues in (their members are private to keep them read-only for everyone else).
struct GgufValueBuilder
{
    static GgufValue scalar(GgufKind kind, const std::uint8_t* p)
    {
        GgufValue v;
        v.m_kind = kind;
        const std::size_t n = scalarBytes(kind);
        const std::uint64_t bits = littleEndian(p, n);
        switch (kind) {
        case GgufKind::Float32: {
            const auto b32 = static_cast<std::uint32_t>(bits);
            float f;
            std::memcpy(&f, &b32, sizeof f);
            v.m_double = f;
            break;
        }
        case GgufKind::Float64: {
            double d;
            std::memcpy(&d, &bits, sizeof d);
            v.m_double = d;
            break;
        }
        case GgufKind::Int8: v.m_unsigned = static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int8_t>(bits))); break;
        case GgufKind::Int16: v.m_unsigned = static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int16_t>(bits))); break;
        case GgufKind::Int32: v.m_unsigned = static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(bits))); break;
        default: v.m_unsigned = bits; break;
        }
        return v;
    }
    static GgufValue string(std::string_view text)
    {
        GgufValue v;
        v.m_kind = GgufKind::String;
        v.m_text = text;
        return v;
    }
    static GgufValue array(GgufKind elementKind, std::size_t count)
    {
        GgufValue v;
        v.m_kind = GgufKind::Array;
        v.m_elementKind = elementKind;
        v.m_count = count;
        return v;
    }
    static void setRaw(GgufValue& v, std::span<const std::uint8_t> raw) { v.m_raw = raw; }
    static void setStrings(GgufValue& v, std::vector<std::string_view> s)
    {
        v.m_strings = std::make_shared<const std::vector<std::string_view>>(std::move(s));
    }
    static void setArrays(GgufValue& v, std::vector<GgufValue> a)
    {
        v.m_arrays = std::make_shared<const std::vector<GgufValue>>(std::move(a));
    }
};

namespace {

GgufValue decodeScalar(GgufKind kind, const std::uint8_t* p)
{
    return GgufValueBuilder::scalar(kind, p);
}

// A cursor over the file's bytes that refuses every read past the end, naming what it read.
class Reader
{
public:
    Reader(const std::string& path, std::span<const std::uint8_t> bytes) : m_path(path), m_bytes(bytes) {}

    std::size_t position() const { return m_pos; }
    std::size_t remaining() const { return m_bytes.size() - m_pos; }
    std::size_t size() const { return m_bytes.size(); }

    // `n` bytes, or a truncation error naming `what`.
    const std::uint8_t* take(std::uint64_t n, const std::string& what)
    {
        if (n > remaining()) {
            throw ModelLoadError(m_path + ": file truncated: " + what + " needs " + std::to_string(n) +
                                 " bytes at offset " + std::to_string(m_pos) + " but only " +
                                 std::to_string(remaining()) + " remain");
        }
        const std::uint8_t* p = m_bytes.data() + m_pos;
        m_pos += static_cast<std::size_t>(n);
        return p;
    }
    std::uint32_t u32(const std::string& what) { return static_cast<std::uint32_t>(littleEndian(take(4, what), 4)); }
    std::uint64_t u64(const std::string& what) { return littleEndian(take(8, what), 8); }
    // A GGUF string: a uint64 length, then that many bytes (viewed, not copied).
    std::string_view string(const std::string& what, std::uint64_t maxBytes)
    {
        const std::uint64_t n = u64(what + " length");
        if (n > maxBytes) {
            throw ModelLoadError(m_path + ": " + what + " is " + std::to_string(n) + " bytes long, more than the " +
                                 std::to_string(maxBytes) + " allowed");
        }
        const std::uint8_t* p = take(n, what);
        return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
    }

private:
    const std::string& m_path;
    std::span<const std::uint8_t> m_bytes;
    std::size_t m_pos = 0;
};

// What the parsed metadata and tensor table may take in memory: a fixed allowance plus a few
// times the file's size, so that no file makes the reader allocate far more than it holds.
class MemoryBudget
{
public:
    MemoryBudget(const std::string& path, std::size_t fileSize)
        : m_path(path), m_left(fileSize > (std::numeric_limits<std::size_t>::max() - (1u << 20)) / 8
                                   ? std::numeric_limits<std::size_t>::max()
                                   : 8 * fileSize + (1u << 20))
    {
    }
    void charge(std::uint64_t bytes, const std::string& where)
    {
        if (bytes > m_left) {
            throw ModelLoadError(m_path + ": " + where +
                                 ": the metadata would take more memory than a file of this size can justify");
        }
        m_left -= static_cast<std::size_t>(bytes);
    }

private:
    const std::string& m_path;
    std::size_t m_left;
};

// The containers' own bookkeeping (map node, vector slot), charged with each key and tensor.
constexpr std::size_t entryOverhead = 128;

// Reads metadata values; `where` names the key (and the element path inside arrays) in messages.
struct ValueParser
{
    Reader& in;
    MemoryBudget& budget;
    const std::string& path;

    GgufKind kindOf(std::uint32_t id, const std::string& where)
    {
        if (id >= kindCount) {
            throw ModelLoadError(path + ": " + where + " has unknown value type " + std::to_string(id) +
                                 " (GGUF defines 0 to 12)");
        }
        return static_cast<GgufKind>(id);
    }

    GgufValue parse(GgufKind kind, int depth, const std::string& where)
    {
        if (kind == GgufKind::String)
            return GgufValueBuilder::string(in.string(where, std::numeric_limits<std::uint64_t>::max()));
        if (kind != GgufKind::Array) {
            const std::uint8_t* p = in.take(scalarBytes(kind), where + " (" + std::string(ggufKindName(kind)) + ")");
            if (kind == GgufKind::Bool && *p > 1) {
                throw ModelLoadError(path + ": " + where + " is a bool of value " + std::to_string(*p) +
                                     " (only 0 and 1 are valid)");
            }
            return GgufValueBuilder::scalar(kind, p);
        }
        const GgufKind element = kindOf(in.u32(where + " element type"), where + " element");
        if (element == GgufKind::Array && depth + 1 >= GgufFile::maxArrayDepth) {
            throw ModelLoadError(path + ": " + where + " nests arrays more than " +
                                 std::to_string(GgufFile::maxArrayDepth) + " deep");
        }
        const std::uint64_t count = in.u64(where + " element count");
        const std::size_t least = minimumBytes(element);
        if (count > in.remaining() / least) {
            throw ModelLoadError(path + ": file truncated: " + where + " has " + std::to_string(count) + " " +
                                 std::string(ggufKindName(element)) + " elements, which need at least " +
                                 (count > std::numeric_limits<std::uint64_t>::max() / least
                                      ? std::string("2^64")
                                      : std::to_string(count * least)) +
                                 " bytes, but only " + std::to_string(in.remaining()) + " remain");
        }
        const auto n = static_cast<std::size_t>(count);
        GgufValue array = GgufValueBuilder::array(element, n);
        if (element == GgufKind::String) {
            budget.charge(n * sizeof(std::string_view), where);
            std::vector<std::string_view> strings;
            strings.reserve(n);
            for (std::size_t i = 0; i < n; ++i)
                strings.push_back(
                    in.string(where + "[" + std::to_string(i) + "]", std::numeric_limits<std::uint64_t>::max()));
            GgufValueBuilder::setStrings(array, std::move(strings));
        } else if (element == GgufKind::Array) {
            budget.charge(n * sizeof(GgufValue), where);
            std::vector<GgufValue> arrays;
            arrays.reserve(n);
            for (std::size_t i = 0; i < n; ++i)
                arrays.push_back(parse(GgufKind::Array, depth + 1, where + "[" + std::to_string(i) + "]"));
            GgufValueBuilder::setArrays(array, std::move(arrays));
        } else {
            const std::size_t bytes = n * scalarBytes(element);
            const std::uint8_t* p = in.take(bytes, where);
            if (element == GgufKind::Bool) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (p[i] > 1) {
                        throw ModelLoadError(path + ": " + where + "[" + std::to_string(i) + "] is a bool of value " +
                                             std::to_string(p[i]) + " (only 0 and 1 are valid)");
                    }
                }
            }
            GgufValueBuilder::setRaw(array, {p, bytes});
        }
        return array;
    }
};

// A tensor's table entry before its offset is placed in the data section.
struct PendingTensor
{
    std::string name;
    std::vector<std::int64_t> shape; // outer first
    const compute::GgmlTypeInfo* type = nullptr;
    std::uint64_t bytes = 0;
    std::uint64_t offset = 0; // relative to the data section
};

bool isPowerOfTwo(std::uint64_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

} // namespace

// ---- GgufFile ----

GgufFile::GgufFile(const std::string& path) : TensorFile(path)
{
    parse();
}

GgufFile::GgufFile(std::string label, std::span<const std::uint8_t> borrowed) : TensorFile(std::move(label), borrowed)
{
    parse();
}

void GgufFile::parse()
{
    const std::string& path = this->path();
    const std::span<const std::uint8_t> data = bytes();
    const std::string_view head(reinterpret_cast<const char*>(data.data()), std::min<std::size_t>(data.size(), 200));
    if (const auto lfs = gitLfsPointerMessage(head, path))
        throw ModelLoadError(*lfs);
    if (data.size() < 4 || std::memcmp(data.data(), "GGUF", 4) != 0) {
        throw ModelLoadError(path + ": not a GGUF file (it starts with " +
                             quotedForMessage(head.substr(0, std::min<std::size_t>(head.size(), 4))) +
                             ", not \"GGUF\")");
    }
    Reader in(path, data);
    in.take(4, "the magic");
    m_version = in.u32("the GGUF version");
    if (m_version != 2 && m_version != 3) {
        const std::uint32_t swapped = __builtin_bswap32(m_version);
        if (swapped == 2 || swapped == 3) {
            throw ModelLoadError(path + ": a big-endian GGUF file (version " + std::to_string(swapped) +
                                 "); only little-endian files are supported");
        }
        throw ModelLoadError(path + ": GGUF version " + std::to_string(m_version) +
                             " is not supported (versions 2 and 3 are" +
                             (m_version == 1 ? std::string("; version 1 is the obsolete 32-bit layout)") : ")"));
    }
    const std::uint64_t tensorCount = in.u64("the tensor count");
    const std::uint64_t kvCount = in.u64("the metadata count");
    // A key-value takes at least 8 (key length) + 1 (key) + 4 (type) + 1 (value) bytes.
    if (kvCount > in.remaining() / 14) {
        throw ModelLoadError(path + ": file truncated: " + std::to_string(kvCount) +
                             " metadata entries cannot fit in the " + std::to_string(in.remaining()) +
                             " bytes that remain");
    }
    MemoryBudget budget(path, data.size());
    ValueParser values{in, budget, path};
    m_entries.reserve(static_cast<std::size_t>(kvCount));
    for (std::uint64_t i = 0; i < kvCount; ++i) {
        const std::string entry = "metadata entry " + std::to_string(i) +
                                  (m_entries.empty() ? std::string()
                                                     : " (after key " + quotedForMessage(m_entries.back().first) + ")");
        const std::string_view key = in.string(entry + " key", maxKeyBytes);
        if (key.empty())
            throw ModelLoadError(path + ": " + entry + " has an empty key");
        const std::string where = "metadata key " + quotedForMessage(key);
        if (m_index.count(key) != 0)
            throw ModelLoadError(path + ": " + where + " appears twice");
        budget.charge(key.size() * 2 + entryOverhead + sizeof(GgufValue), where);
        const GgufKind kind = values.kindOf(in.u32(where + " value type"), where);
        GgufValue value = values.parse(kind, 0, where);
        m_index.emplace(std::string(key), m_entries.size());
        m_entries.emplace_back(std::string(key), std::move(value));
    }

    if (const GgufValue* a = value(alignmentKey)) {
        const std::string where = path + ": metadata key " + quotedForMessage(alignmentKey);
        if (a->kind() != GgufKind::UInt32)
            throw ModelLoadError(where + " is " + a->kindText() + ", expected uint32");
        m_alignment = a->asUnsigned();
        if (!isPowerOfTwo(m_alignment))
            throw ModelLoadError(where + " is " + std::to_string(m_alignment) + ", not a power of two");
        if (m_alignment > maxAlignment) {
            throw ModelLoadError(where + " is " + std::to_string(m_alignment) + ", more than the " +
                                 std::to_string(maxAlignment) + " allowed");
        }
    }

    // A tensor info takes at least 8 (name length) + 4 (n_dims) + 4 (type) + 8 (offset) bytes.
    if (tensorCount > in.remaining() / 24) {
        throw ModelLoadError(path + ": file truncated: " + std::to_string(tensorCount) +
                             " tensor infos cannot fit in the " + std::to_string(in.remaining()) +
                             " bytes that remain");
    }
    std::vector<PendingTensor> pending;
    pending.reserve(static_cast<std::size_t>(tensorCount));
    for (std::uint64_t i = 0; i < tensorCount; ++i) {
        const std::string entry = "tensor info " + std::to_string(i) +
                                  (pending.empty() ? std::string()
                                                   : " (after tensor " + quotedForMessage(pending.back().name) + ")");
        PendingTensor t;
        t.name = std::string(in.string(entry + " name", std::numeric_limits<std::uint64_t>::max()));
        const std::string where = "tensor " + quotedForMessage(t.name);
        if (t.name.size() > maxTensorNameBytes) {
            throw ModelLoadError(path + ": " + where + ": the name is " + std::to_string(t.name.size()) +
                                 " bytes long, more than the " + std::to_string(maxTensorNameBytes) + " ggml allows");
        }
        if (m_tensors.count(t.name) != 0)
            throw ModelLoadError(path + ": " + where + " is listed twice");
        budget.charge(t.name.size() * 2 + 2 * entryOverhead + sizeof(PendingTensor) + sizeof(TensorInfo), where);
        const std::uint32_t dims = in.u32(where + " dimension count");
        if (dims > static_cast<std::uint32_t>(maxDims)) {
            throw ModelLoadError(path + ": " + where + " has " + std::to_string(dims) + " dimensions; ggml allows " +
                                 std::to_string(maxDims));
        }
        std::vector<std::uint64_t> ne(dims);
        std::uint64_t elements = 1;
        for (std::uint32_t d = 0; d < dims; ++d) {
            ne[d] = in.u64(where + " dimension " + std::to_string(d));
            if (ne[d] == 0)
                throw ModelLoadError(path + ": " + where + " dimension " + std::to_string(d) + " is 0");
            std::uint64_t product = 0;
            if (__builtin_mul_overflow(elements, ne[d], &product) ||
                product > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                throw ModelLoadError(path + ": " + where + ": the element count overflows (dimension " +
                                     std::to_string(d) + " is " + std::to_string(ne[d]) + ")");
            }
            elements = product;
        }
        const std::uint32_t typeId = in.u32(where + " type");
        t.type = compute::ggmlTypeInfo(typeId);
        if (t.type == nullptr)
            throw ModelLoadError(path + ": " + where + " has unknown ggml type " + std::to_string(typeId));
        const auto block = static_cast<std::uint64_t>(t.type->blockElements);
        const std::uint64_t rowElements = dims > 0 ? ne[0] : 1;
        if (rowElements % block != 0) {
            throw ModelLoadError(path + ": " + where + " of type " + t.type->name + " has " +
                                 std::to_string(rowElements) + " elements per row, not a multiple of its block of " +
                                 std::to_string(block));
        }
        if (__builtin_mul_overflow(elements / block, static_cast<std::uint64_t>(t.type->blockBytes), &t.bytes)) {
            throw ModelLoadError(path + ": " + where + " of type " + t.type->name + ": the byte size overflows");
        }
        t.offset = in.u64(where + " offset");
        for (std::uint32_t d = dims; d-- > 0;)
            t.shape.push_back(static_cast<std::int64_t>(ne[d]));
        // The name is taken before the table is complete so that duplicates are found; the
        // range is filled in below.
        TensorInfo placeholder;
        placeholder.name = t.name;
        m_tensors.emplace(t.name, std::move(placeholder));
        pending.push_back(std::move(t));
    }

    // The data section starts at the next multiple of the alignment; as in ggml, a file without
    // tensors needs no padding and its (empty) data section starts where the table ends.
    const std::uint64_t end = in.position();
    const std::uint64_t padded = (end + m_alignment - 1) / m_alignment * m_alignment; // alignment <= 2^20: no overflow
    m_dataOffset = pending.empty() ? end : padded;
    if (!pending.empty() && padded > data.size()) {
        throw ModelLoadError(path + ": file truncated: the data section would start at offset " +
                             std::to_string(padded) + ", past the end of the " + std::to_string(data.size()) +
                             "-byte file");
    }
    std::vector<const TensorInfo*> byOffset;
    byOffset.reserve(pending.size());
    for (PendingTensor& t : pending) {
        const std::string where = path + ": tensor " + quotedForMessage(t.name);
        if (t.offset % m_alignment != 0) {
            throw ModelLoadError(where + ": offset " + std::to_string(t.offset) + " is not a multiple of the alignment " +
                                 std::to_string(m_alignment));
        }
        const std::uint64_t available = data.size() - padded;
        if (t.offset > available || t.bytes > available - t.offset) {
            throw ModelLoadError(where + " (" + t.type->name + ", shape " + shapeText(t.shape) + ", " +
                                 std::to_string(t.bytes) + " bytes at data offset " + std::to_string(t.offset) +
                                 ") lies outside the " + std::to_string(available) +
                                 " data bytes (truncated file?)");
        }
        TensorInfo& info = m_tensors.at(t.name);
        info.dtype = t.type->name;
        info.shape = std::move(t.shape);
        info.begin = static_cast<std::size_t>(padded + t.offset);
        info.end = static_cast<std::size_t>(padded + t.offset + t.bytes);
        byOffset.push_back(&info);
        m_tensorOrder.push_back(t.name);
    }
    refuseOverlaps(path, byOffset);
}

std::vector<std::string> GgufFile::keys() const
{
    std::vector<std::string> out;
    out.reserve(m_entries.size());
    for (const auto& [key, value] : m_entries)
        out.push_back(key);
    return out;
}

const GgufValue* GgufFile::value(std::string_view key) const
{
    const auto it = m_index.find(key);
    return it == m_index.end() ? nullptr : &m_entries[it->second].second;
}

void GgufFile::wrongKind(std::string_view key, const GgufValue& v, std::string_view expected) const
{
    throw ModelLoadError(path() + ": metadata key " + quotedForMessage(key) + " is " + v.kindText() + ", expected " +
                         std::string(expected));
}

std::optional<std::string> GgufFile::string(std::string_view key) const
{
    const GgufValue* v = value(key);
    if (v == nullptr)
        return std::nullopt;
    if (v->kind() != GgufKind::String)
        wrongKind(key, *v, "a string");
    return std::string(v->asString());
}

std::optional<std::uint64_t> GgufFile::unsignedInteger(std::string_view key) const
{
    const GgufValue* v = value(key);
    if (v == nullptr)
        return std::nullopt;
    if (!v->isInteger())
        wrongKind(key, *v, "an unsigned integer");
    if (v->isNegative()) {
        throw ModelLoadError(path() + ": metadata key " + quotedForMessage(key) + " is " +
                             std::to_string(v->asSigned()) + ", expected an unsigned integer");
    }
    return v->asUnsigned();
}

std::optional<double> GgufFile::number(std::string_view key) const
{
    const GgufValue* v = value(key);
    if (v == nullptr)
        return std::nullopt;
    if (!v->isNumber())
        wrongKind(key, *v, "a number");
    return v->asDouble();
}

std::optional<bool> GgufFile::boolean(std::string_view key) const
{
    const GgufValue* v = value(key);
    if (v == nullptr)
        return std::nullopt;
    if (v->kind() != GgufKind::Bool)
        wrongKind(key, *v, "a bool");
    return v->asBool();
}

std::vector<std::string> GgufFile::stringArray(std::string_view key) const
{
    const GgufValue* v = value(key);
    if (v == nullptr)
        return {};
    if (!v->isArray() || v->elementKind() != GgufKind::String)
        wrongKind(key, *v, "an array of string");
    std::vector<std::string> out;
    out.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i)
        out.emplace_back(v->element(i).asString());
    return out;
}

std::vector<double> GgufFile::numberArray(std::string_view key) const
{
    const GgufValue* v = value(key);
    if (v == nullptr)
        return {};
    if (!v->isArray() || !(ggufKindIsInteger(v->elementKind()) || ggufKindIsFloat(v->elementKind())))
        wrongKind(key, *v, "an array of numbers");
    std::vector<double> out(v->size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = v->element(i).asDouble();
    return out;
}

std::vector<std::int64_t> GgufFile::integerArray(std::string_view key) const
{
    const GgufValue* v = value(key);
    if (v == nullptr)
        return {};
    if (!v->isArray() || !ggufKindIsInteger(v->elementKind()))
        wrongKind(key, *v, "an array of integers");
    std::vector<std::int64_t> out(v->size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const GgufValue e = v->element(i);
        if (!e.isNegative() && e.asUnsigned() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            throw ModelLoadError(path() + ": metadata key " + quotedForMessage(key) + " element " + std::to_string(i) +
                                 " is " + std::to_string(e.asUnsigned()) + ", more than int64 holds");
        }
        out[i] = e.asSigned();
    }
    return out;
}

compute::GgmlType GgufFile::ggmlType(const TensorInfo& info) const
{
    const compute::GgmlTypeInfo* t = compute::ggmlTypeNamed(info.dtype);
    if (t == nullptr) {
        throw ModelLoadError(path() + ": tensor " + quotedForMessage(info.name) + " has dtype " +
                             quotedForMessage(info.dtype) + ", not a ggml type");
    }
    return t->type;
}

} // namespace attnviz
