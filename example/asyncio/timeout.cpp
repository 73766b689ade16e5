//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: timeout scopes (asyncio.timeout) around
// blocks of awaits, a deadline moved from inside, nested scopes, and a scope
// that moves on quietly. Prints exactly what the Python original prints
// (example/asyncio/expected/timeout.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

asio::awaitable<std::string> fetch(std::string name, std::chrono::milliseconds delay)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
    co_return name;
}

const char* py(bool b)
{
    return b ? "True" : "False";
}

asio::awaitable<void> run()
{
    // A block that finishes in time.
    // tag::fail_after[]
    bool expired = true;
    std::string r = co_await muster::fail_after(
        1s,
        [&](muster::timeout_scope& scope) -> asio::awaitable<std::string>
        {
            auto got = co_await fetch("fast", 100ms);
            expired = scope.expired();
            co_return got;
        });
    std::cout << "got " << r << " expired: " << py(expired) << "\n";
    // end::fail_after[]

    // A block of two awaits that runs out of time.
    try
    {
        co_await muster::fail_after(
            500ms,
            [&](muster::timeout_scope& scope) -> asio::awaitable<void>
            {
                try
                {
                    co_await fetch("first", 300ms);
                    std::cout << "first done\n";
                    co_await fetch("second", 400ms);
                    std::cout << "not reached\n";
                }
                catch (...)
                {
                    expired = scope.expired();
                    throw;
                }
            });
    }
    catch (const boost::system::system_error& e)
    {
        if (e.code() != muster::error::timed_out)
            throw;
        std::cout << "timed out, expired: " << py(expired) << "\n";
    }

    // Moving the deadline from inside the block.
    // tag::reschedule[]
    co_await muster::fail_after(500ms,
                                [&](muster::timeout_scope& scope) -> asio::awaitable<void>
                                {
                                    co_await fetch("a", 300ms);
                                    scope.reschedule(scope.deadline() + 500ms);
                                    co_await fetch("b", 300ms);
                                    expired = scope.expired();
                                });
    std::cout << "rescheduled in time, expired: " << py(expired) << "\n";
    // end::reschedule[]

    // Nested: the outer deadline wins, and is reported as the outer's.
    // tag::nested[]
    bool outer_expired = false, inner_expired = true;
    try
    {
        co_await muster::fail_after(
            200ms,
            [&](muster::timeout_scope& outer) -> asio::awaitable<void>
            {
                try
                {
                    co_await muster::fail_after(
                        10s,
                        [&](muster::timeout_scope& inner) -> asio::awaitable<void>
                        {
                            try
                            {
                                co_await fetch("slow", 1s);
                            }
                            catch (...)
                            {
                                inner_expired = inner.expired();
                                throw;
                            }
                        });
                }
                catch (...)
                {
                    outer_expired = outer.expired();
                    throw; // a cancellation, not the inner scope's timeout
                }
            });
    }
    catch (const boost::system::system_error& e)
    {
        if (e.code() != muster::error::timed_out)
            throw;
        std::cout << "outer expired: " << py(outer_expired)
                  << " inner expired: " << py(inner_expired) << "\n";
    }
    // end::nested[]

    // Giving up quietly.
    // tag::move_on[]
    std::optional<std::string> optional =
        co_await muster::move_on_after(100ms, [&]() { return fetch("optional", 1s); });
    if (!optional)
        std::cout << "moved on without it\n";
    // end::move_on[]
}

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
