//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// wait_for. Timeouts are either an hour (never reached) or a nanosecond
// (expired by the time the io_context is polled): no sleeps.

#include <boost/muster/gather.hpp>
#include <boost/muster/task.hpp>
#include <boost/muster/wait.hpp>
#include <boost/muster/wait_for.hpp>

#include <muster_test/completion.hpp>
#include <muster_test/coroutines.hpp>
#include <muster_test/counting_allocator.hpp>
#include <muster_test/fixture.hpp>
#include <muster_test/gate.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/promise.hpp>
#include <boost/asio/experimental/use_promise.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/version.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;
using muster_test::cancellation_cases;
using muster_test::code_of;
using muster_test::completion;
using muster_test::gate;
using muster_test::io_fixture;
using muster_test::is_aborted;
using muster_test::spawn;
using muster_test::value_after;
using muster_test::value_now;
using muster_test::what;
using std::chrono::hours;
using std::chrono::nanoseconds;
using task_t = muster::task<int>;
using result_t = muster::wait_result<task_t>;

namespace
{

asio::awaitable<int> fail_after(gate& g)
{
    return muster_test::fail_after(g, "task failed");
}

asio::awaitable<int> started(bool& flag)
{
    flag = true;
    co_return 1;
}

// Catches the cancellation and still produces a value.
asio::awaitable<int> stubborn(gate& g, int v)
{
    try
    {
        co_await g.wait();
    }
    catch (const boost::system::system_error&)
    {
    }
    co_return v;
}

// An operation that completes with (success, v), posted, whatever happens to
// its cancellation slot: like a queue get that found an item.
auto ready_value(asio::any_io_executor ex, int v)
{
    return asio::async_initiate<const asio::deferred_t&, void(error_code, int)>(
        [ex, v](auto h)
        {
            auto hex = asio::get_associated_executor(h, ex);
            asio::post(hex, [h = std::move(h), v]() mutable
                       { std::move(h)(error_code(), v); });
        },
        asio::deferred);
}

} // namespace

// ---- wait_for ------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(wait_for_)

BOOST_FIXTURE_TEST_CASE(coroutine_finishing_first_delivers_its_value, io_fixture)
{
    gate g(ex);
    completion<std::exception_ptr, int> c(ex);
    c.initiate([&](auto h)
               { muster::wait_for(value_after(g, 3), hours(1))(std::move(h)); });
    poll();
    BOOST_TEST(!c.called());
    g.open();
    poll();
    BOOST_TEST(!c.arg<0>());
    BOOST_TEST(c.arg<1>() == 3);
}

BOOST_FIXTURE_TEST_CASE(coroutine_timing_out_is_cancelled_and_awaited, io_fixture)
{
    std::vector<std::string> log;
    gate g(ex);
    auto child = [&]() -> asio::awaitable<int>
    {
        try
        {
            co_await g.wait();
        }
        catch (const boost::system::system_error&)
        {
            log.push_back("child aborted");
            throw;
        }
        co_return 1;
    };
    completion<std::exception_ptr, int> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::wait_for(asio::co_spawn(ex, child, asio::deferred),
                             nanoseconds(1))(asio::bind_executor(
                ex,
                [&log, h = std::move(h)](std::exception_ptr e, int v) mutable
                {
                    log.push_back("wait_for done");
                    std::move(h)(e, v);
                }));
        });
    poll();
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
    BOOST_TEST((log == std::vector<std::string>{"child aborted", "wait_for done"}));
}

BOOST_FIXTURE_TEST_CASE(co_await_throws_timed_out, io_fixture)
{
    gate g(ex);
    error_code ec;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              try
              {
                  co_await muster::wait_for(value_after(g, 1), nanoseconds(1));
              }
              catch (const boost::system::system_error& e)
              {
                  ec = e.code();
              }
          });
    poll();
    BOOST_TEST((ec == muster::error::timed_out));
}

BOOST_FIXTURE_TEST_CASE(a_value_that_arrives_despite_the_timeout_is_delivered, io_fixture)
{
    gate g(ex);
    completion<std::exception_ptr, int> c(ex);
    c.initiate([&](auto h)
               { muster::wait_for(stubborn(g, 42), nanoseconds(1))(std::move(h)); });
    poll();
    BOOST_TEST(!c.arg<0>());
    BOOST_TEST(c.arg<1>() == 42);
}

