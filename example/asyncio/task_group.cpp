//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: a task group whose failing child
// cancels its sibling, then one whose children all succeed. Prints exactly
// what the Python original prints
// (example/asyncio/expected/task_group.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

asio::awaitable<std::string> job(std::string name, std::chrono::milliseconds delay,
                                 bool fail = false)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
    if (fail)
        throw std::runtime_error(name + " failed");
    std::cout << name << " done\n";
    co_return name;
}

// tag::task_group[]
asio::awaitable<void> run()
{
    muster::task<std::string> a, b, c;
    try
    {
        co_await muster::with_task_group(
            [&](muster::task_group& g) -> asio::awaitable<void>
            {
                a = g.spawn(job("a", 100ms));
                b = g.spawn(job("b", 200ms, true));
                c = g.spawn(job("c", 300ms));
                co_return;
            });
    }
    catch (const muster::task_group_error& e)
    {
        std::cout << "group failed: [";
        for (const auto& failure : e.exceptions())
        {
            try
            {
                std::rethrow_exception(failure);
            }
            catch (const std::exception& x)
            {
                std::cout << (&failure == &e.exceptions().front() ? "" : ", ") << "'"
                          << x.what() << "'";
            }
        }
        std::cout << "]\n";
    }
    std::cout << "a: " << a.result()
              << " | c cancelled: " << (c.cancelled() ? "True" : "False") << "\n";

    muster::task_group g(co_await asio::this_coro::executor);
    auto x = g.spawn(job("x", 200ms));
    auto y = g.spawn(job("y", 100ms));
    co_await g.join();
    std::cout << "results: ['" << x.result() << "', '" << y.result() << "']\n";
}
// end::task_group[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
