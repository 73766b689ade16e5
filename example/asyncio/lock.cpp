//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: two coroutines take turns holding a
// lock (async with lock:). Prints exactly what the asyncio version prints on
// CPython 3.13 (example/asyncio/expected/lock.expected).

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

// tag::lock[]
asio::awaitable<void> account(muster::lock& lock, std::string name, int steps)
{
    for (int i = 0; i != steps; ++i)
    {
        auto held = co_await lock.scoped_acquire(); // released when it goes
        std::cout << name << " enters (step " << i << ")\n";
        co_await yield(); // the other coroutine runs, and waits for the lock
        std::cout << name << " leaves\n";
    }
}

asio::awaitable<void> run()
{
    muster::lock lock(co_await asio::this_coro::executor);
    co_await muster::gather(account(lock, "alice", 2), account(lock, "bob", 2));
    std::cout << "locked at the end: " << (lock.locked() ? "True" : "False") << "\n";
    try
    {
        lock.release();
    }
    catch (const boost::system::system_error&) // error::not_locked
    {
        std::cout << "release of a free lock: refused\n";
    }
}
// end::lock[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
