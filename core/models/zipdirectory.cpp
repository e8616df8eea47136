#include "models/zipdirectory.h"

#include "base/modelloaderror.h"
#include "util/messagetext.h"

namespace attnviz {

namespace {

constexpr std::uint32_t localSig = 0x04034b50;
constexpr std::uint32_t centralSig = 0x02014b50;
constexpr std::uint32_t endSig = 0x06054b50;
constexpr std::uint32_t end64Sig = 0x06064b50;
constexpr std::uint32_t locator64Sig = 0x07064b50;
constexpr std::size_t endSize = 22, locatorSize = 20, end64Size = 56, centralSize = 46, localSize = 30;
constexpr std::uint64_t maxEntries = 1u << 20; // a state dict with a million tensors is not a model

// Little-endian fields at checked offsets: a read past the end is an error, never a crash.
class Reader
{
public:
    Reader(std::span<const std::uint8_t> bytes, const std::string& label) : m_bytes(bytes), m_label(label) {}

    std::uint64_t le(std::size_t at, int width, const char* what) const
    {
        need(at, static_cast<std::size_t>(width), what);
        std::uint64_t v = 0;
        for (int i = width - 1; i >= 0; --i)
            v = (v << 8) | m_bytes[at + static_cast<std::size_t>(i)];
        return v;
    }
    void need(std::size_t at, std::size_t n, const char* what) const
    {
        if (at > m_bytes.size() || n > m_bytes.size() - at)
            fail(std::string(what) + " lies past the end of the file (truncated?)");
    }
    [[noreturn]] void fail(const std::string& why) const { throw ModelLoadError(m_label + ": zip archive: " + why); }
    std::size_t size() const { return m_bytes.size(); }
    std::string text(std::size_t at, std::size_t n) const
    {
        need(at, n, "an entry name");
        return std::string(reinterpret_cast<const char*>(m_bytes.data()) + at, n);
    }

private:
    std::span<const std::uint8_t> m_bytes;
    const std::string& m_label;
};

struct Directory
{
    std::uint64_t entries = 0, offset = 0, size = 0;
};

Directory findDirectory(const Reader& r)
{
    if (r.size() < endSize)
        r.fail("too short for an end of central directory record");
    // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
    const std::size_t lowest = r.size() >= endSize + 0xffff ? r.size() - endSize - 0xffff : 0;
    std::size_t at = r.size() - endSize;
    while (r.le(at, 4, "end record") != endSig || at + endSize + r.le(at + 20, 2, "comment length") != r.size()) {
        if (at == lowest)
            r.fail("no end of central directory record (not a zip file, or truncated)");
        --at;
    }
    if (r.le(at + 4, 2, "disk number") != 0 || r.le(at + 6, 2, "disk number") != 0)
        r.fail("multi-disk archives are not supported");
    Directory d{r.le(at + 10, 2, "entry count"), r.le(at + 16, 4, "directory offset"),
                r.le(at + 12, 4, "directory size")};
    if (d.entries != 0xffff && d.offset != 0xffffffff && d.size != 0xffffffff)
        return d;
    // ZIP64: the locator sits just before the end record and points to the 64-bit end record.
    if (at < locatorSize || r.le(at - locatorSize, 4, "zip64 locator") != locator64Sig)
        r.fail("the end record asks for ZIP64 but there is no ZIP64 locator");
    const std::uint64_t end64 = r.le(at - locatorSize + 8, 8, "zip64 end offset");
    if (end64 > r.size() - locatorSize || r.le(static_cast<std::size_t>(end64), 4, "zip64 end record") != end64Sig)
        r.fail("the ZIP64 end record is not where the locator says");
    const auto e = static_cast<std::size_t>(end64);
    r.need(e, end64Size, "zip64 end record");
    return {r.le(e + 32, 8, "entry count"), r.le(e + 48, 8, "directory offset"), r.le(e + 40, 8, "directory size")};
}

// Replaces the 0xFFFFFFFF fields by the ZIP64 extra field's values, in the APPNOTE's fixed order.
void applyZip64(const Reader& r, std::size_t extra, std::size_t extraLength, std::uint64_t& usize, std::uint64_t& csize,
                std::uint64_t& local)
{
    std::size_t at = extra;
    const std::size_t stop = extra + extraLength;
    while (at + 4 <= stop) {
        const std::uint64_t id = r.le(at, 2, "extra field");
        const std::size_t length = r.le(at + 2, 2, "extra field");
        if (length > stop - at - 4)
            r.fail("an extra field overruns its header");
        if (id == 0x0001) {
            std::size_t p = at + 4;
            for (std::uint64_t* field : {&usize, &csize, &local}) {
                if (*field != 0xffffffff)
                    continue;
                if (p + 8 > at + 4 + length)
                    r.fail("the ZIP64 extra field is too short");
                *field = r.le(p, 8, "zip64 field");
                p += 8;
            }
            return;
        }
        at += 4 + length;
    }
    if (usize == 0xffffffff || csize == 0xffffffff || local == 0xffffffff)
        r.fail("an entry needs a ZIP64 extra field but has none");
}

} // namespace

std::map<std::string, ZipEntry> readZipDirectory(std::span<const std::uint8_t> bytes, const std::string& label)
{
    const Reader r(bytes, label);
    const Directory d = findDirectory(r);
    if (d.offset > r.size() || d.size > r.size() - d.offset)
        r.fail("the central directory lies outside the file (truncated?)");
    if (d.entries > maxEntries || d.entries > d.size / centralSize)
        r.fail("implausible entry count " + std::to_string(d.entries));
    std::map<std::string, ZipEntry> out;
    std::size_t at = static_cast<std::size_t>(d.offset);
    const std::size_t stop = at + static_cast<std::size_t>(d.size);
    for (std::uint64_t i = 0; i < d.entries; ++i) {
        if (at + centralSize > stop || r.le(at, 4, "central header") != centralSig)
            r.fail("central directory entry " + std::to_string(i) + " is damaged");
        ZipEntry e;
        e.flags = static_cast<std::uint16_t>(r.le(at + 8, 2, "flags"));
        e.method = static_cast<std::uint16_t>(r.le(at + 10, 2, "method"));
        std::uint64_t csize = r.le(at + 20, 4, "size"), usize = r.le(at + 24, 4, "size");
        const std::size_t nameLength = r.le(at + 28, 2, "name length");
        const std::size_t extraLength = r.le(at + 30, 2, "extra length");
        const std::size_t commentLength = r.le(at + 32, 2, "comment length");
        std::uint64_t local = r.le(at + 42, 4, "local header offset");
        if (nameLength + extraLength + commentLength > stop - at - centralSize)
            r.fail("central directory entry " + std::to_string(i) + " overruns the directory");
        e.name = r.text(at + centralSize, nameLength);
        applyZip64(r, at + centralSize + nameLength, extraLength, usize, csize, local);
        at += centralSize + nameLength + extraLength + commentLength;

        // The data follows the local header, whose own name and extra lengths may differ.
        if (local > r.size() - localSize || r.le(static_cast<std::size_t>(local), 4, "local header") != localSig)
            r.fail("entry " + quotedForMessage(e.name) + " has no local header where the directory says");
        const auto l = static_cast<std::size_t>(local);
        const std::size_t dataAt = l + localSize + r.le(l + 26, 2, "name length") + r.le(l + 28, 2, "extra length");
        if (dataAt > r.size() || csize > r.size() - dataAt)
            r.fail("the data of entry " + quotedForMessage(e.name) + " lies past the end of the file (truncated?)");
        e.begin = dataAt;
        e.size = static_cast<std::size_t>(csize);
        e.uncompressedSize = usize;
        if (!out.emplace(e.name, e).second)
            r.fail("entry " + quotedForMessage(e.name) + " is listed twice");
    }
    return out;
}

} // namespace attnviz
