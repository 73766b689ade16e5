//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// gather per child, against the anchors measured in the same run:
//  - a bare co_spawn per child with a counting callback (the floor: every
//    coroutine child needs one co_spawn);
//  - experimental::make_parallel_group over a range of co_spawn(..., deferred).
// Also: gather of deferred operations (asio::post(ex, deferred)) against the
// ranged parallel group of the same operations.
// Prints time and allocated bytes per child, and the ratios.

#include "alloc_counter.hpp"

#include <boost/muster/gather.hpp>
#include <boost/muster/task_group.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;

namespace
{

asio::awaitable<int> child(int i)
{
    co_return i;
}

struct measurement
{
    double ns_per_child;
    double bytes_per_child;
};

// Runs `once(ctx, n)` repeatedly; returns the best time per child over several
// rounds, and the bytes allocated per child in one run after warm-up.
template <class F>
measurement measure(std::size_t n, F once)
{
    asio::io_context ctx(1);
    once(ctx, n); // warm-up: fills Asio's recycling caches
    auto before = muster_bench::g_allocs;
    once(ctx, n);
    double bytes = double(muster_bench::g_allocs.bytes - before.bytes) / double(n);

    std::size_t reps = std::max<std::size_t>(1, 200'000 / n);
    double best = 1e300;
    for (int round = 0; round != 7; ++round)
    {
        auto t0 = std::chrono::steady_clock::now();
        for (std::size_t r = 0; r != reps; ++r)
            once(ctx, n);
        auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() /
                                  double(reps * n));
    }
    return {best, bytes};
}

void run(asio::io_context& ctx)
{
    ctx.restart();
    ctx.run();
}

long long g_sink = 0;

void bare_co_spawn(asio::io_context& ctx, std::size_t n)
{
    std::size_t remaining = n;
    for (std::size_t i = 0; i != n; ++i)
        asio::co_spawn(ctx, child(int(i)),
                       [&](std::exception_ptr, int v)
                       {
                           g_sink += v;
                           --remaining;
                       });
    run(ctx);
    if (remaining != 0)
        throw std::logic_error("bare co_spawn did not finish");
}

// A co_spawn per child bound to a cancellation slot of its own: what any
// combinator must pay in Asio 1.26 to be able to cancel each coroutine child
// (co_spawn then allocates a cancellation handler and state per child).
void cancellable_co_spawn(asio::io_context& ctx, std::size_t n)
{
    std::vector<asio::cancellation_signal> signals(n);
    std::size_t remaining = n;
    for (std::size_t i = 0; i != n; ++i)
        asio::co_spawn(ctx, child(int(i)),
                       asio::bind_cancellation_slot(signals[i].slot(),
                                                    [&](std::exception_ptr, int v)
                                                    {
                                                        g_sink += v;
                                                        --remaining;
                                                    }));
    run(ctx);
    if (remaining != 0)
        throw std::logic_error("cancellable co_spawn did not finish");
}

void muster_gather(asio::io_context& ctx, std::size_t n)
{
    std::vector<asio::awaitable<int>> children;
    children.reserve(n);
    for (std::size_t i = 0; i != n; ++i)
        children.push_back(child(int(i)));
    bool done = false;
    muster::gather(ctx, std::move(children))(
        [&](std::exception_ptr, std::vector<int> v)
        {
            g_sink += v.back();
            done = true;
        });
    run(ctx);
    if (!done)
        throw std::logic_error("gather did not finish");
}

// The same children in a task group; their results are read from the tasks
// after the join, as gather hands them over in a vector.
void muster_task_group(asio::io_context& ctx, std::size_t n)
{
    muster::task_group g(ctx);
    std::vector<muster::task<int>> tasks;
    tasks.reserve(n);
    for (std::size_t i = 0; i != n; ++i)
        tasks.push_back(g.spawn(child(int(i))));
    bool done = false;
    g.async_join([&](std::exception_ptr e) { done = !e; });
    run(ctx);
    if (!done)
        throw std::logic_error("task_group did not finish");
    g_sink += tasks.back().result();
}

void parallel_group(asio::io_context& ctx, std::size_t n)
{
    using op_type = decltype(asio::co_spawn(ctx, child(0), asio::deferred));
    std::vector<op_type> ops;
    ops.reserve(n);
    for (std::size_t i = 0; i != n; ++i)
        ops.push_back(asio::co_spawn(ctx, child(int(i)), asio::deferred));
    bool done = false;
    asio::experimental::make_parallel_group(std::move(ops))
        .async_wait(asio::experimental::wait_for_one_error(),
                    [&](std::vector<std::size_t>, std::vector<std::exception_ptr>,
                        std::vector<int> v)
                    {
                        g_sink += v.back();
                        done = true;
                    });
    run(ctx);
    if (!done)
        throw std::logic_error("parallel group did not finish");
}

void muster_gather_deferred(asio::io_context& ctx, std::size_t n)
{
    using op_type = decltype(asio::post(ctx, asio::deferred));
    std::vector<op_type> ops;
    ops.reserve(n);
    for (std::size_t i = 0; i != n; ++i)
        ops.push_back(asio::post(ctx, asio::deferred));
    bool done = false;
    muster::gather(ctx, std::move(ops))(
        [&](std::exception_ptr, std::vector<std::monostate> v)
        {
            g_sink += long(v.size());
            done = true;
        });
    run(ctx);
    if (!done)
        throw std::logic_error("gather of deferred did not finish");
}

void parallel_group_deferred(asio::io_context& ctx, std::size_t n)
{
    using op_type = decltype(asio::post(ctx, asio::deferred));
    std::vector<op_type> ops;
    ops.reserve(n);
    for (std::size_t i = 0; i != n; ++i)
        ops.push_back(asio::post(ctx, asio::deferred));
    bool done = false;
    asio::experimental::make_parallel_group(std::move(ops))
        .async_wait(asio::experimental::wait_for_all(),
                    [&](std::vector<std::size_t> order)
                    {
                        g_sink += long(order.size());
                        done = true;
                    });
    run(ctx);
    if (!done)
        throw std::logic_error("parallel group of deferred did not finish");
}

} // namespace

