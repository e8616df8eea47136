#include "models/mappedfile.h"

#include "base/modelloaderror.h"
#include "util/regularfile.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>

namespace attnviz {

MappedFile::MappedFile(const std::string& path) : m_path(path)
{
    try {
        const RegularFile file(path); // closed at the end: the mapping stays valid without it
        m_size = static_cast<std::size_t>(file.size());
        if (m_size > 0) {
            void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, file.descriptor(), 0);
            if (p == MAP_FAILED)
                throw ModelLoadError(path + ": cannot map (" + std::strerror(errno) + ")");
            m_data = static_cast<const std::uint8_t*>(p);
        }
    } catch (const FileError& e) {
        throw ModelLoadError(e.what());
    }
}

MappedFile::~MappedFile()
{
    if (m_data != nullptr) {
        ::munmap(const_cast<std::uint8_t*>(m_data), m_size);
    }
}

} // namespace attnviz
