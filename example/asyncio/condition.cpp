//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: consumers wait on a condition until a
// producer has made an item. Prints exactly what the asyncio version prints
// on CPython 3.13 (example/asyncio/expected/condition.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <deque>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace muster = boost::muster;

// One step of the event loop (asyncio.sleep(0)).
asio::awaitable<void> yield()
{
    co_await asio::post(asio::use_awaitable);
}

// tag::condition[]
asio::awaitable<void> consumer(muster::condition& cond, std::deque<std::string>& items,
                               std::string name)
{
    auto held = co_await cond.get_lock().scoped_acquire();
    co_await cond.wait_for([&] { return !items.empty(); }); // holds the lock again
    std::cout << name << " takes " << items.front() << "\n";
    items.pop_front();
}

asio::awaitable<void> producer(muster::condition& cond, std::deque<std::string>& items)
{
    for (std::string item : {"bread", "milk", "eggs"})
    {
        {
            auto held = co_await cond.get_lock().scoped_acquire();
            items.push_back(item);
            std::cout << "produced " << item << "\n";
            cond.notify();
        }
        co_await yield();
    }
}

asio::awaitable<void> run()
{
    muster::condition cond(co_await asio::this_coro::executor);
    std::deque<std::string> items;
    co_await muster::gather(consumer(cond, items, "c1"), consumer(cond, items, "c2"),
                            consumer(cond, items, "c3"), producer(cond, items));
}
// end::condition[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
