//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Queues: what CPython's test_queues.py checks, adapted to posted
// completions, plus Asio's contract, and a randomised model test.

#include <boost/muster/queue.hpp>
#include <boost/muster/task.hpp>
#include <boost/muster/wait_for.hpp>

#include <muster_test/completion.hpp>
#include <muster_test/counting_allocator.hpp>
#include <muster_test/fixture.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/promise.hpp>
#include <boost/asio/experimental/use_promise.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;
using muster_test::cancellation_cases;
using muster_test::completion;
using muster_test::io_fixture;
using muster_test::spawn;
using get_completion = completion<error_code, int>;
using put_completion = completion<error_code>;

// The single-threaded queue and its thread-safe form pass the same tests.
using fifo_queues = std::tuple<muster::queue<int>, muster::concurrent_queue<int>>;

BOOST_AUTO_TEST_SUITE(queue_)

// ---- basics ---------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(fifo_lifo_priority_orders, io_fixture)
{
    auto drain = [](auto&& q)
    {
        for (int v : {3, 1, 2})
            q.put_nowait(v);
        std::vector<int> out;
        while (!q.empty())
            out.push_back(q.get_nowait());
        return out;
    };
    BOOST_TEST(drain(muster::queue<int>(ex)) == (std::vector<int>{3, 1, 2}));
    BOOST_TEST(drain(muster::lifo_queue<int>(ex)) == (std::vector<int>{2, 1, 3}));
    BOOST_TEST(drain(muster::priority_queue<int>(ex)) == (std::vector<int>{1, 2, 3}));
    BOOST_TEST(drain(muster::concurrent_queue<int>(ex)) == (std::vector<int>{3, 1, 2}));
    BOOST_TEST(drain(muster::concurrent_lifo_queue<int>(ex)) ==
               (std::vector<int>{2, 1, 3}));
    BOOST_TEST(drain(muster::concurrent_priority_queue<int>(ex)) ==
               (std::vector<int>{1, 2, 3}));
}

BOOST_FIXTURE_TEST_CASE(priority_queue_with_a_comparator_and_pairs, io_fixture)
{
    muster::priority_queue<std::pair<int, std::string>> q(ex);
    q.put_nowait({2, "medium"});
    q.put_nowait({1, "high"});
    q.put_nowait({3, "low"});
    BOOST_TEST(q.get_nowait().second == "high");
    muster::priority_queue<int, std::greater<int>> max_first(ex);
    for (int v : {1, 3, 2})
        max_first.put_nowait(v);
    BOOST_TEST(max_first.get_nowait() == 3);
}

// A comparator with state: the queue must use the one it was given, not a
// default-constructed one.
struct by_distance
{
    int origin = 0;
    bool operator()(int a, int b) const
    {
        return std::abs(a - origin) < std::abs(b - origin);
    }
};

BOOST_FIXTURE_TEST_CASE(priority_queue_keeps_a_stateful_comparator, io_fixture)
{
    muster::priority_queue<int, by_distance> q(ex, 0, by_distance{10});
    muster::concurrent_priority_queue<int, by_distance> cq(ex, 0, by_distance{10});
    for (int v : {0, 9, 30, 12})
    {
        q.put_nowait(v);
        cq.put_nowait(v);
    }
    std::vector<int> got, cgot;
    while (!q.empty())
        got.push_back(q.get_nowait());
    while (!cq.empty())
        cgot.push_back(cq.get_nowait());
    BOOST_TEST(got == (std::vector<int>{9, 12, 0, 30}));
    BOOST_TEST(cgot == got);
    // Both spellings of the default name the same type.
    static_assert(std::is_same_v<muster::priority_queue<int>,
                                 muster::basic_queue<int, muster::priority_order<>>>);
}

BOOST_FIXTURE_TEST_CASE(observers_and_maxsize, io_fixture)
{
    muster::queue<int> q(ctx, 2);
    BOOST_TEST(q.maxsize() == 2u);
    BOOST_TEST(q.empty());
    BOOST_TEST(!q.full());
    q.put_nowait(1);
    q.put_nowait(2);
    BOOST_TEST(q.size() == 2u);
    BOOST_TEST(q.full());
    BOOST_TEST(q.unfinished_tasks() == 2u);
    BOOST_TEST(!q.is_shut_down());
    muster::queue<int> unbounded(ex);
    for (int i = 0; i != 1000; ++i)
        unbounded.put_nowait(i);
    BOOST_TEST(!unbounded.full());
}

BOOST_FIXTURE_TEST_CASE(nowait_forms_report_full_empty_and_shut_down, io_fixture)
{
    muster::queue<int> q(ex, 1);
    BOOST_TEST((q.try_get().error() == muster::error::queue_empty));
    BOOST_CHECK_EXCEPTION(q.get_nowait(), boost::system::system_error,
                          [](const auto& e)
                          { return e.code() == muster::error::queue_empty; });
    int v = 5;
    BOOST_TEST(!q.try_put(std::move(v)));
    int w = 6;
    BOOST_TEST((q.try_put(std::move(w)) == muster::error::queue_full));
    BOOST_TEST(w == 6); // not moved from
    BOOST_CHECK_EXCEPTION(q.put_nowait(7), boost::system::system_error,
                          [](const auto& e)
                          { return e.code() == muster::error::queue_full; });
    q.shutdown();
    BOOST_TEST((q.try_put(8) == muster::error::shut_down));
    BOOST_TEST(q.try_get().value() == 5);                          // drains
    BOOST_TEST((q.try_get().error() == muster::error::shut_down)); // not queue_empty
}

BOOST_FIXTURE_TEST_CASE(move_only_items, io_fixture)
{
    muster::queue<std::unique_ptr<int>> q(ex);
    q.put_nowait(std::make_unique<int>(1));
    completion<error_code, std::unique_ptr<int>> c(ex);
    c.initiate([&](auto h) { q.async_get(std::move(h)); });
    poll();
    BOOST_TEST(*c.arg<1>() == 1);
    std::unique_ptr<int> got;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await q.put(std::make_unique<int>(2));
              got = co_await q.get();
          });
    poll();
    BOOST_TEST(*got == 2);
}

