//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: take tasks in the order they finish,
// with a timeout that cancels nothing. Prints exactly what the Python
// original prints (example/asyncio/expected/as_completed.expected).

#include <boost/muster.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

asio::awaitable<std::string> job(std::string name, std::chrono::milliseconds delay,
                                 std::string shown)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
    co_return name + " done after " + shown + " s";
}

// tag::as_completed[]
asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    std::vector<muster::task<std::string>> tasks{
        muster::create_task(ex, job("slow", 300ms, "0.3")),
        muster::create_task(ex, job("fast", 100ms, "0.1")),
        muster::create_task(ex, job("medium", 200ms, "0.2")),
        muster::create_task(ex, job("stuck", 5s, "5.0")),
    };

    auto order = muster::as_completed(tasks, 1s);
    while (order.remaining() > 0)
    {
        auto [ec, t] = co_await order.async_next(asio::as_tuple(asio::use_awaitable));
        if (ec == muster::error::timed_out)
            std::cout << "timed out; the task keeps running\n";
        else
            std::cout << t.result() << "\n";
    }

    std::cout << "stuck done? " << (tasks[3].done() ? "True" : "False") << "\n";
    tasks[3].cancel();
    co_await muster::gather(muster::return_exceptions, tasks[3]); // until it unwinds
    std::cout << "stuck cancelled: " << (tasks[3].cancelled() ? "True" : "False") << "\n";
}
// end::as_completed[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
