//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: a semaphore lets at most two fetches
// run at once. Prints exactly what the asyncio version prints on CPython 3.13
// (example/asyncio/expected/semaphore.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;

// One step of the event loop (asyncio.sleep(0)).
asio::awaitable<void> yield()
{
    co_await asio::post(asio::use_awaitable);
}

// tag::semaphore[]
asio::awaitable<void> fetch(muster::semaphore& sem, int& running, int i)
{
    auto permit = co_await sem.scoped_acquire();
    ++running;
    std::cout << "fetch " << i << " starts, " << running << " running\n";
    co_await yield();
    co_await yield();
    --running;
    std::cout << "fetch " << i << " done\n";
}

asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    muster::semaphore sem(ex, 2);
    int running = 0;
    std::vector<asio::awaitable<void>> fetches;
    for (int i = 0; i != 5; ++i)
        fetches.push_back(fetch(sem, running, i));
    co_await muster::gather(std::move(fetches));

    muster::bounded_semaphore bounded(ex, 1);
    try
    {
        bounded.release();
    }
    catch (const boost::system::system_error&) // error::too_many_releases
    {
        std::cout << "bounded semaphore: release without acquire refused\n";
    }
}
// end::semaphore[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
