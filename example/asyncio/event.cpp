//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: workers wait for one start signal.
// Prints exactly what the asyncio version prints on CPython 3.13
// (example/asyncio/expected/event.expected).

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

// tag::event[]
asio::awaitable<void> worker(muster::event& ready, int i)
{
    std::cout << "worker " << i << " waits for the start signal\n";
    co_await ready.wait();
    std::cout << "worker " << i << " runs\n";
}

asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    muster::event ready(ex);
    std::vector<muster::task<void>> workers;
    for (int i = 0; i != 3; ++i)
        workers.push_back(muster::create_task(ex, worker(ready, i)));
    co_await yield();
    std::cout << "start!\n";
    ready.set(); // wakes every waiting worker
    co_await muster::gather(std::move(workers));
    ready.clear();
    std::cout << "is_set after clear: " << (ready.is_set() ? "True" : "False") << "\n";
}
// end::event[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
