#pragma once
// A read-only memory map of a whole file. Checkpoints can be gigabytes; mapping lets the kernel
// page in only what is read, and a truncated file is detected by size checks, not by a crash.

#include <cstddef>
#include <cstdint>
#include <string>

namespace attnviz {

class MappedFile
{
public:
    // Throws ModelLoadError naming the path when the file cannot be opened or mapped.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    const std::uint8_t* m_data = nullptr; // (m_size) bytes, read-only
    std::size_t m_size = 0;
};

} // namespace attnviz
