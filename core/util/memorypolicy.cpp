#include "util/memorypolicy.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace attnviz {

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024); // glibc's largest allowed threshold
    mallopt(M_TRIM_THRESHOLD, 1 << 30);          // hand memory back only past 1 GB of free top
#endif
}

} // namespace attnviz
