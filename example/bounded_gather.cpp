//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Bounded concurrency: a thousand fetches, at most eight at a time, taken
// lazily from a view, with the results in input order. Its output is fixed
// (example/expected/bounded_gather.expected).

#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace std::chrono_literals;

struct load
{
    int running = 0;
    int most = 0;
};

// Stands for a request to a server: it takes a moment and returns a size.
asio::awaitable<int> fetch(int page, load& l)
{
    ++l.running;
    l.most = std::max(l.most, l.running);
    asio::steady_timer t(co_await asio::this_coro::executor, 1ms);
    co_await t.async_wait(asio::use_awaitable);
    --l.running;
    co_return page * 10;
}

// The pages to fetch, as a range whose iterator makes each fetch when it is
// dereferenced: nothing is made up front. (With g++, std::views::iota(1, 1001)
// | std::views::transform(...) does the same; clang 14 cannot compile
// libstdc++ 12's <ranges>.)
struct pages
{
    int last;
    load* l;
    struct iterator
    {
        int page;
        load* l;
        asio::awaitable<int> operator*() const { return fetch(page, *l); }
        iterator& operator++()
        {
            ++page;
            return *this;
        }
        bool operator==(const iterator&) const = default;
    };
    iterator begin() const { return {1, l}; }
    iterator end() const { return {last + 1, l}; }
};

// tag::bounded_gather[]
asio::awaitable<void> run()
{
    load l;
    // A fetch is made only when one of the eight slots is free.
    std::vector<int> sizes = co_await muster::bounded_gather(8, pages{1000, &l});

    std::cout << "fetched " << sizes.size() << " pages, at most " << l.most
              << " at a time\n";
    std::cout << "first sizes: " << sizes[0] << " " << sizes[1] << " " << sizes[2]
              << "; last: " << sizes.back() << "\n";
}
// end::bounded_gather[]

int main()
{
    asio::io_context ctx;
    auto t = muster::create_task(ctx, run());
    ctx.run();
    t.result();
}
