#include "util/lfspointer.h"

#include <cctype>

namespace attnviz {

namespace {
// The first line of every pointer (Git LFS specification, v1).
constexpr std::string_view pointerStart = "version https://git-lfs.github.com/spec/v1\n";
} // namespace

std::optional<std::string> gitLfsPointerMessage(std::string_view head, const std::string& path)
{
    if (head.substr(0, pointerStart.size()) != pointerStart)
        return std::nullopt;
    std::string size;
    if (const auto at = head.find("\nsize "); at != std::string_view::npos) {
        for (std::size_t i = at + 6; i < head.size() && std::isdigit(static_cast<unsigned char>(head[i])) && size.size() < 20; ++i)
            size += head[i];
    }
    return path + ": this is a Git LFS pointer, not the file itself" +
           (size.empty() ? std::string() : " (the real file has " + size + " bytes)") +
           "; fetch it with `git lfs pull` in the repository (or download the file directly)";
}

} // namespace attnviz
