//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// event and barrier: asyncio.Event's and asyncio.Barrier's behaviour as
// CPython 3.13 shows it, adapted to posted completions, plus Asio's contract.

#include <boost/muster/barrier.hpp>
#include <boost/muster/event.hpp>

#include <muster_test/completion.hpp>
#include <muster_test/counting_allocator.hpp>
#include <muster_test/fixture.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;
using muster_test::cancellation_cases;
using muster_test::completion;
using muster_test::io_fixture;
using muster_test::spawn;
using done_completion = completion<error_code>;
using party_completion = completion<error_code, std::size_t>;

using events = std::tuple<muster::event, muster::concurrent_event>;
using barriers = std::tuple<muster::barrier, muster::concurrent_barrier>;

BOOST_AUTO_TEST_SUITE(event_)

BOOST_FIXTURE_TEST_CASE_TEMPLATE(set_wakes_every_waiter_and_clear_makes_later_ones_wait,
                                 Event, events, io_fixture)
{
    Event e(ex);
    BOOST_TEST(!e.is_set());
    done_completion a(ex), b(ex);
    a.initiate([&](auto h) { e.async_wait(std::move(h)); });
    b.initiate([&](auto h) { e.async_wait(std::move(h)); });
    poll();
    BOOST_TEST(!a.called());
    e.set();
    BOOST_TEST(e.is_set());
    done_completion after(ex);
    after.initiate([&](auto h) { e.async_wait(std::move(h)); }); // posted, not inline
    poll();
    BOOST_TEST(a.called());
    BOOST_TEST(b.called());
    BOOST_TEST(after.called());
    e.clear();
    done_completion later(ex);
    later.initiate([&](auto h) { e.async_wait(std::move(h)); });
    poll();
    BOOST_TEST(!later.called());
    e.set();
    poll();
    BOOST_TEST(!later.arg<0>());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(set_then_clear_before_anything_runs_still_wakes_all,
                                 Event, events, io_fixture)
{
    // CPython: set() then clear() in the same step completes every waiter
    // present at set() ([0, 1, 2], is_set False).
    Event e(ex);
    std::vector<int> got;
    for (int i = 0; i != 3; ++i)
        spawn(*this,
              [&, i]() -> asio::awaitable<void>
              {
                  co_await e.wait();
                  got.push_back(i);
              });
    poll();
    e.set();
    e.clear();
    poll();
    BOOST_TEST(got == (std::vector<int>{0, 1, 2}), boost::test_tools::per_element());
    BOOST_TEST(!e.is_set());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancelled_wait_ends_and_the_others_stay, Event, events,
                                 io_fixture)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            Event e(ex);
            asio::cancellation_signal sig;
            done_completion cancelled(ex), other(ex);
            cancelled.initiate(
                [&](auto h) {
                    e.async_wait(asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            other.initiate([&](auto h) { e.async_wait(std::move(h)); });
            sig.emit(cc.type);
            poll();
            bool honoured = cc.type != asio::cancellation_type::none;
            BOOST_TEST(cancelled.called() == honoured);
            BOOST_TEST(!other.called());
            e.set();
            poll();
            BOOST_TEST(other.called());
            if (honoured)
                BOOST_TEST((cancelled.arg<0>() == asio::error::operation_aborted));
            else
                BOOST_TEST(!cancelled.arg<0>());
        }
    }
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(the_coroutine_form_does_not_suspend_once_set, Event,
                                 events, io_fixture)
{
    Event e(ex);
    e.set();
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await e.wait();
              co_await e.wait();
              done = true;
          });
    BOOST_TEST(poll_one() == 1u);
    BOOST_TEST(done);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_wake_up_that_cannot_be_posted_loses_no_waiter, Event,
                                 events, io_fixture)
{
    // Several waiters share one posted completion; if it cannot be
    // allocated, each is posted alone.
    {
        Event e(ex);
        muster_test::allocation_counts counts;
        int calls = 0;
        e.async_wait(muster_test::failing_handler<error_code>(ctx, counts, calls));
        done_completion other(ex);
        other.initiate([&](auto h) { e.async_wait(std::move(h)); });
        counts.fail_on = counts.allocations + 1; // the shared post
        e.set();
        poll();
        BOOST_TEST(calls == 1);
        BOOST_TEST(other.called());
        BOOST_TEST(counts.allocations == counts.deallocations);
    }
    // A lone waiter whose completion cannot be posted is destroyed with its
    // handler, and set() reports it.
    {
        Event e(ex);
        muster_test::allocation_counts counts;
        int calls = 0;
        e.async_wait(muster_test::failing_handler<error_code>(ctx, counts, calls));
        counts.fail_on = counts.allocations + 1;
        BOOST_CHECK_THROW(e.set(), std::bad_alloc);
        poll();
        BOOST_TEST(calls == 0);
        BOOST_TEST(e.is_set());
        BOOST_TEST(counts.allocations == counts.deallocations);
    }
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(waiters_on_another_context_do_not_wait_for_this_one,
                                 Event, events, io_fixture)
{
    // Waiters of several execution contexts woken together: each context's
    // waiters complete when that context runs, whatever the others do.
    asio::io_context other_ctx;
    Event e(ex);
    int here = 0;
    bool there = false;
    e.async_wait([&](error_code) { ++here; }); // the first: its context's share a post
    e.async_wait(asio::bind_executor(other_ctx, [&](error_code) { there = true; }));
    e.async_wait([&](error_code) { ++here; });
    e.set();
    poll();
    BOOST_TEST(here == 2);
    BOOST_TEST(!there);
    other_ctx.run();
    BOOST_TEST(there);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_throwing_handler_on_a_strand_leaves_the_others_woken,
                                 Event, events, io_fixture)
{
    // Waiters on one strand complete inline from their shared post; one
    // that throws does not keep the others from running, and its exception
    // leaves run() as Asio's own handlers' do.
    Event e(ex);
    auto strand = asio::make_strand(ctx);
    int ran = 0;
    e.async_wait(asio::bind_executor(strand,
                                     [&](error_code)
                                     {
                                         ++ran;
                                         throw std::runtime_error("handler failed");
                                     }));
    e.async_wait(asio::bind_executor(strand, [&](error_code) { ++ran; }));
    e.async_wait(asio::bind_executor(strand, [&](error_code) { ++ran; }));
    e.set();
    BOOST_CHECK_THROW(poll(), std::runtime_error);
    poll();
    BOOST_TEST(ran == 3);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(tokens_and_destruction, Event, events, io_fixture)
{
    done_completion aborted(ex);
    {
        Event e(ex);
        std::future<void> f = e.async_wait(asio::use_future);
        auto d = e.async_wait(asio::deferred);
        bool ran = false;
        std::move(d)([&](error_code ec) { ran = !ec; });
        e.set();
        poll();
        f.get();
        BOOST_TEST(ran);
        e.clear();
        aborted.initiate([&](auto h) { e.async_wait(std::move(h)); });
    }
    poll();
    BOOST_TEST((aborted.arg<0>() == asio::error::operation_aborted));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(barrier_)

BOOST_FIXTURE_TEST_CASE_TEMPLATE(parties_pass_together_with_their_arrival_index, Barrier,
                                 barriers, io_fixture)
{
    Barrier b(ex, 3);
    BOOST_TEST(b.parties() == 3u);
    party_completion p0(ex), p1(ex), p2(ex);
    p0.initiate([&](auto h) { b.async_wait(std::move(h)); });
    p1.initiate([&](auto h) { b.async_wait(std::move(h)); });
    BOOST_TEST(b.n_waiting() == 2u);
    poll();
    BOOST_TEST(!p0.called());
    p2.initiate([&](auto h) { b.async_wait(std::move(h)); });
    BOOST_TEST(b.n_waiting() == 0u);
    poll();
    BOOST_TEST(p0.arg<1>() == 0u);
    BOOST_TEST(p1.arg<1>() == 1u);
    BOOST_TEST(p2.arg<1>() == 2u);
    BOOST_TEST(!p0.arg<0>());
    BOOST_TEST(!p2.arg<0>());

    // It fills again; the last party's coroutine form returns without
    // suspending.
    std::vector<std::size_t> indices;
    for (int i = 0; i != 3; ++i)
        spawn(*this,
              [&]() -> asio::awaitable<void> { indices.push_back(co_await b.wait()); });
    BOOST_TEST(poll_one() == 1u);
    BOOST_TEST(poll_one() == 1u);
    BOOST_TEST(poll_one() == 1u);
    BOOST_TEST(indices == (std::vector<std::size_t>{2}),
               boost::test_tools::per_element());
    poll();
    BOOST_TEST(indices.size() == 3u);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancelled_party_leaves_and_indices_repeat, Barrier,
                                 barriers, io_fixture)
{
    // CPython: Barrier(3); a (0) and b (1) wait; a is cancelled, n_waiting
    // drops to 1 and the barrier is not broken; c gets 1, d gets 2.
    Barrier b(ex, 3);
    asio::cancellation_signal sig;
    party_completion a(ex), bb(ex), c(ex), d(ex);
    a.initiate([&](auto h)
               { b.async_wait(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    bb.initiate([&](auto h) { b.async_wait(std::move(h)); });
    BOOST_TEST(b.n_waiting() == 2u);
    sig.emit(asio::cancellation_type::terminal);
    BOOST_TEST(b.n_waiting() == 1u);
    BOOST_TEST(!b.broken());
    c.initiate([&](auto h) { b.async_wait(std::move(h)); });
    d.initiate([&](auto h) { b.async_wait(std::move(h)); });
    poll();
    BOOST_TEST((a.arg<0>() == asio::error::operation_aborted));
    BOOST_TEST(bb.arg<1>() == 1u);
    BOOST_TEST(c.arg<1>() == 1u);
    BOOST_TEST(d.arg<1>() == 2u);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(reset_breaks_the_waiters_and_leaves_it_usable, Barrier,
                                 barriers, io_fixture)
{
    // CPython: reset() fails the waiting party with BrokenBarrierError, the
    // barrier is not broken, n_waiting is 0, and it passes two later parties.
    Barrier b(ex, 2);
    party_completion x(ex), y(ex), z(ex);
    x.initiate([&](auto h) { b.async_wait(std::move(h)); });
    b.reset();
    BOOST_TEST(!b.broken());
    BOOST_TEST(b.n_waiting() == 0u);
    poll();
    BOOST_TEST((x.arg<0>() == muster::error::broken_barrier));
    y.initiate([&](auto h) { b.async_wait(std::move(h)); });
    z.initiate([&](auto h) { b.async_wait(std::move(h)); });
    poll();
    BOOST_TEST(y.arg<1>() == 0u);
    BOOST_TEST(z.arg<1>() == 1u);
    BOOST_TEST(!y.arg<0>());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(abort_breaks_every_current_and_later_wait, Barrier,
                                 barriers, io_fixture)
{
    Barrier b(ex, 3);
    party_completion now(ex), later(ex);
    now.initiate([&](auto h) { b.async_wait(std::move(h)); });
    b.abort();
    BOOST_TEST(b.broken());
    later.initiate([&](auto h) { b.async_wait(std::move(h)); });
    poll();
    BOOST_TEST((now.arg<0>() == muster::error::broken_barrier));
    BOOST_TEST((later.arg<0>() == muster::error::broken_barrier));
    bool threw = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              try
              {
                  co_await b.wait();
              }
              catch (const boost::system::system_error& e)
              {
                  threw = e.code() == muster::error::broken_barrier;
              }
          });
    poll();
    BOOST_TEST(threw);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(barrier_tokens, Barrier, barriers, io_fixture)
{
    Barrier b(ex, 2);
    std::size_t sum = 0;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              sum += co_await b.async_wait();
              sum += co_await b.async_wait(asio::use_awaitable);
              auto [ec, i] = co_await b.async_wait(asio::as_tuple(asio::deferred));
              BOOST_TEST(!ec);
              sum += i;
          });
    std::future<std::size_t> f = b.async_wait(asio::use_future);
    poll();
    b.async_wait(asio::detached);
    poll();
    b.async_wait(asio::deferred)([&](error_code ec, std::size_t i)
                                 { sum += ec ? 100 : i; });
    poll();
    // The future arrived first (0) and the coroutine second (1); then the
    // coroutine waited first twice (0, 0), and the deferred party was second.
    BOOST_TEST(f.get() == 0u);
    BOOST_TEST(sum == 1u + 0u + 0u + 1u);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_barrier_needs_a_party_and_destruction_aborts, Barrier,
                                 barriers, io_fixture)
{
    BOOST_CHECK_THROW(Barrier(ex, 0), std::invalid_argument);
    Barrier one(ex, 1);
    party_completion alone(ex);
    alone.initiate([&](auto h) { one.async_wait(std::move(h)); });
    poll();
    BOOST_TEST(alone.arg<1>() == 0u);
    party_completion aborted(ex);
    {
        Barrier b(ex, 2);
        aborted.initiate([&](auto h) { b.async_wait(std::move(h)); });
    }
    poll();
    BOOST_TEST((aborted.arg<0>() == asio::error::operation_aborted));
}

BOOST_AUTO_TEST_SUITE_END()
