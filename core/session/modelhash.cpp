#include "session/modelhash.h"

#include "models/mappedfile.h"
#include "registry/resourcepaths.h"
#include "util/regularfile.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace attnviz {

namespace {

constexpr std::uint64_t kOdd = 0x9E3779B97F4A7C15ull; // 2^64 / golden ratio: well-spread bits, odd
constexpr std::size_t kBlock = 32;                    // four lanes of 8 bytes

std::uint64_t rotl(std::uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

// splitmix64's finaliser: every input bit reaches every output bit.
std::uint64_t finalMix(std::uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

class LaneHash
{
public:
    void block(const unsigned char* p)
    {
        for (int i = 0; i < 4; ++i) {
            std::uint64_t word = 0;
            std::memcpy(&word, p + 8 * i, 8); // little-endian hosts only, as the model readers
            m_lane[i] = rotl(m_lane[i] ^ word, 29) * kOdd;
        }
    }
    std::uint64_t finish(std::uint64_t size) const
    {
        std::uint64_t h = finalMix(size);
        for (std::uint64_t lane : m_lane)
            h = finalMix(h ^ lane) * kOdd;
        return finalMix(h);
    }

private:
    std::uint64_t m_lane[4] = {1, 2, 3, 4}; // distinct, so equal words in different lanes differ
};

// Chunks of 64 MiB between cancel checks: a cancelled check stops within a fraction of a second.
std::uint64_t hashMapped(const unsigned char* data, std::size_t size, const std::atomic<bool>* cancel, bool& stopped)
{
    LaneHash h;
    constexpr std::size_t kChunk = std::size_t(64) << 20;
    const std::size_t whole = size - size % kBlock;
    for (std::size_t at = 0; at < whole; at += kBlock) {
        if (at % kChunk == 0 && cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
            stopped = true;
            return 0;
        }
        h.block(data + at);
    }
    unsigned char tail[kBlock] = {}; // zero-padded; the size in finish() tells "a" from "a\0"
    if (size > whole)
        std::memcpy(tail, data + whole, size - whole);
    h.block(tail);
    return h.finish(size);
}

} // namespace

std::uint64_t hashBytes(const void* data, std::size_t size)
{
    bool stopped = false;
    return hashMapped(static_cast<const unsigned char*>(data), size, nullptr, stopped);
}

std::vector<std::string> modelFiles(const std::string& spec)
{
    const fs::path path(resolveResourceSpec(spec));
    const FileKind kind = fileKind(path.string());
    if (kind == FileKind::Missing)
        throw std::runtime_error("no such file or folder: " + path.string());
    if (kind != FileKind::Directory)
        return {path.string()};
    std::vector<std::string> safetensors, torch;
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(path, error)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() == ".safetensors")
            safetensors.push_back(entry.path().string());
        else if (name.rfind("pytorch_model", 0) == 0 && entry.path().extension() == ".bin")
            torch.push_back(entry.path().string());
    }
    if (error)
        throw std::runtime_error("cannot list " + path.string() + ": " + error.message());
    std::vector<std::string> files = safetensors.empty() ? torch : safetensors;
    std::sort(files.begin(), files.end());
    files.insert(files.begin(), (path / "config.json").string());
    return files;
}

std::string modelContentHash(const std::string& spec, const std::atomic<bool>* cancel)
{
    std::uint64_t total = 0;
    for (const std::string& file : modelFiles(spec)) {
        const MappedFile mapped(file); // throws ModelLoadError (a runtime_error) naming the file
        bool stopped = false;
        const std::uint64_t content = hashMapped(mapped.data(), mapped.size(), cancel, stopped);
        if (stopped)
            return {};
        // The name counts too: swapping two shards' contents is a change.
        const std::string name = fs::path(file).filename().string();
        total = finalMix(total ^ hashBytes(name.data(), name.size())) * kOdd ^ content;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(finalMix(total)));
    return std::string("lanes64:") + hex;
}

} // namespace attnviz
