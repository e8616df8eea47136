#include "registry/localmodels.h"

#include "models/ggufdescriptions.h"
#include "models/ggufloader.h"
#include "models/ggufshards.h"
#include "registry/directorywalk.h"
#include "util/json.h"
#include "util/messagetext.h"
#include "util/regularfile.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <string_view>

namespace fs = std::filesystem;

namespace attnviz {

namespace {

// An Ollama manifest lists a model's layers: a few hundred bytes, or some 100 KB for a model
// imported from safetensors (one layer per tensor).
constexpr std::size_t kMaxManifestBytes = std::size_t(1) << 20;

// A file found under a root, before its header is read.
struct Candidate
{
    fs::path file;
    std::string name;
    std::size_t root = 0; // index into the roots, for the order
    ModelStore store = ModelStore::Folder;
};

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

bool cancelled(const DiscoveryLimits& limits)
{
    return limits.cancel != nullptr && limits.cancel->load(std::memory_order_relaxed);
}

class Collector
{
public:
    explicit Collector(const DiscoveryLimits& limits) : m_limits(limits), m_entriesLeft(limits.maxEntries) {}

    bool full() const { return m_found.size() >= m_limits.maxModels; }
    bool stopped() const { return full() || cancelled(m_limits); }
    std::vector<Candidate> take() { return std::move(m_found); }

    // Every *.gguf file under `root` (LM Studio, the user's folders, an HF snapshot).
    void ggufFiles(const fs::path& root, std::size_t rootIndex, ModelStore store, int depth)
    {
        walkFiles(root, depth, m_entriesLeft, [&](const fs::path& file) {
            if (file.extension() == ".gguf")
                addFile(file, file.stem().string(), rootIndex, store);
            return !stopped();
        });
    }

    // models--<org>--<name>/snapshots/<revision>/**/*.gguf; the snapshot files link into blobs/.
    void huggingFaceCache(const fs::path& root, std::size_t rootIndex)
    {
        for (const fs::path& repo : subfolders(root, m_entriesLeft)) {
            if (stopped())
                return;
            if (repo.filename().string().rfind("models--", 0) != 0)
                continue;
            for (const fs::path& revision : subfolders(repo / "snapshots", m_entriesLeft))
                ggufFiles(revision, rootIndex, ModelStore::HuggingFaceCache, m_limits.maxDepth);
        }
    }

    // manifests/<host>/<namespace>/<model>/<tag>: JSON naming the model layer's blob by digest.
    void ollama(const fs::path& root, std::size_t rootIndex)
    {
        const fs::path manifests = root / "manifests";
        std::size_t manifestsLeft = 4 * m_limits.maxModels; // each is read whole, so they are counted too
        walkFiles(manifests, 3, m_entriesLeft, [&](const fs::path& manifest) {
            if (const auto blob = ollamaModelBlob(root, manifest))
                add({*blob, ollamaName(manifests, manifest), rootIndex, ModelStore::Ollama});
            return !stopped() && --manifestsLeft > 0;
        });
    }

private:
    void add(Candidate c)
    {
        if (!full())
            m_found.push_back(std::move(c));
    }

    void addFile(const fs::path& file, std::string stem, std::size_t rootIndex, ModelStore store)
    {
        if (const auto shard = ggufShardName(file.string())) {
            if (shard->number > 1)
                return; // listed through its first shard, which opens them all
            stem = fs::path(shard->prefix).filename().string();
        }
        add({file, stem, rootIndex, store});
    }

