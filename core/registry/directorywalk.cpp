#include "registry/directorywalk.h"

namespace fs = std::filesystem;

namespace attnviz {

namespace {

// Visits the entries of one folder; returns false once `visit` asks to stop or the budget is spent.
bool forEachEntry(const fs::path& dir, std::size_t& entriesLeft,
                  const std::function<bool(const fs::directory_entry&)>& visit)
{
    std::error_code error;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, error);
    for (; !error && it != fs::directory_iterator(); it.increment(error)) {
        if (entriesLeft == 0)
            return false;
        --entriesLeft;
        if (!visit(*it))
            return false;
    }
    return true; // an unreadable folder or entry ends this folder only
}

bool walk(const fs::path& dir, int depthLeft, std::size_t& entriesLeft,
          const std::function<bool(const fs::path&)>& onFile)
{
    return forEachEntry(dir, entriesLeft, [&](const fs::directory_entry& entry) {
        std::error_code error;
        const bool link = entry.is_symlink(error);
        if (error)
            return true;
        if (isRegularFile(entry.path()))
            return onFile(entry.path());
        if (!link && depthLeft > 0 && entry.is_directory(error) && !error)
            return walk(entry.path(), depthLeft - 1, entriesLeft, onFile);
        return true;
    });
}

} // namespace

bool isRegularFile(const fs::path& path)
{
    std::error_code error;
    return fs::is_regular_file(path, error) && !error; // follows symlinks; a loop or a dangling one is an error
}

void walkFiles(const fs::path& root, int maxDepth, std::size_t& entriesLeft,
               const std::function<bool(const fs::path&)>& onFile)
{
    walk(root, maxDepth, entriesLeft, onFile);
}

std::vector<fs::path> subfolders(const fs::path& dir, std::size_t& entriesLeft)
{
    std::vector<fs::path> found;
    forEachEntry(dir, entriesLeft, [&](const fs::directory_entry& entry) {
        std::error_code error;
        if (!entry.is_symlink(error) && !error && entry.is_directory(error) && !error)
            found.push_back(entry.path());
        return true;
    });
    return found;
}

} // namespace attnviz
