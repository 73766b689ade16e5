//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: gather three coroutines, results in order.
// Prints exactly what the Python original prints
// (example/asyncio/expected/gather_in_order.expected).

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

// tag::gather[]
asio::awaitable<std::string> fetch(std::string url)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, 100ms); // network I/O
    co_await timer.async_wait(asio::use_awaitable);
    co_return "result from " + url;
}

asio::awaitable<void> run()
{
    auto [a, b, c] = co_await muster::gather(fetch("a"), fetch("b"), fetch("c"));
    std::cout << "['" << a << "', '" << b << "', '" << c << "']\n";
}
// end::gather[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