int main()
{
    std::printf("gather: time (ns) and allocated bytes per child; ratios against the "
                "anchors of the same run\n\n");
    std::printf("%8s | %-22s | %-22s | %-22s | %-22s | %-27s | %s\n", "N",
                "bare co_spawn", "co_spawn + own slot", "parallel_group",
                "muster::gather", "gather time vs spawn/slot/group",
                "gather bytes over spawn/slot");
    for (std::size_t n : {10u, 1000u, 100000u})
    {
        auto spawn = measure(n, bare_co_spawn);
        auto slot = measure(n, cancellable_co_spawn);
        auto group = measure(n, parallel_group);
        auto gather = measure(n, muster_gather);
        std::printf("%8zu | %7.1f ns %7.1f B | %7.1f ns %7.1f B | %7.1f ns %7.1f B | "
                    "%7.1f ns %7.1f B | %7.2fx %7.2fx %7.2fx    | %+6.1f B %+6.1f B\n",
                    n, spawn.ns_per_child, spawn.bytes_per_child, slot.ns_per_child,
                    slot.bytes_per_child, group.ns_per_child, group.bytes_per_child,
                    gather.ns_per_child, gather.bytes_per_child,
                    gather.ns_per_child / spawn.ns_per_child,
                    gather.ns_per_child / slot.ns_per_child,
                    gather.ns_per_child / group.ns_per_child,
                    gather.bytes_per_child - spawn.bytes_per_child,
                    gather.bytes_per_child - slot.bytes_per_child);
    }
    std::printf(
        "\ntask_group of the same children, tasks kept and read after the join:\n");
    std::printf("%8s | %-28s | %-28s | %s\n", "N", "muster::gather  ns / bytes",
                "task_group  ns / bytes", "task_group vs gather / bare co_spawn");
    for (std::size_t n : {10u, 1000u, 100000u})
    {
        auto spawn = measure(n, bare_co_spawn);
        auto gather = measure(n, muster_gather);
        auto group = measure(n, muster_task_group);
        std::printf("%8zu | %12.1f / %-13.1f | %12.1f / %-13.1f | %7.2fx %7.2fx\n", n,
                    gather.ns_per_child, gather.bytes_per_child, group.ns_per_child,
                    group.bytes_per_child, group.ns_per_child / gather.ns_per_child,
                    group.ns_per_child / spawn.ns_per_child);
    }
    std::printf("\ndeferred-operation children (asio::post(ex, deferred)):\n");
    std::printf("%8s | %-28s | %-28s | %9s\n", "N", "parallel_group  ns / bytes",
                "muster::gather  ns / bytes", "vs group");
    for (std::size_t n : {10u, 1000u, 100000u})
    {
        auto group = measure(n, parallel_group_deferred);
        auto gather = measure(n, muster_gather_deferred);
        std::printf("%8zu | %12.1f / %-13.1f | %12.1f / %-13.1f | %8.2fx\n", n,
                    group.ns_per_child, group.bytes_per_child, gather.ns_per_child,
                    gather.bytes_per_child, gather.ns_per_child / group.ns_per_child);
    }
    return g_sink == 42 ? 1 : 0;
}
