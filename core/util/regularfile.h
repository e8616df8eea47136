#pragma once
// Every file the core reads is opened here. A path can name a FIFO (open() would block until a
// writer appears, i.e. for ever), a device such as /dev/zero (endless), a directory (reads fail
// with confusing errors) or a symlink loop; all are refused with a message that says so, before
// anything blocks or is read.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace attnviz {

class FileError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Upper bounds of whole-file reads, so a huge file fails at once instead of after reading GBs.
namespace fileLimits {
// config.json, tokenizer_config.json, safetensors index, lessons: kilobytes in practice (a large
// lesson is well under 1 MiB); 16 MiB leaves ample room.
inline constexpr std::size_t smallJson = std::size_t(16) << 20;
// tokenizer.json, vocab.json, merges.txt, vocab.txt, llama2.c tokenizer.bin: real ones are
// 1–20 MB (tokenizer.json of large-vocabulary models); 256 MiB is an order of magnitude above.
inline constexpr std::size_t tokenizer = std::size_t(256) << 20;
} // namespace fileLimits

enum class FileKind { Missing, Regular, Directory, Other };

// What `path` names, following symlinks. Missing for ENOENT/ENOTDIR; throws FileError with a clear
// message for other failures (a symlink loop, no permission). A replacement for
// std::filesystem::exists(), whose exceptions print raw "filesystem error: status: ..." text.
FileKind fileKind(const std::string& path);

// Whether anything is at `path` (lstat: a dangling link or a symlink loop counts). For "is this file
// in the folder?" checks: opening it then reports what is wrong, where fs::exists() would throw.
bool isPresent(const std::string& path);

// A read-only descriptor of a regular file, closed on destruction.
class RegularFile
{
public:
    // Checks the type with stat() first, opens with O_NONBLOCK (a FIFO swapped in between still
    // cannot block) and checks again with fstat(). Throws FileError naming the path.
    explicit RegularFile(const std::string& path);
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    int descriptor() const { return m_fd; }
    std::uint64_t size() const { return m_size; } // at open time
    const std::string& path() const { return m_path; }

    // The whole content; throws FileError when it is larger than `maxBytes` (checked before
    // reading and again while reading, as a file can grow).
    std::string readAll(std::size_t maxBytes) const;
    // The first `maxBytes` bytes (fewer when the file is shorter), e.g. a format's magic.
    std::string readStart(std::size_t maxBytes) const;

private:
    // One pread at `offset`, retried on EINTR: the bytes read, 0 at the end. Throws FileError.
    std::size_t readSome(char* into, std::size_t bytes, std::size_t offset) const;

    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

// The content of a text file of at most `maxBytes` (a fileLimits constant); a NUL byte, which no
// JSON or vocabulary text holds, is refused as "a binary file, not text". Throws FileError.
std::string readTextFile(const std::string& path, std::size_t maxBytes);

} // namespace attnviz
