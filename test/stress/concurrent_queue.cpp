//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The concurrent queues under load from several threads, for ThreadSanitizer
// (the tsan preset) as much as for the assertions: producer and consumer
// coroutines on strands of an io_context run by three threads, a plain thread
// using the try_ forms, cancelled puts and gets racing with completions from
// other threads, task_done/join, and a final shutdown (after a join, or in
// the middle of the traffic). Every item put is accounted for exactly once:
// received by a consumer, or refused to its producer. No sleeps: threads wait
// on futures and joins only.

#include <boost/muster/queue.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;

namespace
{

constexpr int producers = 3;
constexpr int consumers = 3;
constexpr int items_per_producer = 6000;
constexpr int raw_items = 2000; // put by the plain thread
constexpr int sources = producers + 1;
constexpr int never = 1 << 30;

int value_of(int source, int i)
{
    return source * 1'000'000 + i;
}
int source_of(int value)
{
    return value / 1'000'000;
}

template <class Queue>
class stress
{
public:
    // shutdown_after: the number of items received after which a consumer
    // shuts the queue down (`never`: the main thread joins, then shuts down).
    explicit stress(int shutdown_after) : shutdown_after_(shutdown_after) {}

    void run(bool fifo)
    {
        asio::io_context ctx;
        Queue q(ctx.get_executor(), 8);
        std::promise<void> producers_done;
        for (int p = 0; p != producers; ++p)
            asio::co_spawn(asio::make_strand(ctx), produce(q, p, producers_done),
                           asio::detached);
        for (int c = 0; c != consumers; ++c)
            asio::co_spawn(asio::make_strand(ctx), consume(q, c), asio::detached);

        std::vector<std::thread> threads;
        for (int i = 0; i != 3; ++i)
            threads.emplace_back([&] { ctx.run(); });
        std::thread raw([&] { raw_thread(q); });

        producers_done.get_future().get();
        raw.join();
        if (shutdown_after_ == never)
        {
            // Every item put is received and marked done: join completes.
            q.async_join(asio::use_future).get();
            BOOST_TEST(q.unfinished_tasks() == 0u);
            BOOST_TEST(q.empty());
            q.shutdown();
        }
        for (auto& t : threads)
            t.join(); // the consumers end on shut_down; then run() returns

        check(fifo);
    }

private:
    asio::awaitable<void> produce(Queue& q, int p, std::promise<void>& done)
    {
        auto ex = co_await asio::this_coro::executor;
        for (int i = 0; i != items_per_producer; ++i)
        {
            int v = value_of(p, i);
            error_code ec;
            if (i % 7 == 3)
            {
                // A put cancelled from its own strand, racing with a consumer
                // on another thread making room for it.
                auto sig = std::make_shared<asio::cancellation_signal>();
                asio::post(ex, [sig] { sig->emit(asio::cancellation_type::terminal); });
                std::tie(ec) = co_await q.async_put(
                    v, asio::bind_cancellation_slot(sig->slot(),
                                                    asio::as_tuple(asio::use_awaitable)));
            }
            else if (i % 7 == 5)
            {
                ec = q.try_put(int(v));
                if (ec == muster::error::queue_full)
                    std::tie(ec) =
                        co_await q.async_put(v, asio::as_tuple(asio::use_awaitable));
            }
            else
            {
                try
                {
                    co_await q.put(v);
                }
                catch (const boost::system::system_error& e)
                {
                    ec = e.code();
                }
            }
            if (ec == asio::error::operation_aborted)
                ++aborted_puts_;
            produced_[p].push_back(v);
            if (ec)
                refused_[p].push_back(v);
            if (ec && ec != muster::error::shut_down &&
                ec != asio::error::operation_aborted)
                ++unexpected_errors_;
            if (ec == muster::error::shut_down)
                break;
        }
        if (++producers_finished_ == producers)
            done.set_value();
    }

    asio::awaitable<void> consume(Queue& q, int c)
    {
        auto ex = co_await asio::this_coro::executor;
        for (int k = 0;; ++k)
        {
            error_code ec;
            int v = 0;
            if (k % 5 == 2)
            {
                auto sig = std::make_shared<asio::cancellation_signal>();
                asio::post(ex, [sig] { sig->emit(asio::cancellation_type::terminal); });
                std::tie(ec, v) = co_await q.async_get(asio::bind_cancellation_slot(
                    sig->slot(), asio::as_tuple(asio::use_awaitable)));
                if (ec == asio::error::operation_aborted)
                {
                    ++aborted_gets_;
                    continue;
                }
            }
            else
            {
                try
                {
                    v = co_await q.get();
                }
                catch (const boost::system::system_error& e)
                {
                    ec = e.code();
                }
            }
            if (ec == muster::error::shut_down)
                break;
            if (ec)
            {
                ++unexpected_errors_; // Boost.Test asserts on the main thread only
                break;
            }
            received_[c].push_back(v);
            q.task_done();
            if (++received_count_ == shutdown_after_)
                q.shutdown(); // from a consumer's strand, mid-traffic
        }
    }

