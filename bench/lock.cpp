//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The synchronisation primitives against what an Asio user writes by hand
// today, in the same run:
//  1. an uncontended acquire + release through the coroutine forms, against
//     Asio's floor for two calls in coroutine form (two co_awaits of an
//     asio::awaitable that returns at once); try_acquire + release;
//  2. two coroutines handing a lock back and forth, against an
//     experimental::channel<void(error_code)> of capacity 1 used as a mutex
//     (send to lock, receive to unlock);
//  3. 64 coroutines waiting on an event woken by one set(), against the
//     steady_timer-as-condition idiom (expires_at(max), then cancel());
// with allocations per operation in steady state, counted at the malloc
// family. 1 and 2 also for the concurrent_ forms and the semaphore.

#include "alloc_counter.hpp"
#include "measure.hpp"

#include <boost/muster/event.hpp>
#include <boost/muster/lock.hpp>
#include <boost/muster/semaphore.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdio>
#include <memory>

namespace asio = boost::asio;
namespace muster = boost::muster;
using muster_bench::empty_awaitables;
using muster_bench::measure;
using muster_bench::measurement;
using muster_bench::print;

namespace
{

constexpr int ops = 200'000;
constexpr int waiters = 64;
long long g_sink = 0;

// 1. Uncontended (the floor, empty_awaitables, is in measure.hpp).
template <class Lock>
void uncontended_coroutine(asio::io_context& ctx, int n)
{
    asio::co_spawn(
        ctx,
        [&ctx, n]() -> asio::awaitable<void>
        {
            Lock lk(ctx);
            for (int i = 0; i != n; ++i)
            {
                co_await lk.acquire();
                lk.release();
            }
        },
        asio::detached);
}

template <class Lock>
void uncontended_guard(asio::io_context& ctx, int n)
{
    asio::co_spawn(
        ctx,
        [&ctx, n]() -> asio::awaitable<void>
        {
            Lock lk(ctx);
            for (int i = 0; i != n; ++i)
            {
                auto g = co_await lk.scoped_acquire();
                ++g_sink;
            }
        },
        asio::detached);
}

template <class Lock>
void uncontended_try(asio::io_context& ctx, int n)
{
    Lock lk(ctx);
    for (int i = 0; i != n; ++i)
    {
        g_sink += lk.try_acquire();
        lk.release();
    }
}

// 2. Two coroutines handing the lock back and forth: each acquires, yields
// once holding it (so that the other queues), and releases; every acquire
// after the first waits for the other's release.
using void_channel = asio::experimental::channel<void(boost::system::error_code)>;

void channel_ping_pong(asio::io_context& ctx, int n)
{
    auto ch = std::make_shared<void_channel>(ctx, 1);
    for (int side = 0; side != 2; ++side)
        asio::co_spawn(
            ctx,
            [ch, n]() -> asio::awaitable<void>
            {
                for (int i = 0; i != n / 2; ++i)
                {
                    co_await ch->async_send(boost::system::error_code(),
                                            asio::use_awaitable); // lock
                    co_await asio::post(asio::use_awaitable);
                    ch->try_receive([](boost::system::error_code) {}); // unlock
                }
            },
            asio::detached);
}

// The floor under any hand-off that keeps Asio's contract: the yield, and the
// posted completion of the waiter that gets the lock (a post and a resume
// each), here as two posts awaited by one coroutine.
void two_posts(asio::io_context& ctx, int n)
{
    asio::co_spawn(
        ctx,
        [n]() -> asio::awaitable<void>
        {
            for (int i = 0; i != n; ++i)
            {
                co_await asio::post(asio::use_awaitable);
                co_await asio::post(asio::use_awaitable);
            }
        },
        asio::detached);
}

template <class Lock>
void lock_ping_pong(asio::io_context& ctx, int n)
{
    auto lk = std::make_shared<Lock>(ctx);
    for (int side = 0; side != 2; ++side)
        asio::co_spawn(
            ctx,
            [lk, n]() -> asio::awaitable<void>
            {
                for (int i = 0; i != n / 2; ++i)
                {
                    co_await lk->acquire();
                    co_await asio::post(asio::use_awaitable);
                    lk->release();
                }
            },
            asio::detached);
}

// 3. `waiters` coroutines wait; one set() (or cancel()) wakes them all; the
// waker then yields once so that every waiter waits again. n counts wakes
// of one waiter.
void timer_broadcast(asio::io_context& ctx, int n)
{
    auto timer = std::make_shared<asio::steady_timer>(ctx);
    timer->expires_at(asio::steady_timer::time_point::max());
    int rounds = n / waiters;
    auto done = std::make_shared<bool>(false);
    for (int w = 0; w != waiters; ++w)
        asio::co_spawn(
            ctx,
            [timer, done]() -> asio::awaitable<void>
            {
                while (!*done)
                {
                    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
                    ++g_sink;
                }
            },
            asio::detached);
    asio::co_spawn(
        ctx,
        [timer, done, rounds]() -> asio::awaitable<void>
        {
            co_await asio::post(asio::use_awaitable); // every waiter waits
            for (int r = 0; r != rounds; ++r)
            {
                if (r + 1 == rounds)
                    *done = true;
                timer->cancel();
                timer->expires_at(asio::steady_timer::time_point::max());
                co_await asio::post(asio::use_awaitable);
            }
        },
        asio::detached);
}

void event_broadcast(asio::io_context& ctx, int n)
{
    auto ev = std::make_shared<muster::event>(ctx);
    int rounds = n / waiters;
    auto done = std::make_shared<bool>(false);
    for (int w = 0; w != waiters; ++w)
        asio::co_spawn(
            ctx,
            [ev, done]() -> asio::awaitable<void>
            {
                while (!*done)
                {
                    co_await ev->async_wait(asio::use_awaitable);
                    ++g_sink;
                }
            },
            asio::detached);
    asio::co_spawn(
        ctx,
        [ev, done, rounds]() -> asio::awaitable<void>
        {
            co_await asio::post(asio::use_awaitable);
            for (int r = 0; r != rounds; ++r)
            {
                if (r + 1 == rounds)
                    *done = true;
                ev->set();
                ev->clear(); // the waiters present at set() still complete
                co_await asio::post(asio::use_awaitable);
            }
        },
        asio::detached);
}

// try_acquire + release costs a few nanoseconds: timed over many more
// iterations than the coroutine workloads.
double try_ns(void (*f)(asio::io_context&, int))
{
    asio::io_context ctx(1);
    const int n = 20'000'000;
    f(ctx, 1000);
    double best = 1e300;
    for (int round = 0; round != 5; ++round)
    {
        auto t0 = std::chrono::steady_clock::now();
        f(ctx, n);
        auto t1 = std::chrono::steady_clock::now();
        best =
            std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
    }
    return best;
}

} // namespace

