//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// bounded_gather with a limit of 16, against gather of the same children all
// at once (the anchor), measured in the same run:
//  - time and allocations per child;
//  - the peak of live heap bytes while it runs, above what was live before,
//    less the result vector: what is in flight. It stays flat as N grows for
//    bounded_gather and grows with N for gather.
// Each child suspends once (a post) before returning its index.

#include <boost/muster/bounded_gather.hpp>
#include <boost/muster/gather.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ranges>
#include <stdexcept>
#include <vector>

extern "C"
{
    void* __libc_malloc(std::size_t);
    void* __libc_calloc(std::size_t, std::size_t);
    void* __libc_realloc(void*, std::size_t);
    void* __libc_memalign(std::size_t, std::size_t);
    void __libc_free(void*);
}

namespace
{

// Live and peak heap bytes, counted by the hooks below (one thread).
std::size_t g_live = 0, g_peak = 0, g_count = 0;

void* counted(void* p) noexcept
{
    if (p)
    {
        g_live += malloc_usable_size(p);
        g_peak = std::max(g_peak, g_live);
        ++g_count;
    }
    return p;
}

} // namespace

extern "C"
{
    void* malloc(std::size_t n)
    {
        return counted(__libc_malloc(n));
    }
    void* calloc(std::size_t k, std::size_t n)
    {
        return counted(__libc_calloc(k, n));
    }
    void* realloc(void* p, std::size_t n)
    {
        if (p)
            g_live -= malloc_usable_size(p);
        return counted(__libc_realloc(p, n));
    }
    void* aligned_alloc(std::size_t a, std::size_t n)
    {
        return counted(__libc_memalign(a, n));
    }
    int posix_memalign(void** p, std::size_t a, std::size_t n)
    {
        *p = counted(__libc_memalign(a, n));
        return *p ? 0 : 12;
    }
    void free(void* p)
    {
        if (p)
            g_live -= malloc_usable_size(p);
        __libc_free(p);
    }
}

namespace asio = boost::asio;
namespace muster = boost::muster;

namespace
{

long long g_sink = 0;

asio::awaitable<int> child(int i)
{
    co_await asio::post(asio::use_awaitable);
    co_return i;
}

struct measurement
{
    double ns_per_child;
    double allocs_per_child;
    double in_flight_bytes; // peak live bytes above the start, less the results
};

// Runs `body(n)` as a coroutine to its end; returns the time per child, and
// from one run the allocations per child and the peak bytes in flight.
template <class Body>
measurement measure(std::size_t n, Body body)
{
    asio::io_context ctx(1);
    auto once = [&]
    {
        asio::co_spawn(ctx, body(n),
                       [](std::exception_ptr e)
                       {
                           if (e)
                               std::rethrow_exception(e);
                       });
        ctx.restart();
        ctx.run();
    };
    once(); // warm-up
    const std::size_t live0 = g_live, count0 = g_count;
    g_peak = g_live;
    once();
    const double results = double(n * sizeof(int));
    const double in_flight = double(g_peak - live0) - results;
    const double allocs = double(g_count - count0) / double(n);

    std::size_t reps = std::max<std::size_t>(1, 200'000 / n);
    double best = 1e300;
    for (int round = 0; round != 5; ++round)
    {
        auto t0 = std::chrono::steady_clock::now();
        for (std::size_t r = 0; r != reps; ++r)
            once();
        auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() /
                                  double(reps * n));
    }
    return {best, allocs, in_flight};
}

asio::awaitable<void> bounded(std::size_t n)
{
    auto children = std::views::iota(0, int(n)) |
                    std::views::transform([](int i) { return child(i); });
    auto values = co_await muster::bounded_gather(16, children);
    if (values.size() != n)
        throw std::logic_error("bounded_gather lost a result");
    g_sink += values.back();
}

asio::awaitable<void> all_at_once(std::size_t n)
{
    std::vector<asio::awaitable<int>> children;
    children.reserve(n);
    for (std::size_t i = 0; i != n; ++i)
        children.push_back(child(int(i)));
    auto values = co_await muster::gather(std::move(children));
    if (values.size() != n)
        throw std::logic_error("gather lost a result");
    g_sink += values.back();
}

} // namespace

int main()
{
    std::printf(
        "bounded_gather(16, lazy range) vs gather of every child at once: per child, "
        "and the peak heap bytes in flight (above the start, less the result "
        "vector)\n\n");
    for (std::size_t n : {1'000u, 10'000u, 100'000u})
    {
        auto g = measure(n, all_at_once);
        auto b = measure(n, bounded);
        std::printf("N = %zu:\n", n);
        std::printf("  %-48s %8.1f ns %6.2f allocs\n", "gather, every child at once",
                    g.ns_per_child, g.allocs_per_child);
        std::printf("  %-48s %8.1f ns %6.2f allocs  %.2fx gather\n",
                    "bounded_gather, 16 at once", b.ns_per_child, b.allocs_per_child,
                    b.ns_per_child / g.ns_per_child);
        std::printf("  in flight at the peak: gather %.0f B, bounded_gather %.0f B\n",
                    g.in_flight_bytes, b.in_flight_bytes);
    }
    return g_sink == 42 ? 1 : 0;
}
