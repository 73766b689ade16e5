//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// An asyncio program ported to Muster: a priority queue, smallest first.
// Prints exactly what the Python original prints
// (example/asyncio/expected/priority_queue.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <iostream>
#include <string>
#include <utility>

namespace asio = boost::asio;
namespace muster = boost::muster;

namespace
{

void print(const std::pair<int, std::string>& item)
{
    std::cout << "(" << item.first << ", '" << item.second << "')\n";
}

} // namespace

// tag::priority[]
asio::awaitable<void> run()
{
    muster::priority_queue<std::pair<int, std::string>> q(
        co_await asio::this_coro::executor);

    co_await q.put({2, "medium"});
    co_await q.put({1, "high"});
    co_await q.put({3, "low"});

    print(co_await q.get()); // (1, 'high')
    print(co_await q.get()); // (2, 'medium')
    q.shutdown(true);        // discards (3, 'low'), which debug builds would report
}
// end::priority[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
