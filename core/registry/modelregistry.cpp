#include "registry/modelregistry.h"

#include "engine/lessonmodel.h"
#include "registry/resourcepaths.h"
#include "models/attentionfile.h"
#include "models/ggufloader.h"
#include "models/hfloader.h"
#include "models/llama2c.h"
#include "util/regularfile.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace attnviz {

namespace {

bool hasGgufMagic(const std::string& path)
{
    try {
        return RegularFile(path).readStart(4) == "GGUF";
    } catch (const FileError& e) {
        throw ModelLoadError(e.what());
    }
}

} // namespace

std::unique_ptr<AttentionModel> openModel(const std::string& spec)
{
    std::string path;
    try {
        path = resolveResourceSpec(spec);
    } catch (const std::runtime_error& e) {
        throw ModelLoadError(e.what());
    }
    // fileKind, not fs::exists: a symlink loop or an unreadable folder is named as such, not as missing.
    const auto kindOf = [](const std::string& file) {
        try {
            return fileKind(file);
        } catch (const FileError& e) {
            throw ModelLoadError(e.what());
        }
    };
    const FileKind kind = kindOf(path);
    if (kind == FileKind::Missing) throw ModelLoadError("no such file or folder: " + path);
    if (kind == FileKind::Other) {
        try {
            RegularFile{path}; // throws, saying what it is (a FIFO, a device...)
        } catch (const FileError& e) {
            throw ModelLoadError(e.what());
        }
    }
    const fs::path p(path);
    if (kind == FileKind::Regular && p.extension() == ".json") return openLessonModel(path);
    // models: checkpoint formats are recognised here (Hugging Face folders, llama2.c files).
    if (kind == FileKind::Directory && kindOf((p / "config.json").string()) != FileKind::Missing) {
        return openHuggingFaceFolder(path);
    }
    if (kind == FileKind::Regular && p.extension() == ".bin") return openLlama2c(path);
    if (kind == FileKind::Regular && p.extension() == ".gguf") return openGgufFile(path);
    // Attention computed elsewhere (docs/attention-file.md); a checkpoint's own .safetensors is refused by it.
    if (kind == FileKind::Regular && p.extension() == ".safetensors") return openAttentionFile(path);
    // Ollama keeps its GGUF files as blobs/sha256-<hex>, with no extension: the magic tells.
    if (kind == FileKind::Regular && hasGgufMagic(path)) return openGgufFile(path);
    throw ModelLoadError("not a model AttnViz can open: " + path +
                         " (expected a lesson .json file, a model folder with config.json, a llama2.c .bin, a "
                         "GGUF file, or an attention file .safetensors)");
}

} // namespace attnviz
