#pragma once
// Git LFS pointers: a repository cloned without `git lfs pull` (or with GIT_LFS_SKIP_SMUDGE=1)
// holds a few lines of text in place of each large file. Readers of binary formats check for one
// first, so the user learns what the file is instead of reading a format error about its bytes.

#include <optional>
#include <string>
#include <string_view>

namespace attnviz {

// When `head` (the file's first bytes; 200 are enough) is a Git LFS pointer, the message to show
// for `path`: what the file is, the size of the real file, and how to fetch it.
std::optional<std::string> gitLfsPointerMessage(std::string_view head, const std::string& path);

} // namespace attnviz
