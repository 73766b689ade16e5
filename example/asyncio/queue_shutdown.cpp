//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster, with its fix applied: the
// producer shuts the queue down (Python 3.13's Queue.shutdown), and the
// consumer drains the items, then sees shut_down.
// Prints exactly what the Python original prints
// (example/asyncio/expected/queue_shutdown.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <iostream>

namespace asio = boost::asio;
namespace muster = boost::muster;

// tag::shutdown[]
asio::awaitable<void> producer(muster::queue<int>& q)
{
    try
    {
        for (int i = 0; i < 5; ++i)
            co_await q.put(i);
        q.shutdown();
    }
    catch (const boost::system::system_error& e)
    {
        if (e.code() != muster::error::shut_down)
            throw;
        std::cout << "Queue closed before we finished\n";
    }
}

asio::awaitable<void> consumer(muster::queue<int>& q)
{
    try
    {
        for (;;)
        {
            int item = co_await q.get();
            std::cout << "Got: " << item << "\n";
            q.task_done();
        }
    }
    catch (const boost::system::system_error& e)
    {
        if (e.code() != muster::error::shut_down)
            throw;
        std::cout << "Queue shut down \u2014 exiting\n";
    }
}

asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    muster::queue<int> q(ex);
    co_await muster::gather(muster::create_task(ex, producer(q)),
                            muster::create_task(ex, consumer(q)));
}
// end::shutdown[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
