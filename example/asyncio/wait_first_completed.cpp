//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: wait for the first of three tasks, then
// cancel the others and wait for them to unwind.
// Prints exactly what the Python original prints
// (example/asyncio/expected/wait_first_completed.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;

namespace
{

// Python's repr of a float such as 0.1 or 1.0.
std::string py_float(double seconds)
{
    std::ostringstream os;
    os << seconds;
    if (os.str().find('.') == std::string::npos)
        os << ".0";
    return os.str();
}

} // namespace

// tag::wait[]
asio::awaitable<std::string> job(std::string name, double delay)
{
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             std::chrono::duration_cast<asio::steady_timer::duration>(
                                 std::chrono::duration<double>(delay)));
    co_await timer.async_wait(asio::use_awaitable);
    co_return name + " finished (delay=" + py_float(delay) + ")";
}

asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    std::vector<muster::task<std::string>> tasks{
        muster::create_task(ex, job("fast", 0.1)),
        muster::create_task(ex, job("medium", 0.5)),
        muster::create_task(ex, job("slow", 1.0)),
    };

    auto [done, pending] =
        co_await muster::wait(tasks, muster::return_when::first_completed);

    for (auto& d : done)
        std::cout << d.result() << "\n";

    // wait() does not cancel: stop the rest, then wait until they have unwound.
    for (auto& p : pending)
        p.cancel();
    co_await muster::gather(muster::return_exceptions, pending);
}
// end::wait[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