BOOST_FIXTURE_TEST_CASE(inner_and_timer_ready_in_the_same_poll, io_fixture)
{
    // Both are ready when poll() runs, in either order: the value wins.
    asio::steady_timer expired(ex, asio::steady_timer::time_point::min());
    completion<error_code> timer_wait(ex);
    timer_wait.initiate(
        [&](auto h) {
            muster::wait_for(expired.async_wait(asio::deferred),
                             nanoseconds(1))(std::move(h));
        });
    completion<error_code, int> ready(ex);
    ready.initiate(
        [&](auto h)
        { muster::wait_for(ready_value(ex, 9), nanoseconds(1))(std::move(h)); });
    completion<std::exception_ptr, int> coro(ex);
    coro.initiate([&](auto h)
                  { muster::wait_for(value_now(5), nanoseconds(1))(std::move(h)); });
    poll();
    BOOST_TEST(!timer_wait.arg<0>());
    BOOST_TEST(!ready.arg<0>());
    BOOST_TEST(ready.arg<1>() == 9);
    BOOST_TEST(!coro.arg<0>());
    BOOST_TEST(coro.arg<1>() == 5);
}

BOOST_FIXTURE_TEST_CASE(timer_wait_and_socket_read_time_out_as_error_codes, io_fixture)
{
    asio::steady_timer timer(ex, hours(1));
    muster_test::socket_pair sockets(ctx);
    char buf[8];
    completion<error_code> t(ex);
    t.initiate(
        [&](auto h) {
            muster::wait_for(timer.async_wait(asio::deferred),
                             nanoseconds(1))(std::move(h));
        });
    completion<error_code, std::size_t> r(ex);
    r.initiate(
        [&](auto h)
        {
            muster::wait_for(sockets.b.async_read_some(asio::buffer(buf), asio::deferred),
                             nanoseconds(1))(std::move(h));
        });
    poll();
    BOOST_TEST((t.arg<0>() == muster::error::timed_out));
    BOOST_TEST((r.arg<0>() == muster::error::timed_out));
    // The socket is usable afterwards: nothing was lost.
    asio::write(sockets.a, asio::buffer("hi", 2));
    completion<error_code, std::size_t> r2(ex);
    r2.initiate(
        [&](auto h)
        {
            muster::wait_for(sockets.b.async_read_some(asio::buffer(buf), asio::deferred),
                             hours(1))(std::move(h));
        });
    poll();
    BOOST_TEST(!r2.arg<0>());
    BOOST_TEST(r2.arg<1>() == 2u);
}

BOOST_FIXTURE_TEST_CASE(other_failures_are_delivered_as_is, io_fixture)
{
    gate g(ex);
    completion<std::exception_ptr, int> c(ex);
    c.initiate([&](auto h) { muster::wait_for(fail_after(g), hours(1))(std::move(h)); });
    g.open();
    poll();
    BOOST_TEST(what(c.arg<0>()) == "task failed");
}

