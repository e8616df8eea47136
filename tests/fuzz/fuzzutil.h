#pragma once
// Shared helpers of the libFuzzer harnesses: inputs that parsers read from disk are written to a
// private temporary folder, and the real tokenizer fixtures are found at run time.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace attnviz::fuzz {

// One folder per fuzzing process, made on first use (the parsers under test take paths).
inline const std::string& scratchDir()
{
    static const std::string dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/attnviz-fuzz-XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr) std::abort();
        return pattern;
    }();
    return dir;
}

// Writes `bytes` to scratchDir()/name and returns the path.
inline std::string writeScratch(const std::string& name, std::string_view bytes)
{
    const std::string path = scratchDir() + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
}

inline void removeScratch(const std::string& name)
{
    ::unlink((scratchDir() + "/" + name).c_str());
}

// The input split at each occurrence of Separator (in the JSON dictionary, so the fuzzer keeps
// the parts apart): config.json, model.safetensors, tokenizer.json for the folder harness.
inline constexpr std::string_view Separator = "\n@@ATTNVIZ-PART@@\n";

inline std::vector<std::string_view> splitParts(std::string_view input, std::size_t maxParts)
{
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < maxParts) {
        const std::size_t at = input.find(Separator);
        if (at == std::string_view::npos) break;
        parts.push_back(input.substr(0, at));
        input.remove_prefix(at + Separator.size());
    }
    parts.push_back(input);
    return parts;
}

// ../shared/fixtures, overridable with the ATTNVIZ_SHARED_FIXTURES environment variable.
inline std::string sharedFixtures()
{
    const char* env = std::getenv("ATTNVIZ_SHARED_FIXTURES");
    return env != nullptr && *env != '\0' ? std::string(env) : std::string(ATTNVIZ_SHARED_FIXTURES);
}

inline std::string_view asText(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace attnviz::fuzz
