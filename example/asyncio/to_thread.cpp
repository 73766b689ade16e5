//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: blocking work on a thread pool
// (asyncio.to_thread) while the io_context keeps running coroutines, and a
// timeout that abandons the wait while the function runs on. A second part,
// beyond asyncio, stops a function that takes a std::stop_token. The first
// part prints exactly what the Python original prints
// (example/asyncio/expected/to_thread.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

asio::awaitable<void> sleep_for(std::chrono::milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

// tag::to_thread[]
int blocking_io(int n)
{
    std::this_thread::sleep_for(200ms); // stands for a blocking call
    return n * 2;
}

asio::awaitable<void> ticker()
{
    for (int i = 0; i != 3; ++i)
    {
        std::cout << "tick " << i << "\n";
        co_await sleep_for(50ms);
    }
}

asio::awaitable<void> run(asio::thread_pool& pool)
{
    auto [r, ticks] =
        co_await muster::gather(muster::to_thread(pool, blocking_io, 21), ticker());
    std::cout << "result " << r << "\n";
    try
    {
        co_await muster::wait_for(muster::to_thread(pool, blocking_io, 1), 50ms);
    }
    catch (const boost::system::system_error& e)
    {
        if (e.code() != muster::error::timed_out)
            throw;
        std::cout << "timed out; the function runs on in its thread\n";
    }
}
// end::to_thread[]

// tag::stop_token[]
// Waits for work that never comes, until a stop is requested.
int wait_for_work(std::stop_token stop)
{
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, stop, [] { return false; });
    return stop.stop_requested() ? -1 : 0;
}

asio::awaitable<void> stoppable(asio::thread_pool& pool)
{
    // The scope's expiry cancels the wait, which requests the stop; the
    // function returns, and the scope waits for it.
    std::optional<int> r = co_await muster::move_on_after(
        100ms,
        [&] { return muster::to_thread(pool, wait_for_work)(asio::use_awaitable); });
    std::cerr << "stopped, returned " << (r ? *r : 0) << "\n";
}
// end::stop_token[]

int main()
{
    asio::thread_pool pool(2);
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run(pool));
    ctx.run();
    t.result();
    ctx.restart();
    auto s = muster::create_task(ctx, stoppable(pool));
    ctx.run();
    s.result();
    pool.join();
}