BOOST_FIXTURE_TEST_CASE(zero_timeout_never_starts_a_coroutine, io_fixture)
{
    bool ran = false;
    completion<std::exception_ptr, int> c(ex);
    c.initiate([&](auto h) { muster::wait_for(started(ran), hours(0))(std::move(h)); });
    poll();
    BOOST_TEST(!ran);
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

BOOST_FIXTURE_TEST_CASE(zero_timeout_still_delivers_an_immediate_value, io_fixture)
{
    completion<error_code, int> c(ex);
    c.initiate([&](auto h)
               { muster::wait_for(ready_value(ex, 4), nanoseconds(-5))(std::move(h)); });
    poll();
    BOOST_TEST(!c.arg<0>());
    BOOST_TEST(c.arg<1>() == 4);
}

BOOST_FIXTURE_TEST_CASE(task_child_times_out_and_keeps_running, io_fixture)
{
    gate g(ex);
    auto t = muster::create_task(ex, value_after(g, 6));
    completion<std::exception_ptr, int> c(ex);
    c.initiate([&](auto h) { muster::wait_for(t, nanoseconds(1))(std::move(h)); });
    poll();
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
    BOOST_TEST(!t.done()); // only the wait was cancelled
    g.open();
    poll();
    BOOST_TEST(t.result() == 6);
}

BOOST_FIXTURE_TEST_CASE(cancellation_is_forwarded_to_the_inner_operation, io_fixture)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            asio::steady_timer timer(ex, hours(1));
            asio::cancellation_signal sig;
            completion<error_code> c(ex);
            c.initiate(
                [&](auto h)
                {
                    muster::wait_for(timer.async_wait(asio::deferred), hours(1))(
                        asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            if (cc.type == asio::cancellation_type::none)
            {
                BOOST_TEST(!c.called());
                timer.cancel();
                poll();
            }
            // The inner operation's own outcome: aborted, not timed out.
            BOOST_TEST((c.arg<0>() == asio::error::operation_aborted));
        }
    }
}

BOOST_FIXTURE_TEST_CASE(tokens, io_fixture)
{
    int a = 0, b = 0, d = 0;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              a = co_await muster::wait_for(value_now(1), hours(1));
              b = co_await muster::wait_for(value_now(2), hours(1))(asio::use_awaitable);
#if BOOST_ASIO_VERSION >= 102800 && BOOST_ASIO_VERSION < 102900
              // Asio 1.28 with g++ cannot give as_tuple(...) to a deferred
              // operation that holds a move-only argument (an awaitable): its
              // const& overload instantiates a constexpr constructor that
              // copies the argument, a hard error (see doc/design.adoc).
              int v = co_await muster::wait_for(value_now(3), hours(1));
#else
              auto [e, v] = co_await muster::wait_for(value_now(3), hours(1))(
                  asio::as_tuple(asio::deferred));
#endif
              d = v;
              error_code ec = asio::error::eof;
              auto [n] = co_await muster::wait_for(ready_value(ex, 7), hours(1))(
                  asio::redirect_error(asio::as_tuple(asio::use_awaitable), ec));
              BOOST_TEST(!ec);
              BOOST_TEST(n == 7);
          });
    std::future<int> f = muster::wait_for(ex, value_now(4), hours(1))(asio::use_future);
    muster::wait_for(ex, value_now(5), hours(1))(asio::detached);
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    muster_test::allocation_counts counts;
    completion<std::exception_ptr, int> bound(ex2);
    bound.initiate(
        [&](auto h)
        {
            muster::wait_for(value_now(6), hours(1))(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    auto p =
        muster::wait_for(ex, value_now(8), hours(1))(asio::experimental::use_promise);
    completion<std::exception_ptr, int> pc(ex);
    pc.initiate([&](auto h) { p(std::move(h)); });
    poll();
    BOOST_TEST(a == 1);
    BOOST_TEST(b == 2);
    BOOST_TEST(d == 3);
    BOOST_TEST(f.get() == 4);
    BOOST_TEST(bound.arg<1>() == 6);
    BOOST_TEST(counts.allocations >= 1u);
    BOOST_TEST(counts.allocations == counts.deallocations);
    BOOST_TEST(pc.arg<1>() == 8);
}

BOOST_FIXTURE_TEST_CASE(gather_of_wait_fors, io_fixture)
{
    gate g(ex);
    std::tuple<muster::result<int>, muster::result<int>> r;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              r = co_await muster::gather(
                  muster::return_exceptions, muster::wait_for(value_now(1), hours(1)),
                  muster::wait_for(value_after(g, 2), nanoseconds(1)));
          });
    poll();
    BOOST_TEST(std::get<0>(r).value() == 1);
    BOOST_TEST((code_of(std::get<1>(r).error()) == muster::error::timed_out));
}

BOOST_AUTO_TEST_CASE(run_returns_once_done_despite_a_long_timeout)
{
    // The deadline is shared and may stay armed; it must not keep run() going.
    asio::io_context ctx;
    int v = 0;
    muster::wait_for(ctx.get_executor(), value_now(3),
                     hours(1))([&](std::exception_ptr, int r) { v = r; });
    ctx.run(); // returns: a hang here fails the test by its time limit
    BOOST_TEST(v == 3);
}

