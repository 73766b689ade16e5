//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// wait_for when the operation finishes first (the common case), against the
// idiom it replaces, measured in the same run:
//   co_await (child() || timer.async_wait(use_awaitable))   (awaitable operators)
// with the timer reused across iterations (the idiom's cheapest form). Also
// shown: the child awaited directly, with no timeout at all, and the same
// child as the body of a timeout scope (fail_after), whose cost should not
// exceed wait_for's.

#include "alloc_counter.hpp"

#include <boost/muster/timeout.hpp>
#include <boost/muster/wait_for.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

namespace asio = boost::asio;
namespace muster = boost::muster;
using namespace asio::experimental::awaitable_operators;
using namespace std::chrono_literals;

namespace
{

long long g_sink = 0;

asio::awaitable<int> child(int i)
{
    co_return i;
}

asio::awaitable<void> direct(int n)
{
    for (int i = 0; i != n; ++i)
        g_sink += co_await child(i);
}

asio::awaitable<void> idiom(int n)
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (int i = 0; i != n; ++i)
    {
        timer.expires_after(1h);
        auto r = co_await (child(i) || timer.async_wait(asio::use_awaitable));
        g_sink += std::get<0>(r);
    }
}

asio::awaitable<void> muster_wait_for(int n)
{
    for (int i = 0; i != n; ++i)
        g_sink += co_await muster::wait_for(child(i), 1h);
}

asio::awaitable<void> muster_fail_after(int n)
{
    for (int i = 0; i != n; ++i)
        g_sink += co_await muster::fail_after(1h, [i] { return child(i); });
}

struct measurement
{
    double ns;
    double bytes;
    double allocs;
};

measurement measure(const std::function<asio::awaitable<void>(int)>& body)
{
    constexpr int n = 20'000;
    asio::io_context ctx(1);
    auto run = [&](int k)
    {
        asio::co_spawn(ctx, body(k), asio::detached);
        ctx.restart();
        ctx.run();
    };
    run(100); // warm-up
    auto before = muster_bench::g_allocs;
    run(n);
    auto after = muster_bench::g_allocs;
    double best = 1e300;
    for (int round = 0; round != 5; ++round)
    {
        auto t0 = std::chrono::steady_clock::now();
        run(n);
        auto t1 = std::chrono::steady_clock::now();
        best =
            std::min(best, std::chrono::duration<double, std::nano>(t1 - t0).count() / n);
    }
    return {best, double(after.bytes - before.bytes) / n,
            double(after.count - before.count) / n};
}

} // namespace

int main()
{
    auto d = measure(direct);
    auto i = measure(idiom);
    auto w = measure(muster_wait_for);
    auto f = measure(muster_fail_after);
    std::printf("wait_for, operation finishing first: per call\n\n");
    std::printf("%-36s %9s %10s %8s\n", "", "ns", "bytes", "allocs");
    std::printf("%-36s %9.1f %10.1f %8.2f\n", "child awaited directly", d.ns, d.bytes,
                d.allocs);
    std::printf("%-36s %9.1f %10.1f %8.2f\n", "child || timer.async_wait (idiom)", i.ns,
                i.bytes, i.allocs);
    std::printf("%-36s %9.1f %10.1f %8.2f\n", "muster::wait_for(child, 1h)", w.ns,
                w.bytes, w.allocs);
    std::printf("%-36s %9.1f %10.1f %8.2f\n", "muster::fail_after(1h, child)", f.ns,
                f.bytes, f.allocs);
    std::printf("\nwait_for / idiom: %.2fx time; overhead over a direct await: "
                "wait_for %.1f ns, idiom %.1f ns (%.2fx)\n",
                w.ns / i.ns, w.ns - d.ns, i.ns - d.ns, (w.ns - d.ns) / (i.ns - d.ns));
    std::printf("fail_after / wait_for: %.2fx time, %+.1f bytes per call\n", f.ns / w.ns,
                f.bytes - w.bytes);
    return g_sink == 42 ? 1 : 0;
}
