// A cache prefetch hint, which Swift cannot spell: the compiler builtin behind
// _mm_prefetch (a C macro, so not imported) and its ARM equivalent. Header-only.
#pragma once

/// Asks the CPU to bring the cache line holding `address` closer, without waiting for it.
static inline void firstline_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