BOOST_AUTO_TEST_CASE(many_deadlines_expire_in_order)
{
    // Short and long deadlines interleaved on the shared timer: the short ones
    // time out, the long ones are removed when their child completes. On the
    // io_context's own executor (the shared timer is then off the work count)
    // and on a wrapping executor (it is cancelled when no deadline is left).
    for (bool native : {true, false})
    {
        BOOST_TEST_CONTEXT("native executor: " << native)
        {
            asio::io_context ctx;
            asio::any_io_executor ex =
                native ? asio::any_io_executor(ctx.get_executor())
                       : asio::any_io_executor(
                             muster_test::tracking_executor(ctx.get_executor(), 1));
            constexpr int n = 20;
            std::vector<gate> gates;
            gates.reserve(n);
            std::vector<error_code> codes(n);
            std::vector<int> values(n, -1);
            for (int i = 0; i != n; ++i)
            {
                gates.emplace_back(ex);
                auto timeout =
                    i % 2 ? std::chrono::nanoseconds(hours(1)) : nanoseconds(i + 1);
                muster::wait_for(ex, value_after(gates.back(), i), timeout)(
                    [&, i](std::exception_ptr e, int v)
                    {
                        codes[i] = code_of(e);
                        values[i] = v;
                    });
            }
            ctx.poll();
            for (auto& g : gates)
                g.open();
            ctx.restart();
            ctx.poll();
            for (int i = 0; i != n; ++i)
            {
                BOOST_TEST_CONTEXT("wait_for #" << i)
                {
                    if (i % 2)
                        BOOST_TEST(values[i] == i);
                    else
                        BOOST_TEST((codes[i] == muster::error::timed_out));
                }
            }
            ctx.restart();
            ctx.poll();
            BOOST_TEST(ctx.stopped(), "the shared timer must not hold the context open");
        }
    }
}

BOOST_AUTO_TEST_CASE(destroying_the_context_mid_wait_for_leaks_nothing)
{
    bool invoked = false;
    {
        asio::io_context ctx;
        gate g(ctx.get_executor());
        muster::wait_for(ctx.get_executor(), value_after(g, 1),
                         hours(1))([&](std::exception_ptr, int) { invoked = true; });
        ctx.poll();
    }
    BOOST_TEST(!invoked);
}

BOOST_FIXTURE_TEST_CASE(the_longest_timeouts_never_expire, io_fixture)
{
    // duration::max() and hours::max() saturate instead of overflowing.
    gate g(ex);
    completion<std::exception_ptr, int> a(ex), b(ex);
    a.initiate(
        [&](auto h)
        {
            muster::wait_for(value_after(g, 5),
                             std::chrono::steady_clock::duration::max())(std::move(h));
        });
    b.initiate([&](auto h)
               { muster::wait_for(value_after(g, 6), hours::max())(std::move(h)); });
    poll();
    BOOST_TEST(!a.called());
    BOOST_TEST(!b.called());
    g.open();
    drain();
    BOOST_TEST(!a.arg<0>());
    BOOST_TEST(a.arg<1>() == 5);
    BOOST_TEST(b.arg<1>() == 6);
}

BOOST_FIXTURE_TEST_CASE(the_handlers_allocator_reaches_the_deadline_and_child, io_fixture)
{
    // The child here is a timer wait: its operation is allocated by Asio
    // through the handler wait_for gives it, which carries the allocator.
    muster_test::allocation_counts counts;
    asio::steady_timer t(ctx, hours(1));
    completion<error_code> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::wait_for(t.async_wait(asio::deferred), nanoseconds(1))(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     std::move(h)));
        });
    drain();
    BOOST_TEST((c.arg<0>() == muster::error::timed_out));
    // wait_for's state and the timer's operation at least.
    BOOST_TEST(counts.allocations >= 2u);
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE(timeouts_of_any_representation, io_fixture)
{
    // An unsigned count of milliseconds (an hour) does not time out at once,
    // and a negative timeout times out at once without overflowing.
    gate g(ex);
    completion<std::exception_ptr, int> hour(ex), negative(ex);
    hour.initiate(
        [&](auto h)
        {
            muster::wait_for(value_after(g, 1),
                             std::chrono::duration<unsigned long, std::milli>(3'600'000))(
                std::move(h));
        });
    negative.initiate(
        [&](auto h)
        {
            muster::wait_for(value_after(g, 2),
                             std::chrono::steady_clock::duration::min())(std::move(h));
        });
    drain();
    BOOST_TEST(!hour.called());
    BOOST_TEST((code_of(negative.arg<0>()) == muster::error::timed_out));
    g.open();
    drain();
    BOOST_TEST(hour.arg<1>() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
