#include "util/recyclingallocator.h"

#include <sys/mman.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

namespace attnviz::recycling {

namespace {

constexpr std::size_t largeBlock = std::size_t(1) << 20;        // below this, plain operator new
constexpr std::size_t hugePage = std::size_t(2) << 20;          // mappings are whole huge pages
constexpr std::size_t cacheLimit = std::size_t(1280) << 20;     // freed bytes kept at most

struct Pool
{
    std::mutex mutex;
    std::map<void*, std::size_t> live;                  // mapped size of every large block in use
    std::vector<std::pair<void*, std::size_t>> cached; // freed blocks, oldest first
    std::size_t cachedTotal = 0;
};

Pool& pool()
{
    static Pool p;
    return p;
}

void* mapBlock(std::size_t size)
{
    void* block = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED)
        throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(block, size, MADV_HUGEPAGE); // a hint: fewer faults if the kernel has huge pages
#endif
    return block;
}

} // namespace

void* acquire(std::size_t bytes)
{
    if (bytes < largeBlock)
        return ::operator new(bytes, std::align_val_t(64));
    const std::size_t size = (bytes + hugePage - 1) / hugePage * hugePage;
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    // Best fit among freed blocks, but never more than twice the request (it stays resident).
    auto best = p.cached.end();
    for (auto it = p.cached.begin(); it != p.cached.end(); ++it) {
        if (it->second >= size && it->second <= 2 * size && (best == p.cached.end() || it->second < best->second))
            best = it;
    }
    void* block = nullptr;
    std::size_t mapped = size;
    if (best != p.cached.end()) {
        block = best->first;
        mapped = best->second;
        p.cachedTotal -= mapped;
        p.cached.erase(best);
    } else {
        block = mapBlock(size);
    }
    p.live[block] = mapped;
    return block;
}

void release(void* block, std::size_t bytes) noexcept
{
    if (block == nullptr)
        return;
    if (bytes < largeBlock) {
        ::operator delete(block, std::align_val_t(64));
        return;
    }
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    const auto live = p.live.find(block);
    const std::size_t mapped = live != p.live.end() ? live->second : bytes;
    if (live != p.live.end())
        p.live.erase(live);
    p.cached.emplace_back(block, mapped);
    p.cachedTotal += mapped;
    while (p.cachedTotal > cacheLimit && !p.cached.empty()) { // oldest first back to the system
        munmap(p.cached.front().first, p.cached.front().second);
        p.cachedTotal -= p.cached.front().second;
        p.cached.erase(p.cached.begin());
    }
}

std::size_t cachedBytes()
{
    Pool& p = pool();
    std::lock_guard lock(p.mutex);
    return p.cachedTotal;
}

} // namespace attnviz::recycling
