//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: a producer, two consumers, a sentinel,
// and join. Prints exactly what the Python original prints
// (example/asyncio/expected/queue_workers.expected).
//
// The interleaving of the lines follows from both consumers' 50 ms "work"
// ending together, as it does on asyncio's loop. Here each consumer sleeps
// until the next 50 ms tick of a common clock, so that their timers expire
// at the same instant whatever microseconds separate their starts.

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace
{

const clock_type::time_point start = clock_type::now();

// Simulated processing: until the next 50 ms tick after now.
asio::awaitable<void> process()
{
    auto ticks = (clock_type::now() - start) / 50ms + 1;
    asio::steady_timer timer(co_await asio::this_coro::executor, start + ticks * 50ms);
    co_await timer.async_wait(asio::use_awaitable);
}

} // namespace

// tag::workers[]
using work_queue = muster::queue<std::optional<int>>; // nullopt: the sentinel

asio::awaitable<void> producer(work_queue& q, int count)
{
    for (int i = 0; i < count; ++i)
    {
        co_await q.put(i);
        std::cout << "Produced: " << i << "\n";
    }
    co_await q.put(std::nullopt); // sentinel to signal shutdown
}

asio::awaitable<void> consumer(work_queue& q, std::string name)
{
    for (;;)
    {
        std::optional<int> item = co_await q.get();
        if (!item)
        {
            q.task_done();
            break;
        }
        co_await process();
        std::cout << name << " consumed: " << *item << "\n";
        q.task_done();
    }
}

asio::awaitable<void> run()
{
    auto ex = co_await asio::this_coro::executor;
    work_queue q(ex, 5);

    std::vector<muster::task<void>> consumers;
    for (int i = 0; i < 2; ++i)
        consumers.push_back(
            muster::create_task(ex, consumer(q, "worker-" + std::to_string(i))));

    co_await producer(q, 8);

    // Wait until all items have been processed
    co_await q.join();

    for (auto& c : consumers)
        c.cancel();
    co_await muster::gather(muster::return_exceptions, consumers);

    std::cout << "Done\n";
}
// end::workers[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
