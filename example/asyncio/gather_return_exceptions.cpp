//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: gather with return_exceptions, so one
// failing coroutine does not hide the others' results.
// Prints exactly what the Python original prints
// (example/asyncio/expected/gather_return_exceptions.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

// tag::return_exceptions[]
asio::awaitable<std::string> risky(std::string name)
{
    if (name == "B")
        throw std::invalid_argument(name + " failed");
    asio::steady_timer timer(co_await asio::this_coro::executor, 100ms);
    co_await timer.async_wait(asio::use_awaitable);
    co_return name + " OK";
}

void print(const muster::result<std::string>& r)
{
    if (r.has_error())
    {
        try
        {
            std::rethrow_exception(r.error());
        }
        catch (const std::exception& e)
        {
            std::cout << "Error: " << e.what() << "\n";
        }
    }
    else
        std::cout << "Result: " << *r << "\n";
}

asio::awaitable<void> run()
{
    auto results = co_await muster::gather(muster::return_exceptions, risky("A"),
                                           risky("B"), risky("C"));
    std::apply([](const auto&... r) { (print(r), ...); }, results);
}
// end::return_exceptions[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
