#include "registry/resourcepaths.h"
#include "util/messagetext.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace attnviz {

std::vector<std::string> resourceDirectories()
{
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("ATTNVIZ_RESOURCES"); env != nullptr && *env != '\0') dirs.emplace_back(env);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back((exe.parent_path().parent_path() / "share" / "attnviz").string());
    dirs.emplace_back(ATTNVIZ_INSTALL_RESOURCES);
    dirs.emplace_back(ATTNVIZ_SOURCE_RESOURCES);
    std::vector<std::string> existing;
    for (const auto& d : dirs) {
        if (fs::is_directory(d, ec) && std::find(existing.begin(), existing.end(), d) == existing.end()) {
            existing.push_back(d);
        }
    }
    return existing;
}

namespace {

std::vector<std::string> namesIn(const std::string& sub, bool wantDirectories, const std::string& extension)
{
    std::vector<std::string> names;
    for (const auto& dir : resourceDirectories()) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(fs::path(dir) / sub, ec)) {
            const bool isDir = entry.is_directory(ec);
            if (isDir != wantDirectories) continue;
            if (!wantDirectories && entry.path().extension() != extension) continue;
            std::string name = wantDirectories ? entry.path().filename().string() : entry.path().stem().string();
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
        }
        if (!names.empty()) break; // the first folder that has any wins, so installs don't mix
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out.empty() ? "none" : out;
}

} // namespace

std::vector<std::string> builtinModelNames()
{
    return namesIn("models", true, "");
}

std::vector<std::string> builtinLessonNames()
{
    return namesIn("lessons", false, ".json");
}

std::string resolveResourceSpec(const std::string& spec)
{
    struct Kind
    {
        std::string prefix, sub, suffix;
        std::vector<std::string> (*list)();
    };
    const Kind kinds[] = {{"builtin:", "models", "", &builtinModelNames},
                          {"lesson:", "lessons", ".json", &builtinLessonNames}};
    for (const auto& kind : kinds) {
        if (spec.rfind(kind.prefix, 0) != 0) continue;
        const std::string name = spec.substr(kind.prefix.size());
        for (const auto& dir : resourceDirectories()) {
            const fs::path candidate = fs::path(dir) / kind.sub / (name + kind.suffix);
            std::error_code ec;
            if (!name.empty() && name.find('/') == std::string::npos && fs::exists(candidate, ec)) {
                return candidate.string();
            }
        }
        throw std::runtime_error("no " + kind.prefix + " named " + quotedForMessage(name) + "; available: " + join(kind.list()));
    }
    return spec;
}

} // namespace attnviz
