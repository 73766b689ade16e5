//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The concurrent synchronisation primitives under load from several threads,
// for ThreadSanitizer (the tsan preset) as much as for the assertions:
// coroutines on strands of an io_context run by three threads, plain threads
// using the try_ forms, and cancellations (emitted on the waiter's strand, as
// Asio requires) racing with grants from other threads. What each primitive
// protects is plain, unsynchronised data: a lock that failed to order its
// holders would show as a data race. No sleeps.

#include <boost/muster/barrier.hpp>
#include <boost/muster/condition.hpp>
#include <boost/muster/event.hpp>
#include <boost/muster/lock.hpp>
#include <boost/muster/semaphore.hpp>
#include <boost/muster/shared_lock.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;

namespace
{

constexpr int workers = 6;
constexpr int rounds = 1500;

// Runs `ctx` on three threads until it runs out of work.
void run_threads(asio::io_context& ctx)
{
    std::vector<std::thread> threads;
    for (int i = 0; i != 3; ++i)
        threads.emplace_back([&] { ctx.run(); });
    for (auto& t : threads)
        t.join();
}

// Spawns `f()` on a new strand; an escaping exception is kept for the test.
template <class F>
void spawn_on_strand(asio::io_context& ctx, std::exception_ptr& failure, std::mutex& m,
                     F f)
{
    asio::co_spawn(asio::make_strand(ctx), std::move(f),
                   [&failure, &m](std::exception_ptr e)
                   {
                       std::lock_guard<std::mutex> lock(m);
                       if (e && !failure)
                           failure = e;
                   });
}

// Boost.Test is not thread-safe: coroutines report a failure by throwing,
// and the test rethrows the first one after the threads are joined.
void require(bool ok, const char* what)
{
    if (!ok)
        throw std::logic_error(what);
}

bool aborted(const boost::system::system_error& e)
{
    return e.code() == asio::error::operation_aborted;
}

} // namespace

BOOST_AUTO_TEST_SUITE(concurrent_sync)

BOOST_AUTO_TEST_CASE(a_lock_orders_its_holders_across_threads)
{
    asio::io_context ctx;
    muster::concurrent_lock lk(ctx);
    long counter = 0; // guarded by lk
    std::atomic<int> cancelled{0};
    std::exception_ptr failure;
    std::mutex m;
    for (int w = 0; w != workers; ++w)
        spawn_on_strand(
            ctx, failure, m,
            [&, w]() -> asio::awaitable<void>
            {
                auto ex = co_await asio::this_coro::executor;
                for (int i = 0; i != rounds; ++i)
                {
                    if ((i + w) % 7 == 0)
                    {
                        auto sig = std::make_shared<asio::cancellation_signal>();
                        asio::post(ex, [sig]
                                   { sig->emit(asio::cancellation_type::terminal); });
                        try
                        {
                            co_await lk.async_acquire(asio::bind_cancellation_slot(
                                sig->slot(), asio::use_awaitable));
                        }
                        catch (const boost::system::system_error& e)
                        {
                            require(aborted(e),
                                    "a cancelled acquire fails with operation_aborted");
                            ++cancelled;
                            continue; // not held
                        }
                        ++counter;
                        lk.release();
                        continue;
                    }
                    auto g = co_await lk.scoped_acquire();
                    ++counter;
                    if (i % 3 == 0)
                        co_await asio::post(ex, asio::use_awaitable);
                }
            });
    long plain_count = 0;
    std::thread plain(
        [&]
        {
            for (int i = 0; i != rounds; ++i)
                if (lk.try_acquire())
                {
                    ++counter;
                    ++plain_count;
                    lk.release();
                }
        });
    run_threads(ctx);
    plain.join();
    if (failure)
        std::rethrow_exception(failure);
    BOOST_TEST(!lk.locked());
    BOOST_TEST(counter == long(workers) * rounds - cancelled.load() + plain_count);
}

