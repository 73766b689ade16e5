//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_BENCH_MEASURE_HPP
#define MUSTER_BENCH_MEASURE_HPP

// Time and allocations per operation of a workload run on one io_context,
// and the report line that puts it beside its anchor. Needs alloc_counter.hpp
// included once in the benchmark.

#include "alloc_counter.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

namespace muster_bench
{

struct measurement
{
    double ns;
    double allocs;
};

// Runs `spawn(ctx, n)` then the context: once to warm up, once counting
// allocations, then the best of 5 timed rounds; per operation (`n` of them).
inline measurement
measure(const std::function<void(boost::asio::io_context&, int)>& spawn, int n)
{
    boost::asio::io_context ctx(1);
    auto run = [&](int count)
    {
        spawn(ctx, count);
        ctx.restart();
        ctx.run();
    };
    run(1000);
    auto before = g_allocs;
    run(n);
    double allocs = double(g_allocs.count - before.count) / n;
    double best = 1e300;
    for (int round = 0; round != 5; ++round)
    {
        auto t0 = std::chrono::steady_clock::now();
        run(n);
        auto t1 = std::chrono::steady_clock::now();
        best =
            std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
    }
    return {best, allocs};
}

inline long long g_floor_sink = 0;

// Asio's floor under any operation written as a coroutine: co_await on an
// asio::awaitable that returns at once (a frame from Asio's per-thread
// cache, a push onto the awaitable thread's stack, two trips through its
// pump). Two such calls per iteration: a put and a get, or an acquire and
// the call around it.
inline boost::asio::awaitable<int> return_at_once(int i)
{
    co_return i;
}

inline void empty_awaitables(boost::asio::io_context& ctx, int n)
{
    boost::asio::co_spawn(
        ctx,
        [n]() -> boost::asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
            {
                co_await return_at_once(i);
                g_floor_sink += co_await return_at_once(i);
            }
        },
        boost::asio::detached);
}

// One report line: time, allocations, and the ratio to `anchor` if given.
inline void print(const char* what, const measurement& m, const measurement* anchor,
                  const char* anchor_name)
{
    std::printf("  %-48s %8.1f ns %6.2f allocs", what, m.ns, m.allocs);
    if (anchor)
        std::printf("  %.2fx %s", m.ns / anchor->ns, anchor_name);
    std::printf("\n");
}

} // namespace muster_bench

#endif
