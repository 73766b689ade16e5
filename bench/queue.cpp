//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// muster::queue against asio::experimental::channel, in the same run:
//  1. coroutine -> coroutine, one item at a time through a buffer of 64;
//  2. a put and a get that can complete at once (no waiting);
// with the allocations per item in steady state, counted at the malloc family.

#include "alloc_counter.hpp"

#include <boost/muster/queue.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

namespace asio = boost::asio;
namespace muster = boost::muster;
using channel = asio::experimental::channel<void(boost::system::error_code, int)>;

namespace {

constexpr int items = 200'000;
long long g_sink = 0;

struct measurement
{
    double ns;
    double allocs;
};

// Runs `spawn(ctx, n)` then the context; best of 5 rounds, after a warm-up.
measurement measure(const std::function<void(asio::io_context&, int)>& spawn)
{
    asio::io_context ctx(1);
    auto run = [&](int n)
    {
        spawn(ctx, n);
        ctx.restart();
        ctx.run();
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
        best = std::min(best,
                        std::chrono::duration<double, std::nano>(t1 - t0).count() / items);
    }
    return {best, allocs};
}

// 1. Producer and consumer coroutines.
void channel_pipe(asio::io_context& ctx, int n)
{
    auto ch = std::make_shared<channel>(ctx, 64);
    asio::co_spawn(ctx, [ch, n]() -> asio::awaitable<void> {
        for (int i = 0; i != n; ++i)
            co_await ch->async_send(boost::system::error_code(), i, asio::use_awaitable);
    }, asio::detached);
    asio::co_spawn(ctx, [ch, n]() -> asio::awaitable<void> {
        for (int i = 0; i != n; ++i)
            g_sink += co_await ch->async_receive(asio::use_awaitable);
    }, asio::detached);
}

void queue_pipe(asio::io_context& ctx, int n)
{
    auto q = std::make_shared<muster::queue<int>>(ctx, 64);
    asio::co_spawn(ctx, [q, n]() -> asio::awaitable<void> {
        for (int i = 0; i != n; ++i)
            co_await q->put(i);
    }, asio::detached);
    asio::co_spawn(ctx, [q, n]() -> asio::awaitable<void> {
        for (int i = 0; i != n; ++i)
            g_sink += co_await q->get();
    }, asio::detached);
}

void queue_pipe_tokens(asio::io_context& ctx, int n)
{
    auto q = std::make_shared<muster::queue<int>>(ctx, 64);
    asio::co_spawn(ctx, [q, n]() -> asio::awaitable<void> {
        for (int i = 0; i != n; ++i)
            co_await q->async_put(i, asio::use_awaitable);
    }, asio::detached);
    asio::co_spawn(ctx, [q, n]() -> asio::awaitable<void> {
        for (int i = 0; i != n; ++i)
            g_sink += co_await q->async_get(asio::use_awaitable);
    }, asio::detached);
}

// 2. A put and a get that complete at once, in one coroutine.
void channel_immediate(asio::io_context& ctx, int n)
{
    asio::co_spawn(ctx, [&ctx, n]() -> asio::awaitable<void> {
        channel ch(ctx, 1);
        for (int i = 0; i != n; ++i)
        {
            ch.try_send(boost::system::error_code(), i);
            ch.try_receive([](boost::system::error_code, int v) { g_sink += v; });
        }
        co_return;
    }, asio::detached);
}

void queue_immediate_coroutine(asio::io_context& ctx, int n)
{
    asio::co_spawn(ctx, [&ctx, n]() -> asio::awaitable<void> {
        muster::queue<int> q(ctx, 1);
        for (int i = 0; i != n; ++i)
        {
            co_await q.put(i);
            g_sink += co_await q.get();
        }
    }, asio::detached);
}

void queue_immediate_try(asio::io_context& ctx, int n)
{
    asio::co_spawn(ctx, [&ctx, n]() -> asio::awaitable<void> {
        muster::queue<int> q(ctx, 1);
        for (int i = 0; i != n; ++i)
        {
            int v = i;
            (void)q.try_put(std::move(v));
            g_sink += *q.try_get();
        }
        co_return;
    }, asio::detached);
}

} // namespace

int main()
{
    auto cp = measure(channel_pipe);
    auto qp = measure(queue_pipe);
    auto qt = measure(queue_pipe_tokens);
    auto ci = measure(channel_immediate);
    auto qc = measure(queue_immediate_coroutine);
    auto qi = measure(queue_immediate_try);
    std::printf("queue vs experimental::channel: time and allocations per item\n\n");
    std::printf("coroutine -> coroutine, buffer 64:\n");
    std::printf("  %-44s %8.1f ns %6.2f allocs\n", "channel async_send / async_receive", cp.ns, cp.allocs);
    std::printf("  %-44s %8.1f ns %6.2f allocs  %.2fx channel\n", "queue put() / get() (coroutine forms)", qp.ns, qp.allocs, qp.ns / cp.ns);
    std::printf("  %-44s %8.1f ns %6.2f allocs  %.2fx channel\n", "queue async_put / async_get (use_awaitable)", qt.ns, qt.allocs, qt.ns / cp.ns);
    std::printf("put + get completing at once (one item through a queue of 1):\n");
    std::printf("  %-44s %8.1f ns %6.2f allocs\n", "channel try_send + try_receive", ci.ns, ci.allocs);
    std::printf("  %-44s %8.1f ns %6.2f allocs  %.2fx channel\n", "queue co_await put() + co_await get()", qc.ns, qc.allocs, qc.ns / ci.ns);
    std::printf("  %-44s %8.1f ns %6.2f allocs  %.2fx channel\n", "queue try_put + try_get", qi.ns, qi.allocs, qi.ns / ci.ns);
    return g_sink == 42 ? 1 : 0;
}
