#pragma once
// The GGUF models already on this computer: where Ollama, LM Studio and the Hugging Face cache
// keep them, and folders the user names. Each is summarised from its header alone
// (summarizeGguf), so a scan of many gigabytes reads kilobytes. The scan is bounded (depth,
// entries, models), follows no symlinked folder and skips what it cannot read; it never throws.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attnviz {

enum class ModelStore { Ollama, LmStudio, HuggingFaceCache, Folder };

// "Ollama", "LM Studio", "Hugging Face cache", "folder".
const char* modelStoreName(ModelStore store);

struct ModelRoot
{
    std::string path;
    ModelStore store = ModelStore::Folder;
};

struct LocalModel
{
    std::string path;         // the file to open (an Ollama blob has no extension)
    std::string name;         // "llama3.2:latest" for Ollama, else the file name without .gguf
    std::string architecture; // general.architecture
    std::string quantisation; // "Q4_K_M", "F16", ...
    std::uint64_t bytes = 0;  // all shards of a split model
    std::int64_t parameters = 0;
    std::string source;       // modelStoreName()
    bool supported = false;   // AttnViz can open it
    std::string problem;      // why not, when !supported
};

struct DiscoveryLimits
{
    int maxDepth = 6;                 // folders below a root (LM Studio needs 2, HF snapshots a few)
    std::size_t maxEntries = 200000;  // directory entries looked at, over all roots
    std::size_t maxModels = 1000;     // files summarised, over all roots
    const std::atomic<bool>* cancel = nullptr; // once true, the scan ends with what it has found
};

// Where the runners keep models on this machine, from the environment: $OLLAMA_MODELS or
// ~/.ollama/models and the Linux service's /usr/share/ollama/.ollama/models; ~/.lmstudio/models and
// ~/.cache/lm-studio/models; $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
// Then `extraFolders` as ModelStore::Folder.
std::vector<ModelRoot> defaultModelRoots(const std::vector<std::string>& extraFolders = {});

// Every GGUF model under `roots`, each file once per name (the first root that reaches it lists
// it; Ollama tags sharing a blob are each listed), in root order, then by name, then by path. Files that are not valid GGUF are listed with
// supported = false and the reason; a split model (name-00001-of-00003.gguf) once, by its first shard.
std::vector<LocalModel> discoverLocalModels(const std::vector<ModelRoot>& roots, const DiscoveryLimits& limits = {});

// "4.7 GB", "512 MB", "12 KB": sizes for people, in powers of 1000 as the runners show them.
std::string humanBytes(std::uint64_t bytes);

} // namespace attnviz
