//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A concurrent_queue between threads: plain worker threads (say, a CPU-bound
// pool or a legacy library's callbacks) put results; a coroutine on the
// io_context collects them, with the same co_await q.get() as on one thread.
// The worker threads wait for room with the blocking use_future token; the
// io_context's thread never blocks.

#include <boost/muster.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;

// tag::concurrent[]
struct result
{
    int worker = 0;
    long value = 0;
};

// Runs on its own thread: computes, then puts each result, waiting while the
// queue is full (the future blocks this thread only).
void worker(muster::concurrent_queue<result>& q, int id, int jobs)
{
    for (int j = 1; j <= jobs; ++j)
        q.async_put(result{id, long(id) * j}, asio::use_future).get();
}

// Runs on the io_context: takes results from every worker, then stops the
// queue so that no worker is left waiting.
asio::awaitable<void> collector(muster::concurrent_queue<result>& q, int expected)
{
    std::vector<long> totals(4);
    for (int n = 0; n != expected; ++n)
    {
        result r = co_await q.get();
        totals[r.worker] += r.value;
    }
    q.shutdown();
    for (int w = 0; w != 4; ++w)
        std::cout << "worker " << w << ": total " << totals[w] << "\n";
}

int main()
{
    asio::io_context ctx;
    muster::concurrent_queue<result> q(ctx, 16); // at most 16 results queued
    const int jobs = 1000;
    asio::co_spawn(ctx, collector(q, 4 * jobs), asio::detached);

    std::vector<std::thread> workers;
    for (int id = 0; id != 4; ++id)
        workers.emplace_back(worker, std::ref(q), id, jobs);
    // The io_context runs use_future's completions too: the workers' futures
    // are ready once their handlers have run here.
    ctx.run();
    for (auto& t : workers)
        t.join();
}
// end::concurrent[]
