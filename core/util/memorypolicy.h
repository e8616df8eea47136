#pragma once
// Process-wide heap policy for the entry points (app, CLI, benchmark) to call once at start.

namespace attnviz {

// Makes the C library keep freed heap memory for the next forward pass instead of handing it
// back to the system. Why: every layer returns fresh matrices of a few MB, and touching new
// pages costs about 2 µs per 4 KiB here, tens of milliseconds per forward pass. With glibc:
// blocks up to 32 MB come from the heap (not mmap) and the heap is never trimmed. The price is
// that a process keeps its high-water mark of heap. No effect with other C libraries.
void keepFreedMemoryForReuse();

} // namespace attnviz
