//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// muster::queue against asio::experimental::channel, in the same run:
//  1. coroutine -> coroutine, one item at a time through a buffer of 64 (the
//     token path also through an unbounded queue);
//  2. a put and a get that can complete at once (no waiting), with Asio's own
//     floor for a coroutine-form call (co_await on an empty awaitable);
//  3. concurrent_queue against experimental::concurrent_channel, producer and
//     consumer coroutines on two threads (one io_context each), buffer 64;
// with the allocations per item in steady state, counted at the malloc family.
// 1 and 2 are measured for queue and concurrent_queue, to show what thread
// safety costs a queue used from one thread.

#include "alloc_counter.hpp"
#include "measure.hpp"

#include <boost/muster/queue.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>

namespace asio = boost::asio;
namespace muster = boost::muster;
using channel = asio::experimental::channel<void(boost::system::error_code, int)>;
using concurrent_channel =
    asio::experimental::concurrent_channel<void(boost::system::error_code, int)>;

namespace
{

constexpr int items = 200'000;
long long g_sink = 0;

using muster_bench::empty_awaitables;
using muster_bench::measurement;
using muster_bench::print;

measurement measure(const std::function<void(asio::io_context&, int)>& spawn)
{
    return muster_bench::measure(spawn, items);
}

// 1. Producer and consumer coroutines.
void channel_pipe(asio::io_context& ctx, int n)
{
    auto ch = std::make_shared<channel>(ctx, 64);
    asio::co_spawn(
        ctx,
        [ch, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                co_await ch->async_send(boost::system::error_code(), i,
                                        asio::use_awaitable);
        },
        asio::detached);
    asio::co_spawn(
        ctx,
        [ch, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                g_sink += co_await ch->async_receive(asio::use_awaitable);
        },
        asio::detached);
}

template <class Queue>
void queue_pipe(asio::io_context& ctx, int n)
{
    auto q = std::make_shared<Queue>(ctx, 64);
    asio::co_spawn(
        ctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                co_await q->put(i);
        },
        asio::detached);
    asio::co_spawn(
        ctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                g_sink += co_await q->get();
        },
        asio::detached);
}

template <class Queue, std::size_t Maxsize = 64>
void queue_pipe_tokens(asio::io_context& ctx, int n)
{
    auto q = std::make_shared<Queue>(ctx, Maxsize);
    asio::co_spawn(
        ctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                co_await q->async_put(i, asio::use_awaitable);
        },
        asio::detached);
    asio::co_spawn(
        ctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                g_sink += co_await q->async_get(asio::use_awaitable);
        },
        asio::detached);
}

// 2. A put and a get that complete at once, in one coroutine.
void channel_immediate(asio::io_context& ctx, int n)
{
    asio::co_spawn(
        ctx,
        [&ctx, n]() -> asio::awaitable<void>
        {
            channel ch(ctx, 1);
            for (int i = 0; i != n; ++i)
            {
                ch.try_send(boost::system::error_code(), i);
                ch.try_receive([](boost::system::error_code, int v) { g_sink += v; });
            }
            co_return;
        },
        asio::detached);
}

template <class Queue>
void queue_immediate_coroutine(asio::io_context& ctx, int n)
{
    asio::co_spawn(
        ctx,
        [&ctx, n]() -> asio::awaitable<void>
        {
            Queue q(ctx, 1);
            for (int i = 0; i != n; ++i)
            {
                co_await q.put(i);
                g_sink += co_await q.get();
            }
        },
        asio::detached);
}

template <class Queue>
void queue_immediate_try(asio::io_context& ctx, int n)
{
    asio::co_spawn(
        ctx,
        [&ctx, n]() -> asio::awaitable<void>
        {
            Queue q(ctx, 1);
            for (int i = 0; i != n; ++i)
            {
                int v = i;
                (void)q.try_put(std::move(v));
                g_sink += *q.try_get();
            }
            co_return;
        },
        asio::detached);
}

// 3. Across two threads: the producer's io_context runs on this thread, the
// consumer's on another. `pipe(producer_ctx, consumer_ctx, n)` spawns both.
measurement measure_two_threads(
    const std::function<void(asio::io_context&, asio::io_context&, int)>& pipe)
{
    auto run = [&](int n)
    {
        asio::io_context producer(1), consumer(1);
        pipe(producer, consumer, n);
        std::thread t([&] { consumer.run(); });
        producer.run();
        t.join();
    };
    run(1000);
    auto before = muster_bench::g_allocs;
    run(items);
    double allocs = double(muster_bench::g_allocs.count - before.count) / items;
    double best = 1e300;
    for (int round = 0; round != 5; ++round)
    {
        auto t0 = std::chrono::steady_clock::now();
        run(items);
        auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() /
                                  items);
    }
    return {best, allocs};
}

