#pragma once
// The central directory of a ZIP archive (PKWARE APPNOTE: end of central directory record,
// ZIP64 end record and locator, central file headers, local file headers, the ZIP64 extended
// information extra field 0x0001), read from bytes in memory. Only what torch.save writes is
// needed: every entry's name, method and the byte range of its data. Nothing is decompressed.

#include <cstdint>
#include <map>
#include <span>
#include <string>

namespace attnviz {

struct ZipEntry
{
    std::string name;
    std::uint16_t method = 0; // 0 = stored; anything else is compressed
    std::uint16_t flags = 0;  // bit 0: encrypted
    std::size_t begin = 0;    // data range in the archive, [begin, begin + size)
    std::size_t size = 0;     // compressed size (the bytes as stored)
    std::uint64_t uncompressedSize = 0;
};

// Every entry, validated against the bytes: ranges inside, names unique, at most maxEntries.
// `label` names the file in messages. Throws ModelLoadError.
std::map<std::string, ZipEntry> readZipDirectory(std::span<const std::uint8_t> bytes, const std::string& label);

} // namespace attnviz
