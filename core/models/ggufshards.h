#pragma once
// Split GGUF models as llama.cpp's gguf-split writes them: PREFIX-00001-of-0000N.gguf … with all
// metadata in the first shard, and in every shard split.no (0-based), split.count and its own
// tensors (split.tensors.count, in the first, counts them all).

#include "models/gguffile.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace attnviz {

// "PREFIX-00002-of-00003.gguf" read back: PREFIX (the path before the suffix), the 1-based shard
// number and the count; nullopt for any other name.
struct GgufShardName
{
    std::string prefix;
    int number = 0;
    int count = 0;
};
std::optional<GgufShardName> ggufShardName(const std::string& path);

// The shards of the model `path` belongs to, first one first; just that file when it is not split.
// Opening any shard opens the whole model. Throws ModelLoadError naming the shard at fault: one
// missing, numbered or counted unlike its name, or a tensor stored twice.
using GgufShards = std::vector<std::shared_ptr<const GgufFile>>;
GgufShards openGgufShards(const std::string& path);

} // namespace attnviz