// ---- blocking put / get -------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE_TEMPLATE(get_waits_for_a_put_and_completes_posted, Queue,
                                 fifo_queues, io_fixture)
{
    Queue q(ex);
    get_completion g(ex);
    g.initiate([&](auto h) { q.async_get(std::move(h)); });
    poll();
    BOOST_TEST(!g.called());
    put_completion p(ex);
    p.initiate([&](auto h) { q.async_put(7, std::move(h)); });
    BOOST_TEST(!g.called());
    poll();
    BOOST_TEST(g.arg<1>() == 7);
    BOOST_TEST(!p.arg<0>());
    BOOST_TEST(q.empty()); // handed off, never queued
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(put_waits_while_full_and_get_admits_it, Queue,
                                 fifo_queues, io_fixture)
{
    Queue q(ex, 1);
    q.put_nowait(1);
    put_completion p(ex);
    p.initiate([&](auto h) { q.async_put(2, std::move(h)); });
    poll();
    BOOST_TEST(!p.called());
    BOOST_TEST(q.get_nowait() == 1);
    BOOST_TEST(q.size() == 1u); // the waiting put's item was admitted
    poll();
    BOOST_TEST(!p.arg<0>());
    BOOST_TEST(q.get_nowait() == 2);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(waiters_are_served_in_arrival_order, Queue, fifo_queues,
                                 io_fixture)
{
    Queue q(ex);
    get_completion g1(ex), g2(ex), g3(ex);
    for (auto* g : {&g1, &g2, &g3})
        g->initiate([&](auto h) { q.async_get(std::move(h)); });
    poll();
    for (int v : {10, 20, 30})
        q.put_nowait(v);
    poll();
    BOOST_TEST(g1.arg<1>() == 10);
    BOOST_TEST(g2.arg<1>() == 20);
    BOOST_TEST(g3.arg<1>() == 30);

    Queue full(ex, 1);
    full.put_nowait(0);
    put_completion p1(ex), p2(ex);
    p1.initiate([&](auto h) { full.async_put(1, std::move(h)); });
    p2.initiate([&](auto h) { full.async_put(2, std::move(h)); });
    BOOST_TEST(full.get_nowait() == 0);
    BOOST_TEST(full.get_nowait() == 1);
    BOOST_TEST(full.get_nowait() == 2);
    poll();
    BOOST_TEST(p1.called());
    BOOST_TEST(p2.called());
}

BOOST_FIXTURE_TEST_CASE(no_barging_a_new_put_queues_behind_waiting_puts, io_fixture)
{
    muster::queue<int> q(ex, 1);
    q.put_nowait(0);
    put_completion p(ex);
    p.initiate([&](auto h) { q.async_put(1, std::move(h)); });
    BOOST_TEST(q.get_nowait() == 0); // admits 1
    BOOST_TEST((q.try_put(2) == muster::error::queue_full));
    poll();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(coroutine_forms_complete_without_suspending, Queue,
                                 fifo_queues, io_fixture)
{
    Queue q(ex, 2);
    std::size_t ran_before = 0;
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await q.put(1);
              co_await q.put(2);
              int a = co_await q.get();
              int b = co_await q.get();
              BOOST_TEST(a + b == 3);
              done = true;
          });
    // The coroutine starts on the first handler; it must finish within it.
    ran_before = poll_one();
    BOOST_TEST(ran_before == 1u);
    BOOST_TEST(done, "put/get that can complete at once must not suspend");
}

// ---- cancellation -------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE_TEMPLATE(cancelled_get_loses_no_item, Queue, fifo_queues,
                                 io_fixture)
{
    // test_get_cancel_drop_one_pending_reader / many_pending_readers
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            Queue q(ex);
            asio::cancellation_signal sig;
            get_completion cancelled(ex), next(ex);
            cancelled.initiate(
                [&](auto h)
                { q.async_get(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
            next.initiate([&](auto h) { q.async_get(std::move(h)); });
            poll();
            sig.emit(cc.type);
            q.put_nowait(1);
            poll();
            bool honoured = cc.type != asio::cancellation_type::none;
            if (honoured)
            {
                BOOST_TEST((cancelled.arg<0>() == asio::error::operation_aborted));
                BOOST_TEST(next.arg<1>() == 1); // went to the next reader
            }
            else
            {
                BOOST_TEST(cancelled.arg<1>() == 1);
                BOOST_TEST(!next.called());
                q.put_nowait(2);
                poll();
            }
        }
    }
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(cancelled_getter_is_not_held_and_item_stays_queued,
                                 Queue, fifo_queues, io_fixture)
{
    // test_cancelled_getters_not_being_held_in_self_getters
    Queue q(ex);
    asio::cancellation_signal sig;
    get_completion g(ex);
    g.initiate([&](auto h)
               { q.async_get(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    sig.emit(asio::cancellation_type::terminal);
    q.put_nowait(5);
    BOOST_TEST(q.size() == 1u); // not handed to the cancelled getter
    poll();
    BOOST_TEST((g.arg<0>() == asio::error::operation_aborted));
    BOOST_TEST(q.get_nowait() == 5);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(cancelled_put_never_inserts, Queue, fifo_queues,
                                 io_fixture)
{
    // test_put_cancel_drop
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            Queue q(ex, 1);
            q.put_nowait(1);
            asio::cancellation_signal sig;
            put_completion p(ex);
            p.initiate(
                [&](auto h) {
                    q.async_put(2,
                                asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            BOOST_TEST(q.get_nowait() == 1);
            if (cc.type != asio::cancellation_type::none)
            {
                BOOST_TEST((p.arg<0>() == asio::error::operation_aborted));
                BOOST_TEST(q.empty());
                BOOST_TEST(q.unfinished_tasks() == 1u);
            }
            else
            {
                BOOST_TEST(q.get_nowait() == 2);
                poll();
                BOOST_TEST(!p.arg<0>());
            }
        }
    }
}

BOOST_FIXTURE_TEST_CASE(wait_for_get_times_out_or_keeps_the_item, io_fixture)
{
    muster::queue<int> q(ex);
    completion<error_code, int> empty(ex), ready(ex);
    empty.initiate(
        [&](auto h)
        {
            muster::wait_for(q.async_get(asio::deferred),
                             std::chrono::nanoseconds(1))(std::move(h));
        });
    poll();
    BOOST_TEST((empty.arg<0>() == muster::error::timed_out));
    // An item that is there is taken at once, even with a zero timeout, and
    // delivered, never dropped.
    q.put_nowait(3);
    ready.initiate(
        [&](auto h)
        {
            muster::wait_for(q.async_get(asio::deferred),
                             std::chrono::nanoseconds(0))(std::move(h));
        });
    poll();
    BOOST_TEST(!ready.arg<0>());
    BOOST_TEST(ready.arg<1>() == 3);
}

// ---- task_done / join
// ------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE_TEMPLATE(join_waits_for_task_done_per_put, Queue, fifo_queues,
                                 io_fixture)
{
    Queue q(ex);
    put_completion j0(ex);
    j0.initiate([&](auto h) { q.async_join(std::move(h)); });
    poll();
    BOOST_TEST(j0.called()); // nothing unfinished: at once, posted
    q.put_nowait(1);
    q.put_nowait(2);
    put_completion j(ex);
    j.initiate([&](auto h) { q.async_join(std::move(h)); });
    (void)q.get_nowait();
    (void)q.get_nowait();
    q.task_done();
    poll();
    BOOST_TEST(!j.called()); // counts puts, not gets
    q.task_done();
    poll();
    BOOST_TEST(!j.arg<0>());
}

BOOST_FIXTURE_TEST_CASE(one_task_done_too_many_is_a_clear_error, io_fixture)
{
    muster::queue<int> q(ex);
    q.put_nowait(1);
    q.task_done();
    try
    {
        q.task_done();
        BOOST_FAIL("task_done() past the count did not throw");
    }
    catch (const boost::system::system_error& e)
    {
        BOOST_TEST((e.code() == muster::error::unmatched_task_done));
        BOOST_TEST(std::string(e.what()).find("more times than items were put") !=
                   std::string::npos);
    }
}

// ---- shutdown
// ----------------------------------------------------------------------------

template <class Queue>
void check_shutdown(io_fixture& fix, bool immediate)
{
    auto& ex = fix.ex;
    Queue q(ex, 2);
    // An empty queue's getter, woken by shutdown.
    {
        Queue empty(ex);
        get_completion g(ex);
        g.initiate([&](auto h) { empty.async_get(std::move(h)); });
        fix.poll();
        empty.shutdown(immediate);
        fix.poll();
        BOOST_TEST((g.arg<0>() == muster::error::shut_down));
    }
    q.put_nowait(1);
    q.put_nowait(2);
    put_completion waiting_put(ex), join(ex);
    waiting_put.initiate([&](auto h) { q.async_put(3, std::move(h)); });
    join.initiate([&](auto h) { q.async_join(std::move(h)); });
    fix.poll();
    q.shutdown(immediate);
    fix.poll();
    BOOST_TEST((waiting_put.arg<0>() == muster::error::shut_down));
    BOOST_TEST(q.is_shut_down());
    BOOST_TEST((q.try_put(4) == muster::error::shut_down));
    if (immediate)
    {
        BOOST_TEST(q.empty());
        BOOST_TEST(q.unfinished_tasks() == 0u);
        BOOST_TEST(!join.arg<0>()); // count reached 0
    }
    else
    {
        BOOST_TEST(q.size() == 2u);
        BOOST_TEST(!join.called());
        (void)q.get_nowait();
        (void)q.get_nowait(); // drains
        BOOST_TEST((q.try_get().error() == muster::error::shut_down));
        q.task_done();
        q.task_done();
        fix.poll();
        BOOST_TEST(!join.arg<0>());
        q.shutdown(true); // harmless twice, and later immediate still works
    }
    get_completion late(ex);
    late.initiate([&](auto h) { q.async_get(std::move(h)); });
    fix.poll();
    BOOST_TEST((late.arg<0>() == muster::error::shut_down));
}

BOOST_FIXTURE_TEST_CASE(shutdown_all_kinds, io_fixture)
{
    for (bool immediate : {false, true})
    {
        BOOST_TEST_CONTEXT("immediate " << immediate)
        {
            check_shutdown<muster::queue<int>>(*this, immediate);
            check_shutdown<muster::lifo_queue<int>>(*this, immediate);
            check_shutdown<muster::priority_queue<int>>(*this, immediate);
            check_shutdown<muster::concurrent_queue<int>>(*this, immediate);
            check_shutdown<muster::concurrent_lifo_queue<int>>(*this, immediate);
            check_shutdown<muster::concurrent_priority_queue<int>>(*this, immediate);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(immediate_shutdown_never_lowers_the_count_below_zero, io_fixture)
{
    muster::queue<int> q(ex);
    q.put_nowait(1);
    q.put_nowait(2);
    (void)q.get_nowait();
    q.task_done();
    q.task_done(); // count 0, one item left
    q.shutdown(true);
    BOOST_TEST(q.unfinished_tasks() == 0u);
    BOOST_TEST(q.empty());
}

BOOST_FIXTURE_TEST_CASE(coroutine_forms_throw_shut_down, io_fixture)
{
    muster::queue<int> q(ex);
    q.put_nowait(1);
    q.shutdown();
    std::vector<std::string> log;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              try
              {
                  co_await q.put(2);
              }
              catch (const boost::system::system_error& e)
              {
                  log.push_back("put: " + std::string(e.code() == muster::error::shut_down
                                                          ? "shut_down"
                                                          : "?"));
              }
              log.push_back("got " + std::to_string(co_await q.get()));
              try
              {
                  co_await q.get();
              }
              catch (const boost::system::system_error& e)
              {
                  log.push_back("get: " + std::string(e.code() == muster::error::shut_down
                                                          ? "shut_down"
                                                          : "?"));
              }
          });
    poll();
    BOOST_TEST(
        (log == std::vector<std::string>{"put: shut_down", "got 1", "get: shut_down"}));
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(destroying_the_queue_aborts_pending_operations, Queue,
                                 fifo_queues, io_fixture)
{
    get_completion g(ex);
    put_completion p(ex), j(ex);
    {
        Queue empty(ex);
        g.initiate([&](auto h) { empty.async_get(std::move(h)); });
        Queue full(ex, 1);
        full.put_nowait(1);
        p.initiate([&](auto h) { full.async_put(2, std::move(h)); });
        j.initiate([&](auto h) { full.async_join(std::move(h)); });
        poll();
    }
    poll();
    BOOST_TEST((g.arg<0>() == asio::error::operation_aborted));
    BOOST_TEST((p.arg<0>() == asio::error::operation_aborted));
    BOOST_TEST((j.arg<0>() == asio::error::operation_aborted));
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(cancellation_after_a_hand_off_delivers_the_item, Queue,
                                 fifo_queues, io_fixture)
{
    // The item is handed to the waiting get at once; its completion is
    // posted. A cancellation emitted before it runs is too late: the get
    // delivers the item rather than losing it.
    Queue q(ex);
    asio::cancellation_signal sig;
    get_completion g(ex);
    g.initiate([&](auto h)
               { q.async_get(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    poll();
    q.put_nowait(7);
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(!g.arg<0>());
    BOOST_TEST(g.arg<1>() == 7);
    BOOST_TEST(q.empty());
    sig.emit(asio::cancellation_type::terminal); // the slot was cleared
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(cancellation_after_the_queue_is_destroyed_is_ignored,
                                 Queue, fifo_queues, io_fixture)
{
    // Destroying the queue aborts the get with a posted completion; a
    // cancellation emitted in between must not touch the dead queue (ASan
    // would report it) nor complete the get a second time.
    asio::cancellation_signal sig;
    get_completion g(ex);
    {
        Queue q(ex);
        g.initiate(
            [&](auto h)
            { q.async_get(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
        poll();
    }
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST((g.arg<0>() == asio::error::operation_aborted));

    // The same once the get was given an item: it delivers the item.
    get_completion given(ex);
    {
        Queue q(ex);
        given.initiate(
            [&](auto h)
            { q.async_get(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
        poll();
        q.put_nowait(9);
    }
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(!given.arg<0>());
    BOOST_TEST(given.arg<1>() == 9);
}

BOOST_FIXTURE_TEST_CASE(concurrent_queue_completes_each_handler_on_its_own_executor,
                        io_fixture)
{
    // Two executors: the queue's (1) and a second one (2). A get waiting on
    // executor 2 completes there even though the put runs elsewhere.
    muster::concurrent_queue<int> q(ex);
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    get_completion g(ex2);
    g.initiate([&](auto h) { q.async_get(asio::bind_executor(ex2, std::move(h))); });
    std::thread producer([&] { q.put_nowait(3); });
    producer.join();
    poll();
    BOOST_TEST(g.arg<1>() == 3); // completion checks the executor id
}

// ---- completion tokens
// -----------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE_TEMPLATE(tokens, Queue, fifo_queues, io_fixture)
{
    Queue q(ex);
    int a = 0, b = 0, c = 0;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await q.async_put(1);
              co_await q.async_put(2, asio::use_awaitable);
              co_await q.async_put(3, asio::deferred);
              a = co_await q.async_get();
              b = co_await q.async_get(asio::use_awaitable);
              auto [ec, v] = co_await q.async_get(asio::as_tuple(asio::deferred));
              c = v;
              error_code rec = asio::error::eof;
              q.put_nowait(4);
              int d =
                  co_await q.async_get(asio::redirect_error(asio::use_awaitable, rec));
              BOOST_TEST(!rec);
              BOOST_TEST(d == 4);
          });
    poll();
    BOOST_TEST(a + b + c == 6);

    std::future<void> pf = q.async_put(5, asio::use_future);
    std::future<int> gf = q.async_get(asio::use_future);
    q.async_put(6, asio::detached);
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    muster_test::allocation_counts counts;
    get_completion bound(ex2);
    bound.initiate(
        [&](auto h)
        {
            q.async_get(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    get_completion waiting(ex2);
    waiting.initiate(
        [&](auto h)
        {
            q.async_get(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    BOOST_TEST(counts.allocations >= 1u,
               "a waiting get must use the handler's allocator");
    auto p = q.async_put(7, asio::experimental::use_promise);
    poll();
    BOOST_TEST(gf.get() == 5);
    pf.get();
    BOOST_TEST(bound.arg<1>() == 6);
    BOOST_TEST(waiting.arg<1>() == 7);
    BOOST_TEST(counts.allocations == counts.deallocations);
    BOOST_TEST(p.completed());
}

// ---- randomised model test -----------------------------------------------------------

// Random operations against a reference model: a deque of items, FIFO lists
// of waiting gets and puts, the unfinished count and the waiting joins. The
// model decides each operation's outcome when the queue must have decided it
// (on start, on a hand-off, on cancellation, on shutdown or destruction); the
// handlers record what really happened, and the two must agree for every
// operation. Every item is accounted for exactly once.
template <class Queue>
class queue_model
{
public:
    queue_model(io_fixture& fix, unsigned seed)
        : fix_(fix), rng_(seed), maxsize_(1 + seed * 3)
    {
        open();
    }

    void run(int steps)
    {
        for (int step = 0; step != steps && ok_; ++step)
        {
            if (shut_ && rng_() % 40 == 0)
                open(); // destroys the shut-down queue
            unsigned r = rng_() % 1000;
            if (r < 220)
                async_put();
            else if (r < 400)
                async_get();
            else if (r < 500)
                try_get();
            else if (r < 600)
                try_put();
            else if (r < 700)
                task_done();
            else if (r < 760)
                async_join();
            else if (r < 860)
                cancel_one();
            else if (r < 997 || shut_)
                fix_.poll();
            else
                shutdown(rng_() % 2 == 0);
            check(q_->size() == items_.size(), "size disagrees with the model");
            check(q_->unfinished_tasks() == unfinished_,
                  "unfinished count disagrees with the model");
        }
        destroy();
        fix_.poll();
        check(outcomes_ == expected_, "an operation's outcome disagrees with the model");
        // Every item put is, exactly once: received by a get, taken by
        // try_get, refused (its put failed), dropped by an immediate shutdown
        // or left in a queue when it was destroyed.
        std::vector<int> seen = taken_;
        std::size_t refused = 0;
        for (const auto& [id, o] : outcomes_)
        {
            if (o.kind == op_kind::get && !o.ec)
                seen.push_back(o.value);
            if (o.kind == op_kind::put && o.ec)
                ++refused;
        }
        std::sort(seen.begin(), seen.end());
        check(std::adjacent_find(seen.begin(), seen.end()) == seen.end(),
              "an item was received twice");
        check(seen.size() + refused + dropped_ == std::size_t(next_value_),
              "an item was lost");
        BOOST_TEST(ops_ > 1000u); // the run did exercise the queue
    }

private:
    enum class op_kind
    {
        put,
        get,
        join
    };

    struct outcome
    {
        op_kind kind;
        error_code ec;
        int value = 0;
        friend bool operator==(const outcome&, const outcome&) = default;
    };

    struct waiting_put
    {
        int id;
        int value;
    };

    void check(bool cond, const char* what)
    {
        if (!cond && ok_)
        {
            BOOST_ERROR(what);
            ok_ = false;
        }
    }

    // A fresh queue; the old one, if any, is destroyed first.
    void open()
    {
        destroy();
        q_ = std::make_unique<Queue>(fix_.ex, maxsize_);
    }

    // Destroys the queue: its waiting operations are aborted (a put's item is
    // then refused) and the items it holds are discarded.
    void destroy()
    {
        if (!q_)
            return;
        for (const auto& p : putters_)
            expect(p.id, op_kind::put, asio::error::operation_aborted);
        for (int g : getters_)
            expect(g, op_kind::get, asio::error::operation_aborted);
        for (int j : joiners_)
            expect(j, op_kind::join, asio::error::operation_aborted);
        dropped_ += items_.size();
        putters_.clear();
        getters_.clear();
        joiners_.clear();
        items_.clear();
        unfinished_ = 0;
        shut_ = false;
        q_.reset();
    }

    void expect(int id, op_kind kind, error_code ec, int value = 0)
    {
        expected_[id] = outcome{kind, ec, value};
    }

    // Binds the handler to the fixture's executor and to a cancellation
    // signal of its own.
    template <class Handler>
    auto bind(int id, Handler h)
    {
        ++ops_;
        auto& sig = signals_[id];
        sig = std::make_unique<asio::cancellation_signal>();
        return asio::bind_cancellation_slot(sig->slot(),
                                            asio::bind_executor(fix_.ex, std::move(h)));
    }

    void record(int id, op_kind kind, error_code ec, int value = 0)
    {
        if (!outcomes_.emplace(id, outcome{kind, ec, value}).second)
            check(false, "an operation completed twice");
    }

    bool can_admit() const
    {
        return putters_.empty() && (!getters_.empty() || items_.size() < maxsize_);
    }

    // An admitted item goes to the longest-waiting get or into the queue.
    void admit(int value)
    {
        ++unfinished_;
        if (!getters_.empty())
        {
            expect(getters_.front(), op_kind::get, {}, value);
            getters_.pop_front();
        }
        else
            items_.push_back(value);
    }

    int take()
    {
        int v = items_.front();
        items_.pop_front();
        if (!putters_.empty())
        {
            auto p = putters_.front();
            putters_.pop_front();
            expect(p.id, op_kind::put, {});
            ++unfinished_;
            items_.push_back(p.value);
        }
        return v;
    }

    void release_joiners()
    {
        if (unfinished_ != 0)
            return;
        for (int j : joiners_)
            expect(j, op_kind::join, {});
        joiners_.clear();
    }

    void async_put()
    {
        int id = next_id_++, v = next_value_++;
        q_->async_put(
            v, bind(id, [this, id](error_code ec) { record(id, op_kind::put, ec); }));
        if (shut_)
            expect(id, op_kind::put, muster::error::shut_down);
        else if (can_admit())
        {
            admit(v);
            expect(id, op_kind::put, {});
        }
        else
            putters_.push_back({id, v});
    }

    void async_get()
    {
        int id = next_id_++;
        q_->async_get(bind(id, [this, id](error_code ec, int v)
                           { record(id, op_kind::get, ec, v); }));
        if (!items_.empty())
            expect(id, op_kind::get, {}, take());
        else if (shut_)
            expect(id, op_kind::get, muster::error::shut_down);
        else
            getters_.push_back(id);
    }

    void async_join()
    {
        int id = next_id_++;
        q_->async_join(
            bind(id, [this, id](error_code ec) { record(id, op_kind::join, ec); }));
        if (unfinished_ == 0)
            expect(id, op_kind::join, {});
        else
            joiners_.push_back(id);
    }

    void try_get()
    {
        ++ops_;
        auto r = q_->try_get();
        if (items_.empty())
            check(r.has_error() &&
                      r.error() == (shut_ ? error_code(muster::error::shut_down)
                                          : error_code(muster::error::queue_empty)),
                  "try_get on an empty queue");
        else if (!r.has_value())
            check(false, "try_get found no item");
        else
        {
            check(*r == take(), "try_get returned the wrong item");
            taken_.push_back(*r);
        }
    }

    void try_put()
    {
        ++ops_;
        int v = next_value_;
        auto ec = q_->try_put(std::move(v));
        error_code want = shut_         ? error_code(muster::error::shut_down)
                          : can_admit() ? error_code()
                                        : error_code(muster::error::queue_full);
        check(ec == want, "try_put disagrees with the model");
        if (!ec)
        {
            ++next_value_;
            admit(v);
        }
    }

    void task_done()
    {
        ++ops_;
        if (unfinished_ == 0)
        {
            try
            {
                q_->task_done();
                check(false, "task_done past zero did not throw");
            }
            catch (const boost::system::system_error& e)
            {
                check(e.code() == muster::error::unmatched_task_done,
                      "task_done past zero threw the wrong error");
            }
            return;
        }
        q_->task_done();
        --unfinished_;
        release_joiners();
    }

    // Cancels a random operation: aborted if it still waits, else no effect.
    void cancel_one()
    {
        if (signals_.empty())
            return;
        auto it = signals_.lower_bound(int(rng_() % next_id_));
        if (it == signals_.end())
            it = signals_.begin();
        int id = it->first;
        it->second->emit(asio::cancellation_type::terminal);
        auto drop = [&](auto& list, auto key, op_kind kind)
        {
            auto w = std::find_if(list.begin(), list.end(), key);
            if (w == list.end())
                return;
            list.erase(w);
            expect(id, kind, asio::error::operation_aborted);
        };
        drop(
            getters_, [id](int g) { return g == id; }, op_kind::get);
        drop(
            putters_, [id](const waiting_put& p) { return p.id == id; }, op_kind::put);
        drop(
            joiners_, [id](int j) { return j == id; }, op_kind::join);
        // The signal stays alive: the operation may not have finished yet.
    }

    void shutdown(bool immediate)
    {
        q_->shutdown(immediate);
        shut_ = true;
        if (immediate)
        {
            std::size_t n = items_.size();
            dropped_ += n;
            items_.clear();
            unfinished_ -= std::min(n, unfinished_);
            release_joiners();
        }
        for (int g : getters_)
            expect(g, op_kind::get, muster::error::shut_down);
        for (const auto& p : putters_)
            expect(p.id, op_kind::put, muster::error::shut_down);
        getters_.clear();
        putters_.clear();
    }

    io_fixture& fix_;
    std::mt19937 rng_;
    std::size_t maxsize_;
    std::unique_ptr<Queue> q_;
    std::deque<int> items_;
    std::deque<waiting_put> putters_;
    std::deque<int> getters_;
    std::deque<int> joiners_;
    std::size_t unfinished_ = 0;
    bool shut_ = false;
    std::map<int, std::unique_ptr<asio::cancellation_signal>> signals_;
    std::map<int, outcome> expected_, outcomes_;
    std::vector<int> taken_;
    std::size_t dropped_ = 0;
    int next_id_ = 0, next_value_ = 0;
    std::size_t ops_ = 0;
    bool ok_ = true;
};

BOOST_FIXTURE_TEST_CASE_TEMPLATE(random_operations_against_a_model, Queue, fifo_queues,
                                 io_fixture)
{
    // 100 000 random operations per seed: puts, gets, try_ forms, task_done,
    // joins, cancellations, shutdowns (immediate or not) and destructions.
    for (unsigned seed : {1u, 2u, 3u})
    {
        BOOST_TEST_CONTEXT("seed " << seed)
        {
            queue_model<Queue> model(*this, seed);
            model.run(100'000);
        }
    }
}

// ---- faults: a completion that cannot be posted ---------------------------------

using muster_test::failing_handler;

BOOST_FIXTURE_TEST_CASE(a_hand_off_to_a_get_that_cannot_be_posted_changes_nothing,
                        io_fixture)
{
    muster::queue<std::string> q(ctx);
    muster_test::allocation_counts counts;
    int calls = 0;
    q.async_get(failing_handler<error_code, std::string>(ctx, counts, calls));
    counts.fail_on = counts.allocations + 1;
    std::string item = "precious";
    BOOST_CHECK_THROW(q.try_put(std::move(item)), std::bad_alloc);
    BOOST_TEST(item == "precious");
    BOOST_TEST(q.size() == 0u);
    BOOST_TEST(q.unfinished_tasks() == 0u);
    poll();
    BOOST_TEST(calls == 0);
    // The get still waits, first: the next put reaches it.
    BOOST_TEST(!q.try_put(std::move(item)));
    poll();
    BOOST_TEST(calls == 1);
    BOOST_TEST(q.unfinished_tasks() == 1u);
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE(admitting_a_put_that_cannot_be_posted_takes_nothing, io_fixture)
{
    muster::queue<std::string> q(ctx, 1);
    q.put_nowait("first");
    muster_test::allocation_counts counts;
    int calls = 0;
    q.async_put("second", failing_handler<error_code>(ctx, counts, calls));
    counts.fail_on = counts.allocations + 1;
    BOOST_CHECK_THROW(q.try_get(), std::bad_alloc);
    BOOST_TEST(q.size() == 1u);
    BOOST_TEST(q.unfinished_tasks() == 1u);
    poll();
    BOOST_TEST(calls == 0);
    BOOST_TEST(q.get_nowait() == "first");
    poll();
    BOOST_TEST(calls == 1);
    BOOST_TEST(q.get_nowait() == "second");
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE(an_immediate_get_that_cannot_be_posted_loses_nothing, io_fixture)
{
    muster::queue<std::string> q(ctx);
    q.put_nowait("a");
    q.put_nowait("b");
    muster_test::allocation_counts counts;
    counts.fail_on = 1;
    int calls = 0;
    BOOST_CHECK_THROW(
        q.async_get(failing_handler<error_code, std::string>(ctx, counts, calls)),
        std::bad_alloc);
    BOOST_TEST(q.size() == 2u);
    BOOST_TEST(q.get_nowait() == "a");
    // An immediate put whose completion cannot be posted adds nothing.
    counts.fail_on = counts.allocations + 1;
    BOOST_CHECK_THROW(q.async_put("c", failing_handler<error_code>(ctx, counts, calls)),
                      std::bad_alloc);
    BOOST_TEST(q.size() == 1u);
    BOOST_TEST(q.unfinished_tasks() == 2u);
    poll();
    BOOST_TEST(calls == 0);
}

// ---- exception safety: every fault, swept -------------------------------------

// A comparator that throws on its k-th call (k counted down in a shared
// cell; 0 means never), ordering ints smallest first.
struct throwing_less
{
    int* countdown;
    bool operator()(int a, int b) const
    {
        if (*countdown > 0 && --*countdown == 0)
            throw std::runtime_error("comparator");
        return a < b;
    }
};

using checked_priority_queue = muster::priority_queue<int, throwing_less>;
using concurrent_checked_priority_queue =
    muster::concurrent_priority_queue<int, throwing_less>;

// One run of a script that exercises every queue operation, with one fault
// armed: the n-th allocation of the handlers' allocator fails, or the k-th
// comparison throws. Each operation that throws must have changed nothing
// (size, unfinished count, the caller's item); at the end, the items taken
// are exactly the items the queue accepted, no handler ran twice, every
// handler whose initiation succeeded ran once, and the memory is all freed.
// Returns whether the fault fired.
template <class Queue>
bool run_faulted_script(std::size_t fail_alloc, int fail_compare)
{
    asio::io_context ctx;
    muster_test::allocation_counts counts;
    int countdown = 0;
    std::multiset<int> accepted, taken;
    std::map<int, int> calls; // handler id -> invocations
    std::set<int> started;    // handlers whose initiation returned
    int next_id = 0;
    auto make_queue = [&]
    {
        if constexpr (std::is_same_v<Queue, checked_priority_queue> ||
                      std::is_same_v<Queue, concurrent_checked_priority_queue>)
            return std::make_unique<Queue>(ctx, 3, throwing_less{&countdown});
        else
            return std::make_unique<Queue>(ctx, 3);
    };
    auto q = make_queue();
    auto bound = [&](auto fn)
    {
        return asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                    asio::bind_executor(ctx.get_executor(), fn));
    };
    // A get whose item, if any, counts as taken; a put whose success counts
    // its item as accepted.
    auto async_get = [&]
    {
        int id = next_id++;
        q->async_get(bound(
            [&, id](error_code ec, int v)
            {
                ++calls[id];
                if (!ec)
                    taken.insert(v);
            }));
        started.insert(id);
    };
    auto async_put = [&](int v)
    {
        int id = next_id++;
        q->async_put(v, bound(
                            [&, id, v](error_code ec)
                            {
                                ++calls[id];
                                if (!ec)
                                    accepted.insert(v);
                            }));
        started.insert(id);
    };
    auto async_join = [&]
    {
        int id = next_id++;
        q->async_join(bound([&, id](error_code) { ++calls[id]; }));
        started.insert(id);
    };
    // Runs one step; if it throws, nothing visible may have changed, except
    // in the one documented case: an immediate get whose own completion
    // cannot be posted after it admitted a waiting put puts its item back,
    // and the put stays admitted (one item over maxsize).
    bool fired = false;
    auto step = [&](auto op, bool may_keep_admitted_put = false)
    {
        std::size_t size = q->size(), unfinished = q->unfinished_tasks();
        auto check = [&]
        {
            fired = true;
            std::size_t added =
                may_keep_admitted_put && size == q->maxsize() && q->size() == size + 1
                    ? 1
                    : 0;
            BOOST_TEST(q->size() == size + added);
            BOOST_TEST(q->unfinished_tasks() == unfinished + added);
        };
        try
        {
            op();
        }
        catch (const std::bad_alloc&)
        {
            check();
        }
        catch (const std::runtime_error&)
        {
            check();
        }
    };
    auto try_put = [&](int v)
    {
        int item = v;
        error_code ec;
        step(
            [&]
            {
                ec = q->try_put(std::move(item));
                if (!ec)
                    accepted.insert(v);
            });
        BOOST_TEST(item == v); // an int is copied by its move: untouched either way
    };
    auto try_get = [&]
    {
        step(
            [&]
            {
                if (auto r = q->try_get())
                    taken.insert(*r);
            });
    };

    counts.fail_on = fail_alloc;
    countdown = fail_compare;
    step(async_get);             // waits on the empty queue
    try_put(10);                 // handed to it
    try_put(5);                  // 5
    try_put(7);                  // 5 7
    try_put(3);                  // 3 5 7: full
    step([&] { async_put(1); }); // waits
    step([&] { async_put(9); }); // waits
    try_get();                   // takes one, admits 1
    step(async_get, true);       // takes one at once, admits 9
    ctx.restart();
    ctx.poll();
    step(async_join);            // waits: nothing is done yet
    step([&] { async_put(4); }); // adds at once or waits
    try_get();
    try_put(8);
    step(async_get);
    step(async_get);
    step(async_get);
    step(async_get); // the queue runs dry: these wait
    try_put(2);      // handed off
    // A put handed at once to a waiting get: if its own completion cannot be
    // posted, the get still has the item, and the queue counts it.
    for (int v : {6, 11})
    {
        std::size_t size = q->size(), unfinished = q->unfinished_tasks();
        try
        {
            async_put(v);
        }
        catch (const std::bad_alloc&)
        {
            fired = true;
            BOOST_TEST(q->size() == size);
            bool delivered = q->unfinished_tasks() == unfinished + 1;
            BOOST_TEST((delivered || q->unfinished_tasks() == unfinished));
            if (delivered)
                accepted.insert(v);
        }
        catch (const std::runtime_error&) // the comparator, before any change
        {
            fired = true;
            BOOST_TEST(q->size() == size);
            BOOST_TEST(q->unfinished_tasks() == unfinished);
        }
    }
    ctx.restart();
    ctx.poll();

    // Faults off: take what is left, mark every item done, shut down.
    bool alloc_fired = counts.fail_on == 0 && fail_alloc != 0;
    bool compare_fired = countdown == 0 && fail_compare != 0;
    counts.fail_on = 0;
    countdown = 0;
    while (auto r = q->try_get())
        taken.insert(*r);
    while (q->unfinished_tasks() != 0)
        q->task_done();
    q->shutdown();
    ctx.restart();
    ctx.poll();

    BOOST_TEST(fired == (alloc_fired || compare_fired));
    BOOST_TEST(accepted == taken, "items accepted and items taken differ");
    for (auto [id, n] : calls)
        BOOST_TEST(n == 1, "handler " << id << " ran " << n << " times");
    for (int id : started)
        BOOST_TEST(calls.count(id) == 1u, "handler " << id << " never ran");
    for (auto [id, n] : calls)
        BOOST_TEST(started.count(id) == 1u,
                   "handler " << id << " ran, though its initiation threw");
    q.reset();
    ctx.restart();
    ctx.poll();
    BOOST_TEST(counts.allocations == counts.deallocations);
    return fired;
}

template <class Queue>
void sweep_faults(bool comparisons)
{
    // Without a fault the script runs clean; then every allocation, and
    // every comparison, fails in turn until the script has none left.
    BOOST_TEST(!run_faulted_script<Queue>(0, 0));
    std::size_t n = 1;
    while (run_faulted_script<Queue>(n, 0))
        ++n;
    BOOST_TEST(n > 10u, "the script made only " << n - 1 << " allocations");
    BOOST_TEST_MESSAGE(n - 1 << " allocations failed in turn");
    if (!comparisons)
        return;
    int k = 1;
    while (run_faulted_script<Queue>(0, k))
        ++k;
    BOOST_TEST(k > 5, "the script made only " << k - 1 << " comparisons");
}

BOOST_AUTO_TEST_CASE(every_failed_allocation_leaves_every_queue_as_it_was)
{
    sweep_faults<muster::queue<int>>(false);
    sweep_faults<muster::lifo_queue<int>>(false);
    sweep_faults<muster::concurrent_queue<int>>(false);
}

BOOST_AUTO_TEST_CASE(every_throwing_comparison_leaves_the_priority_queue_as_it_was)
{
    sweep_faults<checked_priority_queue>(true);
    sweep_faults<concurrent_checked_priority_queue>(true);
}

BOOST_FIXTURE_TEST_CASE(a_throwing_comparator_neither_loses_nor_reorders_items,
                        io_fixture)
{
    // Many items, a comparison failing every so often: the heap stays a heap.
    int countdown = 0;
    checked_priority_queue q(ctx, 0, throwing_less{&countdown});
    std::mt19937 rng(7);
    std::multiset<int> in;
    std::vector<int> out;
    for (int i = 0; i != 2000; ++i)
    {
        countdown = static_cast<int>(rng() % 13);
        int v = static_cast<int>(rng() % 500);
        try
        {
            if (rng() % 3 != 0)
            {
                q.put_nowait(v);
                in.insert(v);
            }
            else if (q.size() != 0)
            {
                out.push_back(q.get_nowait());
                // What came out sorts no later than what is next.
                countdown = 0;
                if (q.size() != 0)
                {
                    int next = q.get_nowait();
                    BOOST_TEST(out.back() <= next);
                    q.put_nowait(next);
                }
            }
        }
        catch (const std::runtime_error&)
        {
        }
    }
    countdown = 0;
    std::vector<int> rest;
    while (q.size() != 0)
        rest.push_back(q.get_nowait());
    BOOST_TEST(std::is_sorted(rest.begin(), rest.end()));
    std::multiset<int> all(out.begin(), out.end());
    all.insert(rest.begin(), rest.end());
    BOOST_TEST((all == in));
}

// ---- lifetime ---------------------------------------------------------------

template <class Queue>
void check_context_destroys_a_coroutine_waiting_on_its_own_queue()
{
    bool destroyed = false;
    {
        asio::io_context ctx;
        asio::co_spawn(
            ctx,
            [&]() -> asio::awaitable<void>
            {
                muster_test::frame_guard guard{destroyed};
                Queue q(co_await asio::this_coro::executor, 1);
                co_await q.put(std::make_unique<int>(1));
                co_await q.async_join(asio::use_awaitable); // never: no task_done
            },
            asio::detached);
        ctx.poll();
        BOOST_TEST(!destroyed);
    }
    // frame -> queue -> waiting join -> handler -> frame: the context's
    // shutdown breaks the cycle, so the frame, the queue and its item are
    // freed (LeakSanitizer checks the rest).
    BOOST_TEST(destroyed);
}

BOOST_AUTO_TEST_CASE(destroying_the_context_destroys_a_coroutine_waiting_on_its_own_queue)
{
    check_context_destroys_a_coroutine_waiting_on_its_own_queue<
        muster::queue<std::unique_ptr<int>>>();
    check_context_destroys_a_coroutine_waiting_on_its_own_queue<
        muster::concurrent_queue<std::unique_ptr<int>>>();
    check_context_destroys_a_coroutine_waiting_on_its_own_queue<
        muster::priority_queue<std::unique_ptr<int>, std::less<>>>();
}

BOOST_AUTO_TEST_CASE(a_queue_outliving_its_context_is_still_destroyed_cleanly)
{
    std::optional<asio::io_context> ctx(std::in_place);
    std::optional<muster::queue<int>> q(std::in_place, *ctx);
    int calls = 0;
    q->async_get([&](error_code, int) { ++calls; });
    ctx.reset(); // the waiting get is destroyed, uninvoked
    q.reset();
    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_SUITE_END()
