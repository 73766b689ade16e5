//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_BENCH_ALLOC_COUNTER_HPP
#define MUSTER_BENCH_ALLOC_COUNTER_HPP

// Counts allocations at the malloc family: Asio's recycling allocator and
// coroutine frames use aligned_alloc, which a counting operator new would
// not see. Include in exactly one translation unit of a benchmark (glibc).

#include <cstddef>
#include <cstdlib>

extern "C"
{
    void* __libc_malloc(std::size_t);
    void* __libc_calloc(std::size_t, std::size_t);
    void* __libc_realloc(void*, std::size_t);
    void* __libc_memalign(std::size_t, std::size_t);
    void __libc_free(void*);
}

namespace muster_bench
{

struct alloc_stats
{
    std::size_t count = 0;
    std::size_t bytes = 0;
};

inline alloc_stats g_allocs;

// Relaxed atomic increments: benchmarks with several threads allocate
// concurrently; read the totals once those threads have been joined.
inline void note(std::size_t n) noexcept
{
    __atomic_fetch_add(&g_allocs.count, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&g_allocs.bytes, n, __ATOMIC_RELAXED);
}

} // namespace muster_bench

extern "C"
{
    void* malloc(std::size_t n)
    {
        muster_bench::note(n);
        return __libc_malloc(n);
    }
    void* calloc(std::size_t k, std::size_t n)
    {
        muster_bench::note(k * n);
        return __libc_calloc(k, n);
    }
    void* realloc(void* p, std::size_t n)
    {
        muster_bench::note(n);
        return __libc_realloc(p, n);
    }
    void* aligned_alloc(std::size_t a, std::size_t n)
    {
        muster_bench::note(n);
        return __libc_memalign(a, n);
    }
    int posix_memalign(void** p, std::size_t a, std::size_t n)
    {
        muster_bench::note(n);
        *p = __libc_memalign(a, n);
        return *p ? 0 : 12;
    }
    void free(void* p)
    {
        __libc_free(p);
    }
}

#endif
