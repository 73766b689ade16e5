//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: queue basics with maxsize.
// Prints exactly what the Python original prints
// (example/asyncio/expected/queue_maxsize.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <iostream>

namespace asio = boost::asio;
namespace muster = boost::muster;

// tag::basics[]
asio::awaitable<void> run()
{
    muster::queue<int> q(co_await asio::this_coro::executor, 3); // maxsize=3

    co_await q.put(1); // room: returns at once, no suspension
    co_await q.put(2);
    std::cout << q.size() << "\n"; // 2

    int item = co_await q.get();
    std::cout << item << "\n";     // 1
    std::cout << q.size() << "\n"; // 1
    q.shutdown(true);              // discards the rest, which debug builds would report
}
// end::basics[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
