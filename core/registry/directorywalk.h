#pragma once
// A bounded walk over a folder tree a user or a model runner filled: it never follows a symlinked
// folder (so a symlink loop cannot trap it), stops at a depth and an entry budget, and skips what
// it cannot read instead of failing, since one broken entry must not hide the rest.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <vector>

namespace attnviz {

// Calls `onFile` for every regular file (or symlink to one) under `root`, depth first in no
// particular order; `onFile` returns false to stop the walk. `entriesLeft` is decremented per
// entry and shared between walks so several roots share one budget.
void walkFiles(const std::filesystem::path& root, int maxDepth, std::size_t& entriesLeft,
               const std::function<bool(const std::filesystem::path&)>& onFile);

// The immediate subfolders of `dir` (not symlinks to folders), nothing when it cannot be read.
std::vector<std::filesystem::path> subfolders(const std::filesystem::path& dir, std::size_t& entriesLeft);

// A regular file, following symlinks; false for anything broken or unreadable.
bool isRegularFile(const std::filesystem::path& path);

} // namespace attnviz