// The floor under 3: a handler posted to an io_context whose thread sleeps
// waits for the kernel (and, on a virtual machine, the hypervisor) to wake
// that thread. A buffer of 64 between a fast producer and a fast consumer
// moves at most 65 items per cycle in which each side sleeps and is woken
// once, whatever the queue. Measured here as the one-way latency of a post
// ping-ponged between two io_contexts on two threads.
double cross_thread_wake_ns()
{
    double best = 1e300;
    for (int round = 0; round != 5; ++round)
    {
        asio::io_context a(1), b(1);
        auto wa = asio::make_work_guard(a);
        auto wb = asio::make_work_guard(b);
        const int n = 5000;
        int k = 0;
        std::function<void()> ping, pong;
        ping = [&]
        {
            if (++k == n)
            {
                wa.reset();
                wb.reset();
                return;
            }
            asio::post(b, pong);
        };
        pong = [&] { asio::post(a, ping); };
        std::thread t([&] { b.run(); });
        auto t0 = std::chrono::steady_clock::now();
        asio::post(a, ping);
        a.run();
        t.join();
        auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() /
                                  (2.0 * n));
    }
    return best;
}

void concurrent_channel_pipe(asio::io_context& pctx, asio::io_context& cctx, int n)
{
    auto ch = std::make_shared<concurrent_channel>(pctx, 64);
    asio::co_spawn(
        pctx,
        [ch, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                co_await ch->async_send(boost::system::error_code(), i,
                                        asio::use_awaitable);
        },
        asio::detached);
    asio::co_spawn(
        cctx,
        [ch, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                g_sink += co_await ch->async_receive(asio::use_awaitable);
        },
        asio::detached);
}

void concurrent_queue_pipe(asio::io_context& pctx, asio::io_context& cctx, int n)
{
    auto q = std::make_shared<muster::concurrent_queue<int>>(pctx, 64);
    asio::co_spawn(
        pctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                co_await q->put(i);
        },
        asio::detached);
    asio::co_spawn(
        cctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                g_sink += co_await q->get();
        },
        asio::detached);
}

void concurrent_queue_pipe_tokens(asio::io_context& pctx, asio::io_context& cctx, int n)
{
    auto q = std::make_shared<muster::concurrent_queue<int>>(pctx, 64);
    asio::co_spawn(
        pctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                co_await q->async_put(i, asio::use_awaitable);
        },
        asio::detached);
    asio::co_spawn(
        cctx,
        [q, n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
                g_sink += co_await q->async_get(asio::use_awaitable);
        },
        asio::detached);
}

} // namespace

int main()
{
    using st = muster::queue<int>;
    using mt = muster::concurrent_queue<int>;
    auto cp = measure(channel_pipe);
    auto qp = measure(queue_pipe<st>);
    auto qt = measure(queue_pipe_tokens<st>);
    auto qt0 = measure(queue_pipe_tokens<st, 0>);
    auto cqp = measure(queue_pipe<mt>);
    auto cqt = measure(queue_pipe_tokens<mt>);
    auto ci = measure(channel_immediate);
    auto ea = measure(empty_awaitables);
    auto qc = measure(queue_immediate_coroutine<st>);
    auto qi = measure(queue_immediate_try<st>);
    auto cqc = measure(queue_immediate_coroutine<mt>);
    auto cqi = measure(queue_immediate_try<mt>);
    auto xc = measure_two_threads(concurrent_channel_pipe);
    auto xq = measure_two_threads(concurrent_queue_pipe);
    auto xt = measure_two_threads(concurrent_queue_pipe_tokens);
    double wake = cross_thread_wake_ns();

    std::printf("queue vs experimental::channel: time and allocations per item\n\n");
    std::printf("1. coroutine -> coroutine, buffer 64, one thread:\n");
    print("channel async_send / async_receive", cp, nullptr, "");
    print("queue put() / get() (coroutine forms)", qp, &cp, "channel");
    print("queue async_put / async_get (use_awaitable)", qt, &cp, "channel");
    print("  the same, unbounded queue (maxsize 0)", qt0, &cp, "channel");
    print("concurrent_queue put() / get()", cqp, &qp, "queue");
    print("concurrent_queue async_put / async_get", cqt, &qt, "queue");
    std::printf("2. put + get completing at once (one item through a queue of 1):\n");
    print("channel try_send + try_receive", ci, nullptr, "");
    print("two co_awaits of an empty asio::awaitable", ea, nullptr, "");
    print("queue co_await put() + co_await get()", qc, &ea, "empty co_awaits");
    print("queue try_put + try_get", qi, &ci, "channel");
    print("concurrent_queue co_await put() + get()", cqc, &qc, "queue");
    print("concurrent_queue try_put + try_get", cqi, &qi, "queue");
    std::printf("3. coroutine -> coroutine across two threads, buffer 64:\n");
    print("concurrent_channel async_send / async_receive", xc, nullptr, "");
    print("concurrent_queue put() / get()", xq, &xc, "concurrent_channel");
    print("concurrent_queue async_put / async_get", xt, &xc, "concurrent_channel");
    std::printf("  %-48s %8.1f ns\n", "one cross-thread wake (post ping-pong, one way)",
                wake);
    std::printf("  %-48s %8.1f ns\n", "floor: 2 wakes per 65 items", 2 * wake / 65);
    return g_sink == 42 ? 1 : 0;
}
