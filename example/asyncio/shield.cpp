//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: a timeout around a shielded task, and
// a cancelled waiter of a shielded coroutine; both leave the work running.
// Prints exactly what the Python original prints
// (example/asyncio/expected/shield.expected).

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

asio::awaitable<void> sleep_for(std::chrono::milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

asio::awaitable<int> inner(std::vector<std::string>& log)
{
    co_await sleep_for(200ms);
    log.push_back("inner finished");
    co_return 42;
}

std::string py_list(const std::vector<std::string>& v)
{
    std::string s = "[";
    for (const auto& x : v)
        s += (s.size() > 1 ? ", '" : "'") + x + "'";
    return s + "]";
}

// tag::shield[]
asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::string> log;
    auto t = muster::create_task(ex, inner(log));
    try
    {
        co_await muster::wait_for(muster::shield(t), 100ms);
    }
    catch (const boost::system::system_error& e)
    {
        if (e.code() != muster::error::timed_out)
            throw;
        std::cout << "timed out; inner done? " << (t.done() ? "True" : "False") << "\n";
    }
    int result = co_await t; // the task ran on
    std::cout << "inner result: " << result << " " << py_list(log) << "\n";

    std::vector<std::string> log2;
    auto waiter = muster::create_task(ex,
                                      [&]() -> asio::awaitable<int> {
                                          co_return co_await muster::shield(inner(log2));
                                      });
    co_await sleep_for(50ms);
    waiter.cancel();
    co_await muster::gather(muster::return_exceptions, waiter);
    if (waiter.cancelled())
        std::cout << "waiter cancelled\n";
    co_await sleep_for(300ms);
    std::cout << "inner kept running: " << py_list(log2) << "\n";
}
// end::shield[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