BOOST_AUTO_TEST_CASE(a_semaphore_never_admits_more_than_its_permits)
{
    asio::io_context ctx;
    muster::concurrent_semaphore sem(ctx, 3);
    std::atomic<int> in_use{0};
    std::atomic<int> worst{0};
    std::exception_ptr failure;
    std::mutex m;
    for (int w = 0; w != workers; ++w)
        spawn_on_strand(ctx, failure, m,
                        [&, w]() -> asio::awaitable<void>
                        {
                            auto ex = co_await asio::this_coro::executor;
                            for (int i = 0; i != rounds; ++i)
                            {
                                std::size_t n = 1 + (i + w) % 2;
                                auto g = co_await sem.scoped_acquire(n);
                                int now = in_use += int(n);
                                int seen = worst.load();
                                while (now > seen &&
                                       !worst.compare_exchange_weak(seen, now))
                                {
                                }
                                if (i % 4 == 0)
                                    co_await asio::post(ex, asio::use_awaitable);
                                in_use -= int(n);
                            }
                        });
    run_threads(ctx);
    if (failure)
        std::rethrow_exception(failure);
    BOOST_TEST(worst.load() <= 3);
    BOOST_TEST(sem.value() == 3u);
}

BOOST_AUTO_TEST_CASE(a_shared_lock_keeps_writers_exclusive)
{
    asio::io_context ctx;
    muster::concurrent_shared_lock rw(ctx);
    long data = 0; // written under the exclusive hold, read under shared ones
    std::atomic<int> readers{0};
    std::exception_ptr failure;
    std::mutex m;
    for (int w = 0; w != workers; ++w)
        spawn_on_strand(ctx, failure, m,
                        [&, w]() -> asio::awaitable<void>
                        {
                            auto ex = co_await asio::this_coro::executor;
                            for (int i = 0; i != rounds; ++i)
                            {
                                if ((i + w) % 4 == 0)
                                {
                                    auto g = co_await rw.scoped_acquire();
                                    require(readers.load() == 0,
                                            "a writer holds the lock alone");
                                    ++data;
                                }
                                else
                                {
                                    auto g = co_await rw.scoped_acquire_shared();
                                    ++readers;
                                    long seen = data;
                                    (void)seen;
                                    if (i % 5 == 0)
                                        co_await asio::post(ex, asio::use_awaitable);
                                    --readers;
                                }
                            }
                        });
    run_threads(ctx);
    if (failure)
        std::rethrow_exception(failure);
    BOOST_TEST(data == long(workers) * rounds / 4);
    BOOST_TEST(!rw.locked());
}

BOOST_AUTO_TEST_CASE(a_condition_hands_work_between_threads)
{
    asio::io_context ctx;
    muster::concurrent_condition cv(ctx);
    long items = 0, taken = 0; // guarded by the condition's lock
    constexpr long total = long(workers / 2) * rounds;
    std::exception_ptr failure;
    std::mutex m;
    for (int w = 0; w != workers / 2; ++w)
    {
        spawn_on_strand(ctx, failure, m,
                        [&]() -> asio::awaitable<void>
                        {
                            for (int i = 0; i != rounds; ++i)
                            {
                                auto g = co_await cv.get_lock().scoped_acquire();
                                ++items;
                                cv.notify();
                            }
                        });
        spawn_on_strand(ctx, failure, m,
                        [&]() -> asio::awaitable<void>
                        {
                            for (int i = 0; i != rounds; ++i)
                            {
                                auto g = co_await cv.get_lock().scoped_acquire();
                                co_await cv.wait_for([&] { return items > 0; });
                                --items;
                                ++taken;
                            }
                        });
    }
    run_threads(ctx);
    if (failure)
        std::rethrow_exception(failure);
    BOOST_TEST(taken == total);
    BOOST_TEST(items == 0);
}

BOOST_AUTO_TEST_CASE(events_and_barriers_across_threads)
{
    asio::io_context ctx;
    muster::concurrent_event go(ctx);
    muster::concurrent_barrier bar(ctx, workers);
    std::vector<std::atomic<int>> index_sum(rounds);
    std::exception_ptr failure;
    std::mutex m;
    for (int w = 0; w != workers; ++w)
        spawn_on_strand(ctx, failure, m,
                        [&]() -> asio::awaitable<void>
                        {
                            co_await go.wait();
                            for (int i = 0; i != rounds; ++i)
                                index_sum[i] += int(co_await bar.wait());
                        });
    std::thread setter([&] { go.set(); });
    run_threads(ctx);
    setter.join();
    if (failure)
        std::rethrow_exception(failure);
    // Every round released all parties with the indices 0 .. workers-1.
    for (int i = 0; i != rounds; ++i)
        BOOST_TEST_REQUIRE(index_sum[i].load() == workers * (workers - 1) / 2);
    BOOST_TEST(bar.n_waiting() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
