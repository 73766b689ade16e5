//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The snippets of doc/task.adoc: start tasks, wait for them with different
// completion tokens, cancel one.

#include <boost/muster.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

// tag::create[]
asio::awaitable<int> slow_square(int x)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, 1ms);
    co_await timer.async_wait(asio::use_awaitable);
    co_return x* x;
}

asio::awaitable<void> use_tasks()
{
    auto ex = co_await asio::this_coro::executor;

    // Both coroutines start now and run concurrently.
    muster::task<int> a = muster::create_task(ex, slow_square(3));
    muster::task<int> b = muster::create_task(ex, slow_square(4));

    // co_await without a token: the value, or the task's exception thrown.
    int sum = co_await a.async_wait() + co_await b.async_wait();
    std::cout << "3*3 + 4*4 = " << sum << "\n";
}
// end::create[]

// tag::cancel[]
asio::awaitable<void> cancel_a_task()
{
    auto ex = co_await asio::this_coro::executor;
    auto t = muster::create_task(
        ex,
        []() -> asio::awaitable<int>
        {
            asio::steady_timer timer(co_await asio::this_coro::executor, 1h);
            co_await timer.async_wait(asio::use_awaitable); // aborted by cancel()
            co_return 1;
        });

    t.cancel(); // a request: the timer wait completes with operation_aborted

    // as_tuple: no exception, the failure comes back as an exception_ptr.
    auto [failure, value] = co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    std::cout << "cancelled: " << std::boolalpha << t.cancelled()
              << ", has failure: " << (failure != nullptr) << "\n";
}
// end::cancel[]

int main()
{
    asio::io_context ctx;
    // tag::callback[]
    auto t = muster::create_task(ctx, use_tasks());
    t.async_wait(
        [](std::exception_ptr e)
        { std::cout << (e ? "use_tasks failed" : "use_tasks finished") << "\n"; });
    // end::callback[]
    auto c = muster::create_task(ctx, cancel_a_task());
    ctx.run();
    t.result(); // rethrows if anything failed
    c.result();
}