    // The blob of the manifest's "application/vnd.ollama.image.model" layer, if it is a file.
    static std::optional<fs::path> ollamaModelBlob(const fs::path& root, const fs::path& manifest)
    {
        try {
            const json::Value doc = json::parse(readTextFile(manifest.string(), kMaxManifestBytes));
            const json::Value* layers = doc.find("layers");
            if (layers == nullptr || !layers->isArray())
                return std::nullopt;
            for (const json::Value& layer : layers->asArray()) {
                const json::Value* type = layer.find("mediaType");
                const json::Value* digest = layer.find("digest");
                if (type == nullptr || !type->isString() || type->asString() != "application/vnd.ollama.image.model" ||
                    digest == nullptr || !digest->isString())
                    continue;
                // "sha256:<hex>" is stored as blobs/sha256-<hex>; only hex digits, so no path can be smuggled in.
                const std::string& text = digest->asString();
                const std::string_view hex = std::string_view(text).substr(std::min<std::size_t>(text.size(), 7));
                if (text.rfind("sha256:", 0) != 0 || hex.empty() || hex.size() > 128 ||
                    !std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
                    return std::nullopt;
                const fs::path blob = root / "blobs" / ("sha256-" + std::string(hex));
                return isRegularFile(blob) ? std::optional<fs::path>(blob) : std::nullopt;
            }
        } catch (const std::exception&) {
            // not a manifest (a stray file, broken JSON): skipped
        }
        return std::nullopt;
    }

    // "model:tag", with the namespace ("user/model:tag") and a registry other than Ollama's
    // ("hf.co/user/model:tag") in front, as `ollama list` names them.
    static std::string ollamaName(const fs::path& manifests, const fs::path& manifest)
    {
        std::vector<std::string> parts;
        for (const fs::path& part : manifest.lexically_relative(manifests))
            parts.push_back(part.string());
        if (parts.size() < 2)
            return manifest.filename().string();
        std::string name = parts[parts.size() - 2] + ":" + parts.back();
        if (parts.size() >= 3 && parts[parts.size() - 3] != "library")
            name = parts[parts.size() - 3] + "/" + name;
        if (parts.size() >= 4 && parts[0] != "registry.ollama.ai")
            name = parts[0] + "/" + name;
        return name;
    }

    const DiscoveryLimits& m_limits;
    std::size_t m_entriesLeft;
    std::vector<Candidate> m_found;
};

std::uint64_t sizeOf(const fs::path& file)
{
    std::error_code error;
    const std::uint64_t bytes = fs::file_size(file, error);
    return error ? 0 : bytes;
}

LocalModel describe(const Candidate& c)
{
    LocalModel m;
    m.path = c.file.string();
    m.name = c.name;
    m.source = modelStoreName(c.store);
    try {
        const GgufSummary s = summarizeGguf(m.path);
        m.architecture = s.architecture;
        m.quantisation = s.quantisation;
        m.bytes = s.bytes;
        m.parameters = s.parameters;
        m.supported = s.supported;
        if (!s.supported) {
            m.problem = "the architecture " + quotedForMessage(s.architecture) + " is not one AttnViz reads (" +
                        ggufArchitectureNames() + ")";
        }
    } catch (const std::exception& e) {
        m.bytes = sizeOf(c.file);
        m.problem = e.what();
        if (m.problem.rfind(m.path + ": ", 0) == 0)
            m.problem.erase(0, m.path.size() + 2); // the path is listed beside it
    }
    return m;
}

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

} // namespace

const char* modelStoreName(ModelStore store)
{
    switch (store) {
    case ModelStore::Ollama: return "Ollama";
    case ModelStore::LmStudio: return "LM Studio";
    case ModelStore::HuggingFaceCache: return "Hugging Face cache";
    case ModelStore::Folder: break;
    }
    return "folder";
}

std::vector<ModelRoot> defaultModelRoots(const std::vector<std::string>& extraFolders)
{
    const std::string home = environment("HOME");
    const auto inHome = [&home](const char* relative) { return home.empty() ? std::string() : home + "/" + relative; };
    std::vector<ModelRoot> roots;
    const auto add = [&roots](const std::string& path, ModelStore store) {
        if (!path.empty())
            roots.push_back({path, store});
    };
    const std::string ollama = environment("OLLAMA_MODELS");
    add(ollama.empty() ? inHome(".ollama/models") : ollama, ModelStore::Ollama);
    add("/usr/share/ollama/.ollama/models", ModelStore::Ollama); // the Linux service's own store
    add(inHome(".lmstudio/models"), ModelStore::LmStudio);
    add(inHome(".cache/lm-studio/models"), ModelStore::LmStudio);
    std::string hub = environment("HF_HUB_CACHE");
    if (hub.empty() && !environment("HF_HOME").empty())
        hub = environment("HF_HOME") + "/hub";
    if (hub.empty() && !environment("XDG_CACHE_HOME").empty())
        hub = environment("XDG_CACHE_HOME") + "/huggingface/hub";
    add(hub.empty() ? inHome(".cache/huggingface/hub") : hub, ModelStore::HuggingFaceCache);
    for (const std::string& folder : extraFolders)
        add(folder, ModelStore::Folder);
    return roots;
}

std::vector<LocalModel> discoverLocalModels(const std::vector<ModelRoot>& roots, const DiscoveryLimits& limits)
{
    Collector collector(limits);
    for (std::size_t i = 0; i < roots.size() && !collector.stopped(); ++i) {
        const fs::path root(roots[i].path);
        switch (roots[i].store) {
        case ModelStore::Ollama: collector.ollama(root, i); break;
        case ModelStore::HuggingFaceCache: collector.huggingFaceCache(root, i); break;
        case ModelStore::LmStudio:
        case ModelStore::Folder: collector.ggufFiles(root, i, roots[i].store, limits.maxDepth); break;
        }
    }
    std::vector<Candidate> found = collector.take();
    std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        const std::string an = lowered(a.name), bn = lowered(b.name);
        return a.root != b.root ? a.root < b.root : an != bn ? an < bn : a.file < b.file;
    });
    std::vector<LocalModel> models;
    // Each file once per name, however many roots or links reach it; Ollama tags that share a
    // blob stay apart, as `ollama list` shows them.
    std::set<std::pair<fs::path, std::string>> seen;
    for (const Candidate& c : found) {
        if (cancelled(limits))
            break;
        std::error_code error;
        const fs::path target = fs::canonical(c.file, error);
        if (!seen.insert({error ? c.file : target, c.name}).second)
            continue;
        models.push_back(describe(c));
    }
    return models;
}

std::string humanBytes(std::uint64_t bytes)
{
    static const char* const units[] = {"bytes", "KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1000 && unit < 4) {
        value /= 1000;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return text;
}

} // namespace attnviz
