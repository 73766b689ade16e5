//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: a wait with a timeout does not cancel
// the task it gave up on.
// Prints exactly what the Python original prints
// (example/asyncio/expected/wait_timeout.expected).

#include <boost/muster.hpp>

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

// tag::timeout[]
asio::awaitable<std::string> long_task()
{
    asio::steady_timer timer(co_await asio::this_coro::executor, 10s);
    co_await timer.async_wait(asio::use_awaitable);
    co_return "done";
}

asio::awaitable<void> run()
{
    auto task = muster::create_task(co_await asio::this_coro::executor, long_task());
    std::vector tasks{task};

    auto [done, pending] =
        co_await muster::wait(tasks, muster::return_when::all_completed, 500ms);

    bool in_time = done.size() == 1;
    std::cout << "Finished in time: "
              << (in_time ? std::string("True") : std::string("False")) << "\n";
    if (!pending.empty())
    {
        task.cancel(); // still running: the timeout cancelled nothing
        co_await muster::gather(muster::return_exceptions, task);
    }
}
// end::timeout[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
