#pragma once
// An allocator for the attention tensors, the largest buffers a forward pass writes.
//
// Why: touching freshly mapped memory costs about 2 µs per 4 KiB page on these machines, so the
// 600 MB tensor of a 1024-token GPT-2 run would spend ~300 ms in page faults, every run. Blocks
// of at least 1 MiB are mapped with transparent huge pages and, once freed, kept (up to a cap)
// for the next allocation of a similar size, whose pages then already exist.
//
// Elements are default-initialised: resize() leaves floats unwritten. Callers that need zeros
// ask for them (AttentionTensor::resize zero-fills; resizeForOverwrite does not).

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace attnviz {

namespace recycling {
void* acquire(std::size_t bytes); // 64-byte aligned; throws std::bad_alloc
void release(void* block, std::size_t bytes) noexcept;
std::size_t cachedBytes(); // freed bytes kept for reuse (for tests)
} // namespace recycling

template <typename T> struct RecyclingAllocator
{
    using value_type = T;

    RecyclingAllocator() = default;
    template <typename U> RecyclingAllocator(const RecyclingAllocator<U>& /*other*/) noexcept {}

    T* allocate(std::size_t n) { return static_cast<T*>(recycling::acquire(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { recycling::release(p, n * sizeof(T)); }

    template <typename U> void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>)
    {
        ::new (static_cast<void*>(p)) U; // default-initialise: no zeroing of floats
    }
    template <typename U, typename... Args> void construct(U* p, Args&&... args)
    {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }

    friend bool operator==(const RecyclingAllocator&, const RecyclingAllocator&) { return true; }
};

} // namespace attnviz
