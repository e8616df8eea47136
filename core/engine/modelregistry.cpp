// openModel(): one entry point that recognises every kind of model spec.
#include "engine/attentionmodel.h"
#include "engine/lessonmodel.h"
#include "engine/resourcepaths.h"
#include "models/hfloader.h"
#include "models/llama2c.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace attnviz {

std::unique_ptr<AttentionModel> openModel(const std::string& spec)
{
    std::string path;
    try {
        path = resolveResourceSpec(spec);
    } catch (const std::runtime_error& e) {
        throw ModelLoadError(e.what());
    }
    std::error_code ec;
    if (!fs::exists(path, ec)) throw ModelLoadError("no such file or folder: " + path);
    const fs::path p(path);
    if (fs::is_regular_file(p, ec) && p.extension() == ".json") return openLessonModel(path);
    // models: checkpoint formats are recognised here (Hugging Face folders, llama2.c files).
    if (fs::is_directory(p, ec) && fs::exists(p / "config.json", ec)) return openHuggingFaceFolder(path);
    if (fs::is_regular_file(p, ec) && p.extension() == ".bin") return openLlama2c(path);
    throw ModelLoadError("not a model AttnViz can open: " + path +
                         " (expected a lesson .json file, a model folder with config.json, or a llama2.c .bin)");
}

} // namespace attnviz
