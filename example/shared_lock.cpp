//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A readers-writer lock (asyncio has none): readers share a cache, a writer
// refreshing it waits for them and holds it alone, and a reader that arrives
// while the writer waits queues behind it, so the writer is not starved.
// Prints example/expected/shared_lock.expected.

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace muster = boost::muster;

asio::awaitable<void> yield()
{
    co_await asio::post(asio::use_awaitable);
}

// tag::shared_lock[]
struct cache
{
    muster::shared_lock lock;
    int version = 1;
};

asio::awaitable<void> reader(cache& c, std::string name, int yields_before)
{
    for (int i = 0; i != yields_before; ++i)
        co_await yield();
    auto shared = co_await c.lock.scoped_acquire_shared(); // many at once
    std::cout << name << " reads version " << c.version << "\n";
    co_await yield();
    std::cout << name << " done\n";
}

asio::awaitable<void> writer(cache& c)
{
    co_await yield(); // arrives while the first readers hold the lock
    auto exclusive = co_await c.lock.scoped_acquire(); // alone
    ++c.version;
    std::cout << "writer publishes version " << c.version << "\n";
}

asio::awaitable<void> run()
{
    cache c{muster::shared_lock(co_await asio::this_coro::executor)};
    co_await muster::gather(reader(c, "r1", 0), reader(c, "r2", 0), writer(c),
                            reader(c, "r3", 2));
}
// end::shared_lock[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
