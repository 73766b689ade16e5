//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: runners meet at a barrier, which is
// then reset and aborted. Prints exactly what the asyncio version prints on
// CPython 3.13 (example/asyncio/expected/barrier.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace muster = boost::muster;

// One step of the event loop (asyncio.sleep(0)).
asio::awaitable<void> yield()
{
    co_await asio::post(asio::use_awaitable);
}

// tag::barrier[]
asio::awaitable<void> runner(muster::barrier& barrier, std::string name)
{
    std::cout << name << " at the start line\n";
    std::size_t index = co_await barrier.wait();
    std::cout << name << " passes (index " << index << ")\n";
}

asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    muster::barrier barrier(ex, 3);
    co_await muster::gather(runner(barrier, "a"), runner(barrier, "b"),
                            runner(barrier, "c"));

    auto waiting = muster::create_task(ex, barrier.wait());
    co_await yield();
    barrier.reset(); // the waiting party fails with error::broken_barrier
    try
    {
        co_await waiting;
    }
    catch (const boost::system::system_error&)
    {
        std::cout << "reset: the waiting party is broken out\n";
    }
    barrier.abort();
    try
    {
        co_await barrier.wait();
    }
    catch (const boost::system::system_error&)
    {
        std::cout << "abort: later waits fail, broken = "
                  << (barrier.broken() ? "True" : "False") << "\n";
    }
}
// end::barrier[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
