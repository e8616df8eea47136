#include "util/regularfile.h"

#include "util/messagetext.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace attnviz {

namespace {

// Paths come from users and directory listings; keep them one line in messages.
std::string shown(const std::string& path)
{
    return escapedForMessage(path, 1000);
}

[[noreturn]] void failErrno(const std::string& path, int err)
{
    switch (err) {
    case ENOENT: throw FileError(shown(path) + ": no such file");
    case ENOTDIR: throw FileError(shown(path) + ": no such file (a parent is not a folder)");
    case ELOOP: throw FileError(shown(path) + ": too many levels of symbolic links (a symlink loop?)");
    case EACCES: throw FileError(shown(path) + ": permission denied");
    case ENAMETOOLONG: throw FileError(shown(path) + ": the path is too long");
    default: throw FileError(shown(path) + ": cannot open (" + std::strerror(err) + ")");
    }
}

// Refuses anything but a regular file, naming what it is.
void requireRegular(const std::string& path, mode_t mode)
{
    if (S_ISREG(mode))
        return;
    const char* what = S_ISDIR(mode)    ? "a directory"
                       : S_ISFIFO(mode) ? "a FIFO (named pipe)"
                       : S_ISCHR(mode)  ? "a character device"
                       : S_ISBLK(mode)  ? "a block device"
                       : S_ISSOCK(mode) ? "a socket"
                                        : "not a regular file";
    throw FileError(shown(path) + " is " + what + ", not a file");
}

} // namespace

FileKind fileKind(const std::string& path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return FileKind::Missing;
        failErrno(path, errno);
    }
    return S_ISREG(st.st_mode) ? FileKind::Regular : S_ISDIR(st.st_mode) ? FileKind::Directory : FileKind::Other;
}

bool isPresent(const std::string& path)
{
    struct stat st
    {
    };
    return ::lstat(path.c_str(), &st) == 0;
}

RegularFile::RegularFile(const std::string& path) : m_path(path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0)
        failErrno(path, errno);
    requireRegular(path, st.st_mode);
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (m_fd < 0)
        failErrno(path, errno);
    if (::fstat(m_fd, &st) != 0) {
        const int err = errno;
        ::close(m_fd);
        failErrno(path, err);
    }
    try {
        requireRegular(path, st.st_mode); // the path may have been replaced since stat()
    } catch (...) {
        ::close(m_fd);
        throw;
    }
    m_size = static_cast<std::uint64_t>(st.st_size);
}

RegularFile::~RegularFile()
{
    ::close(m_fd);
}

std::size_t RegularFile::readSome(char* into, std::size_t bytes, std::size_t offset) const
{
    while (true) {
        const ssize_t n = ::pread(m_fd, into, bytes, static_cast<off_t>(offset));
        if (n >= 0)
            return static_cast<std::size_t>(n);
        if (errno != EINTR)
            throw FileError(shown(m_path) + ": cannot read (" + std::strerror(errno) + ")");
    }
}

std::string RegularFile::readAll(std::size_t maxBytes) const
{
    const auto tooLarge = [&](std::uint64_t bytes, const char* atLeast) {
        return FileError(shown(m_path) + ": " + atLeast + std::to_string(bytes) + " bytes, more than the " +
                         std::to_string(maxBytes >> 20) + " MiB this kind of file may have");
    };
    if (m_size > maxBytes)
        throw tooLarge(m_size, "");
    std::string data(static_cast<std::size_t>(m_size), '\0');
    std::size_t used = 0;
    while (true) {
        if (used == data.size()) {
            if (used > maxBytes)
                throw tooLarge(used, "at least ");
            // The file grew, or reports size 0 (/proc): grow, never past one byte over the limit.
            data.resize(std::min(std::max<std::size_t>(data.size() * 2, 4096), maxBytes + 1));
        }
        const std::size_t n = readSome(data.data() + used, data.size() - used, used);
        if (n == 0)
            break;
        used += n;
    }
    if (used > maxBytes)
        throw tooLarge(used, "at least ");
    data.resize(used);
    return data;
}

std::string RegularFile::readStart(std::size_t maxBytes) const
{
    std::string data(maxBytes, '\0');
    std::size_t used = 0;
    while (used < data.size()) {
        const std::size_t n = readSome(data.data() + used, data.size() - used, used);
        if (n == 0)
            break;
        used += n;
    }
    data.resize(used);
    return data;
}

std::string readTextFile(const std::string& path, std::size_t maxBytes)
{
    std::string text = RegularFile(path).readAll(maxBytes);
    if (const std::size_t nul = text.find('\0'); nul != std::string::npos) {
        throw FileError(shown(path) + ": a binary file, not text (a NUL byte at offset " + std::to_string(nul) + ")");
    }
    return text;
}

} // namespace attnviz