    // A thread that is no executor's: try_put its own items, try_get others.
    void raw_thread(Queue& q)
    {
        int i = 0;
        while (i != raw_items)
        {
            int v = value_of(producers, i);
            error_code ec = q.try_put(int(v));
            if (ec != muster::error::queue_full)
            {
                produced_[producers].push_back(v);
                ++i;
                if (ec)
                {
                    refused_[producers].push_back(v);
                    break; // shut down
                }
            }
            if (auto r = q.try_get())
            {
                raw_received_.push_back(*r);
                q.task_done();
            }
            std::this_thread::yield();
        }
    }

    void check(bool fifo)
    {
        BOOST_TEST(unexpected_errors_ == 0);
        BOOST_TEST_MESSAGE("cancelled: " << aborted_puts_ << " puts, " << aborted_gets_
                                         << " gets");
        std::vector<int> all_produced, accounted;
        for (int s = 0; s != sources; ++s)
        {
            all_produced.insert(all_produced.end(), produced_[s].begin(),
                                produced_[s].end());
            accounted.insert(accounted.end(), refused_[s].begin(), refused_[s].end());
        }
        for (int c = 0; c != consumers; ++c)
            accounted.insert(accounted.end(), received_[c].begin(), received_[c].end());
        accounted.insert(accounted.end(), raw_received_.begin(), raw_received_.end());
        std::sort(all_produced.begin(), all_produced.end());
        std::sort(accounted.begin(), accounted.end());
        BOOST_TEST(all_produced.size() > std::size_t(producers));
        // Each item exactly once: nothing lost, nothing duplicated.
        BOOST_TEST((accounted == all_produced));

        if (shutdown_after_ == never)
        {
            for (int s = 0; s != sources; ++s)
                BOOST_TEST(produced_[s].size() ==
                           std::size_t(s == producers ? raw_items : items_per_producer));
        }
        else
        {
            std::size_t refused = 0;
            for (int s = 0; s != sources; ++s)
                refused += refused_[s].size();
            BOOST_TEST(refused > 0u); // the shutdown did stop the producers
        }

        if (!fifo)
            return;
        // FIFO: every consumer sees each source's items in the order put.
        auto in_order = [](const std::vector<int>& seen)
        {
            int last[sources];
            std::fill(std::begin(last), std::end(last), -1);
            for (int v : seen)
            {
                int& l = last[source_of(v)];
                if (v <= l)
                    return false;
                l = v;
            }
            return true;
        };
        for (int c = 0; c != consumers; ++c)
            BOOST_TEST(in_order(received_[c]));
        BOOST_TEST(in_order(raw_received_));
    }

    int shutdown_after_;
    std::atomic<int> producers_finished_{0};
    std::atomic<int> received_count_{0};
    std::atomic<int> unexpected_errors_{0};
    std::atomic<int> aborted_puts_{0}, aborted_gets_{0};
    // Each vector is written by one coroutine (on its strand) or the plain
    // thread, and read after every thread has been joined.
    std::vector<int> produced_[sources];
    std::vector<int> refused_[sources];
    std::vector<int> received_[consumers];
    std::vector<int> raw_received_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(concurrent_queue_stress)

BOOST_AUTO_TEST_CASE(fifo_join_then_shutdown)
{
    stress<muster::concurrent_queue<int>>(never).run(true);
}

BOOST_AUTO_TEST_CASE(fifo_shutdown_mid_traffic)
{
    stress<muster::concurrent_queue<int>>(producers * items_per_producer / 3).run(true);
}

BOOST_AUTO_TEST_CASE(lifo_shutdown_mid_traffic)
{
    stress<muster::concurrent_lifo_queue<int>>(producers * items_per_producer / 2)
        .run(false);
}

BOOST_AUTO_TEST_CASE(priority_join_then_shutdown)
{
    stress<muster::concurrent_priority_queue<int>>(never).run(false);
}

BOOST_AUTO_TEST_SUITE_END()