int main()
{
    using st = muster::lock;
    using mt = muster::concurrent_lock;
    auto ea = measure(empty_awaitables, ops);
    auto uc = measure(uncontended_coroutine<st>, ops);
    auto ug = measure(uncontended_guard<st>, ops);
    auto us = measure(uncontended_coroutine<muster::semaphore>, ops);
    auto cuc = measure(uncontended_coroutine<mt>, ops);
    double t_st = try_ns(uncontended_try<st>);
    double t_mt = try_ns(uncontended_try<mt>);
    auto cpp = measure(channel_ping_pong, ops);
    auto tp = measure(two_posts, ops);
    auto lpp = measure(lock_ping_pong<st>, ops);
    auto spp = measure(lock_ping_pong<muster::semaphore>, ops);
    auto clpp = measure(lock_ping_pong<mt>, ops);
    auto tb = measure(timer_broadcast, ops);
    auto eb = measure(event_broadcast, ops);

    std::printf("locks, semaphores and events against the hand-written idioms\n\n");
    std::printf("1. uncontended, per acquire + release:\n");
    print("two co_awaits of an empty asio::awaitable", ea, nullptr, "");
    print("lock: co_await acquire(); release()", uc, &ea, "empty co_awaits");
    print("lock: co_await scoped_acquire() (guard)", ug, &ea, "empty co_awaits");
    print("semaphore: co_await acquire(); release()", us, &ea, "empty co_awaits");
    print("concurrent_lock: co_await acquire(); release()", cuc, &ea, "empty co_awaits");
    std::printf("  %-48s %8.2f ns\n", "lock: try_acquire() + release()", t_st);
    std::printf("  %-48s %8.2f ns\n", "concurrent_lock: try_acquire() + release()", t_mt);
    std::printf("2. two coroutines handing the lock back and forth, per hand-off:\n");
    print("channel<void(error_code)>(1) as a mutex", cpp, nullptr, "");
    print("floor: a yield + a posted completion", tp, &cpp, "channel");
    print("lock", lpp, &cpp, "channel");
    print("semaphore(1)", spp, &cpp, "channel");
    print("concurrent_lock", clpp, &cpp, "channel");
    std::printf("3. %d waiters woken by one call, per waiter woken:\n", waiters);
    print("steady_timer: expires_at(max) / cancel()", tb, nullptr, "");
    print("event: set() (then clear())", eb, &tb, "timer");
    return g_sink == 42 ? 1 : 0;
}
