//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: a get has no timeout of its own; bound it
// with wait_for. Prints exactly what the Python original prints
// (example/asyncio/expected/queue_get_timeout.expected).

#include <boost/muster.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

// tag::wait_for_get[]
asio::awaitable<void> run()
{
    muster::queue<std::string> q(co_await asio::this_coro::executor);

    try
    {
        std::string item = co_await muster::wait_for(q.async_get(asio::deferred), 1s);
        std::cout << item << "\n";
    }
    catch (const boost::system::system_error& e)
    {
        if (e.code() != muster::error::timed_out)
            throw;
        std::cout << "Queue empty \u2014 timed out\n";
    }
}
// end::wait_for_get[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
