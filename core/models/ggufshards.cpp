#include "models/ggufshards.h"

#include "base/modelloaderror.h"
#include "util/messagetext.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string_view>

namespace attnviz {

namespace {

constexpr std::uint64_t maxShards = 99999; // the most a five-digit shard name can number

bool isAllDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string shardPath(const GgufShardName& name, int number)
{
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "-%05d-of-%05d.gguf", number, name.count);
    return name.prefix + suffix;
}

std::uint64_t splitKey(const GgufFile& file, const char* key, std::uint64_t fallback)
{
    return file.unsignedInteger(key).value_or(fallback);
}

} // namespace

std::optional<GgufShardName> ggufShardName(const std::string& path)
{
    constexpr std::size_t suffixBytes = std::char_traits<char>::length("-00001-of-00003.gguf");
    if (path.size() <= suffixBytes)
        return std::nullopt;
    const std::string_view tail = std::string_view(path).substr(path.size() - suffixBytes);
    if (tail[0] != '-' || tail.substr(6, 4) != "-of-" || tail.substr(15) != ".gguf" || !isAllDigits(tail.substr(1, 5)) ||
        !isAllDigits(tail.substr(10, 5)))
        return std::nullopt;
    return GgufShardName{path.substr(0, path.size() - suffixBytes), std::stoi(std::string(tail.substr(1, 5))),
                         std::stoi(std::string(tail.substr(10, 5)))};
}

GgufShards openGgufShards(const std::string& path)
{
    auto opened = std::make_shared<const GgufFile>(path);
    const std::uint64_t count = splitKey(*opened, "split.count", 1);
    if (count <= 1)
        return {opened};
    if (count > maxShards)
        throw ModelLoadError(path + ": split.count " + std::to_string(count) + " is more shards than gguf-split writes");
    const std::optional<GgufShardName> name = ggufShardName(path);
    if (!name || std::uint64_t(name->count) != count)
        throw ModelLoadError(path + ": a shard of a model split in " + std::to_string(count) +
                             " (split.count), but its name does not end in " + shardPath({"", 0, int(count)}, 1) +
                             " and the like, so the other shards cannot be found");

    GgufShards shards;
    std::set<std::string> names; // of every shard's tensors, so far
    for (int i = 1; i <= name->count; ++i) {
        const std::string shard = shardPath(*name, i);
        if (i == name->number) {
            shards.push_back(opened);
        } else {
            std::error_code error;
            if (!std::filesystem::exists(shard, error))
                throw ModelLoadError(shard + ": missing; the model is split in " + std::to_string(count) +
                                     " files and every one is needed");
            shards.push_back(std::make_shared<const GgufFile>(shard));
        }
        const GgufFile& file = *shards.back();
        if (splitKey(file, "split.no", i - 1) != std::uint64_t(i - 1) || splitKey(file, "split.count", count) != count)
            throw ModelLoadError(shard + ": its split.no / split.count say shard " +
                                 std::to_string(splitKey(file, "split.no", 0) + 1) + " of " +
                                 std::to_string(splitKey(file, "split.count", 0)) + ", not " + std::to_string(i) +
                                 " of " + std::to_string(count) + " as its name does");
        for (const auto& entry : file.tensors()) {
            if (!names.insert(entry.first).second)
                throw ModelLoadError(shard + ": tensor " + quotedForMessage(entry.first) + " is stored in two shards");
        }
    }
    const GgufFile& first = *shards.front();
    if (const auto declared = first.unsignedInteger("split.tensors.count"); declared && *declared != names.size())
        throw ModelLoadError(shardPath(*name, 1) + ": split.tensors.count says " + std::to_string(*declared) +
                             " tensors, the " + std::to_string(count) + " shards hold " + std::to_string(names.size()));
    return shards;
}

} // namespace attnviz
