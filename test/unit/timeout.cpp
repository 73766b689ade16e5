//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Timeout scopes (asyncio.timeout / timeout_at, Trio's fail_after /
// move_on_after), with the behaviour CPython 3.13 shows for each case named
// "CPython 3.13". Deadlines are an hour away (never reached), already past,
// or a nanosecond away (expired by the time the io_context is polled): no
// sleeps.

#include <boost/muster/shield.hpp>
#include <boost/muster/task.hpp>
#include <boost/muster/timeout.hpp>

#include <muster_test/completion.hpp>
#include <muster_test/coroutines.hpp>
#include <muster_test/counting_allocator.hpp>
#include <muster_test/fixture.hpp>
#include <muster_test/gate.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/promise.hpp>
#include <boost/asio/experimental/use_promise.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;
using muster::timeout_scope;
using muster_test::cancellation_cases;
using muster_test::code_of;
using muster_test::completion;
using muster_test::gate;
using muster_test::io_fixture;
using muster_test::is_aborted;
using muster_test::spawn;
using muster_test::what;
using std::chrono::hours;
using std::chrono::nanoseconds;
using clock_type = timeout_scope::clock;

namespace
{

// The deadlines a test runs with: none is ever reached by accident.
const clock_type::time_point past = clock_type::time_point::min();
const clock_type::time_point never = clock_type::time_point::max();

std::size_t deadlines_pending(asio::io_context& ctx)
{
    return asio::use_service<muster::detail::deadline_service>(ctx).size();
}

} // namespace

BOOST_AUTO_TEST_SUITE(timeout_scope_suite)

BOOST_FIXTURE_TEST_CASE(a_body_finishing_first_delivers_its_value, io_fixture)
{
    gate g(ex);
    completion<std::exception_ptr, int> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& s) -> asio::awaitable<int>
                               {
                                   BOOST_TEST((s.deadline() != never));
                                   co_await g.wait();
                                   co_return 7;
                               })(std::move(h));
        });
    poll();
    BOOST_TEST(!c.called());
    BOOST_TEST(deadlines_pending(ctx) == 1u);
    g.open();
    poll();
    BOOST_TEST(!c.arg<0>());
    BOOST_TEST(c.arg<1>() == 7);
    BOOST_TEST(deadlines_pending(ctx) == 0u, "the deadline is removed with the body");
}

// CPython 3.13: inside `async with timeout(...) as cm`, cm.expired() is
// already true in the handler of the CancelledError, and the block then
// raises TimeoutError.
BOOST_FIXTURE_TEST_CASE(expired_is_true_inside_the_body_the_moment_it_fires, io_fixture)
{
    gate g(ex);
    std::vector<std::string> log;
    error_code ec;
    bool expired_after = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              try
              {
                  co_await muster::fail_after(
                      nanoseconds(1),
                      [&](timeout_scope& s) -> asio::awaitable<void>
                      {
                          try
                          {
                              co_await g.wait();
                          }
                          catch (const boost::system::system_error&)
                          {
                              log.push_back(s.expired() ? "cancelled, expired"
                                                        : "cancelled, not expired");
                              throw;
                          }
                      });
              }
              catch (const boost::system::system_error& e)
              {
                  ec = e.code();
              }
              expired_after = true;
          });
    poll();
    BOOST_TEST((log == std::vector<std::string>{"cancelled, expired"}));
    BOOST_TEST((ec == muster::error::timed_out));
    BOOST_TEST((ec == std::errc::timed_out));
    BOOST_TEST(expired_after);
}

// CPython 3.13: cm.reschedule(loop.time() - 1) does not fire at once
// (expired() is still false on the next line) but at the next await.
BOOST_FIXTURE_TEST_CASE(rescheduling_into_the_past_fires_at_the_next_await, io_fixture)
{
    std::vector<std::string> log;
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& s) -> asio::awaitable<void>
                               {
                                   auto ex = co_await asio::this_coro::executor;
                                   s.reschedule(past);
                                   log.push_back(s.expired() ? "expired at once"
                                                             : "not expired yet");
                                   asio::steady_timer t(ex, hours(1));
                                   co_await t.async_wait(asio::use_awaitable);
                                   log.push_back("not reached");
                               })(std::move(h));
        });
    poll();
    BOOST_TEST((log == std::vector<std::string>{"not expired yet"}));
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

// CPython 3.13: timeout(0) runs the block up to its first await, then times
// it out.
BOOST_FIXTURE_TEST_CASE(a_zero_timeout_runs_the_body_to_its_first_await, io_fixture)
{
    for (auto timeout : {hours(0), hours(-1)})
    {
        std::vector<std::string> log;
        gate g(ex);
        completion<std::exception_ptr> c(ex);
        c.initiate(
            [&](auto h)
            {
                muster::fail_after(timeout,
                                   [&]() -> asio::awaitable<void>
                                   {
                                       log.push_back("body starts");
                                       co_await g.wait();
                                       log.push_back("not reached");
                                   })(std::move(h));
            });
        poll();
        BOOST_TEST((log == std::vector<std::string>{"body starts"}));
        BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
    }
}

// CPython 3.13: timeout(0) around `await sleep(0)` raises TimeoutError. In
// Asio a post cannot be cancelled, so the expiry takes effect at the next
// await after it: a past deadline is posted at once, ahead of the body's
// own steps, rather than after a pass of the shared timer.
BOOST_FIXTURE_TEST_CASE(a_past_deadline_expires_before_the_bodys_next_step, io_fixture)
{
    std::vector<std::string> log;
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_at(past,
                            [&]() -> asio::awaitable<void>
                            {
                                auto ex = co_await asio::this_coro::executor;
                                co_await asio::post(ex, asio::use_awaitable);
                                log.push_back("after one step");
                                co_await asio::post(ex, asio::use_awaitable);
                                log.push_back("not reached");
                            })(std::move(h));
        });
    poll();
    BOOST_TEST((log == std::vector<std::string>{"after one step"}));
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

// CPython 3.13: when an outer timeout fires, the inner block ends with
// CancelledError, the inner cm reports expired() false, and the outer raises
// TimeoutError.
BOOST_FIXTURE_TEST_CASE(an_outer_expiry_ends_the_inner_scope_as_a_cancellation,
                        io_fixture)
{
    gate g(ex);
    timeout_scope* inner = nullptr;
    bool inner_expired = true;
    std::exception_ptr inner_error;
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(nanoseconds(1),
                               [&](timeout_scope& outer) -> asio::awaitable<void>
                               {
                                   try
                                   {
                                       co_await muster::fail_after(
                                           hours(1),
                                           [&](timeout_scope& s) -> asio::awaitable<void>
                                           {
                                               inner = &s;
                                               try
                                               {
                                                   co_await g.wait();
                                               }
                                               catch (...)
                                               {
                                                   inner_expired = s.expired();
                                                   throw;
                                               }
                                           });
                                   }
                                   catch (...)
                                   {
                                       inner_error = std::current_exception();
                                       BOOST_TEST(outer.expired());
                                       throw;
                                   }
                               })(std::move(h));
        });
    poll();
    BOOST_TEST(inner != nullptr);
    BOOST_TEST(!inner_expired);
    BOOST_TEST(is_aborted(inner_error), what(inner_error));
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

// CPython 3.13: an inner and an outer timeout firing together: the inner
// reports expired() true yet re-raises CancelledError, since the outer one
// cancelled too; the outer raises TimeoutError.
BOOST_FIXTURE_TEST_CASE(inner_and_outer_expiring_together_report_the_outer, io_fixture)
{
    gate g(ex);
    std::exception_ptr inner_error;
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_at(past,
                            [&]() -> asio::awaitable<void>
                            {
                                try
                                {
                                    co_await muster::fail_at(past,
                                                             [&]() { return g.wait(); });
                                }
                                catch (...)
                                {
                                    inner_error = std::current_exception();
                                    throw;
                                }
                            })(std::move(h));
        });
    poll();
    // Either scope may fire first; when the outer one is among them, the
    // inner ends with the cancellation, never with timed_out.
    BOOST_TEST(is_aborted(inner_error), what(inner_error));
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

// CPython 3.13: an inner TimeoutError handled inside the outer block; the
// outer block then completes, with expired() false.
BOOST_FIXTURE_TEST_CASE(an_inner_timeout_handled_inside_the_outer_scope, io_fixture)
{
    gate g(ex);
    bool inner_expired = false;
    bool outer_expired = true;
    completion<std::exception_ptr, int> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& outer) -> asio::awaitable<int>
                               {
                                   try
                                   {
                                       co_await muster::fail_after(
                                           nanoseconds(1),
                                           [&](timeout_scope& s) -> asio::awaitable<void>
                                           {
                                               try
                                               {
                                                   co_await g.wait();
                                               }
                                               catch (...)
                                               {
                                                   inner_expired = s.expired();
                                                   throw;
                                               }
                                           });
                                   }
                                   catch (const boost::system::system_error& e)
                                   {
                                       BOOST_TEST((e.code() == muster::error::timed_out));
                                   }
                                   co_await asio::post(co_await asio::this_coro::executor,
                                                       asio::use_awaitable);
                                   outer_expired = outer.expired();
                                   co_return 5;
                               })(std::move(h));
        });
    poll();
    BOOST_TEST(inner_expired);
    BOOST_TEST(!outer_expired);
    BOOST_TEST(!c.arg<0>());
    BOOST_TEST(c.arg<1>() == 5);
}

// CPython 3.13: an inner deadline later than the outer one does not extend
// it; the outer fires at its own time.
BOOST_FIXTURE_TEST_CASE(an_inner_deadline_never_extends_an_outer_one, io_fixture)
{
    gate g(ex);
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(nanoseconds(1),
                               [&]() -> asio::awaitable<void> {
                                   co_await muster::fail_at(never,
                                                            [&]() { return g.wait(); });
                               })(std::move(h));
        });
    poll();
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

// CPython 3.13: a shielded operation inside a timeout block that fires
// keeps running and completes; the block raises TimeoutError at once.
BOOST_FIXTURE_TEST_CASE(a_shielded_operation_inside_a_fired_scope_runs_on, io_fixture)
{
    gate g(ex);
    auto work = muster::create_task(ex, muster_test::value_after(g, 5));
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(nanoseconds(1),
                               [&]() -> asio::awaitable<void>
                               { co_await muster::shield(work); })(std::move(h));
        });
    poll();
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
    BOOST_TEST(!work.done());
    g.open();
    poll();
    BOOST_TEST(work.result() == 5);
}

// CPython 3.13: task.cancel() from outside a block with a long timeout
// raises CancelledError, not TimeoutError.
BOOST_FIXTURE_TEST_CASE(a_cancellation_from_outside_is_not_a_timeout, io_fixture)
{
    gate g(ex);
    asio::cancellation_signal sig;
    bool expired = true;
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& s) -> asio::awaitable<void>
                               {
                                   try
                                   {
                                       co_await g.wait();
                                   }
                                   catch (...)
                                   {
                                       expired = s.expired();
                                       throw;
                                   }
                               })(asio::bind_cancellation_slot(sig.slot(), std::move(h)));
        });
    poll();
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(!expired);
    BOOST_TEST(is_aborted(c.arg<0>()), what(c.arg<0>()));
}

BOOST_FIXTURE_TEST_CASE(an_outside_cancellation_wins_over_a_later_expiry, io_fixture)
{
    // Cancelled from outside, and then the deadline passes while the body
    // still cleans up: the outcome stays the cancellation.
    gate g(ex), cleanup(ex);
    asio::cancellation_signal sig;
    bool expired = false;
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& s) -> asio::awaitable<void>
                               {
                                   try
                                   {
                                       co_await g.wait();
                                   }
                                   catch (...)
                                   {
                                   }
                                   // Clean-up that awaits: the coroutine
                                   // takes cancellations anew.
                                   co_await asio::this_coro::reset_cancellation_state();
                                   s.reschedule(past);
                                   try
                                   {
                                       co_await cleanup.wait(); // cut by the expiry
                                   }
                                   catch (...)
                                   {
                                       expired = s.expired();
                                       throw;
                                   }
                               })(asio::bind_cancellation_slot(sig.slot(), std::move(h)));
        });
    poll();
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(expired, "the expiry is what ended the clean-up");
    BOOST_TEST(is_aborted(c.arg<0>()), what(c.arg<0>()));
}

BOOST_FIXTURE_TEST_CASE(an_outside_cancellation_the_body_ignores_hides_no_expiry,
                        io_fixture)
{
    // A coroutine honours terminal cancellation only: a partial one from
    // outside changes nothing, and the expiry that follows is a timeout.
    gate g(ex);
    asio::cancellation_signal sig;
    timeout_scope* scope = nullptr;
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& s) -> asio::awaitable<void>
                               {
                                   scope = &s;
                                   co_await g.wait();
                               })(asio::bind_cancellation_slot(sig.slot(), std::move(h)));
        });
    poll();
    sig.emit(asio::cancellation_type::partial);
    poll();
    BOOST_TEST(!c.called());
    BOOST_TEST_REQUIRE(scope != nullptr);
    scope->reschedule(past);
    poll();
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

BOOST_FIXTURE_TEST_CASE(every_cancellation_type_reaches_the_body, io_fixture)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            gate g(ex);
            asio::cancellation_signal sig;
            asio::cancellation_type_t seen = asio::cancellation_type::none;
            completion<std::exception_ptr, int> c(ex);
            c.initiate(
                [&](auto h)
                {
                    muster::fail_after(
                        hours(1),
                        [&]() -> asio::awaitable<int>
                        {
                            // A body that accepts every type sees the one
                            // emitted.
                            co_await asio::this_coro::reset_cancellation_state(
                                asio::enable_total_cancellation());
                            try
                            {
                                co_await g.wait();
                            }
                            catch (const boost::system::system_error&)
                            {
                            }
                            asio::cancellation_state state =
                                co_await asio::this_coro::cancellation_state;
                            seen = state.cancelled();
                            co_return 1;
                        })(asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            if (cc.type == asio::cancellation_type::none)
            {
                BOOST_TEST(!c.called());
                g.open();
                poll();
                BOOST_TEST(c.arg<1>() == 1);
            }
            else
            {
                // The body caught the cancellation and returned, having
                // seen its type.
                BOOST_TEST(!c.arg<0>());
                BOOST_TEST((seen == cc.type));
            }
        }
    }
}

// CPython 3.13: a block that swallows the CancelledError of its expiry ends
// normally; cm.expired() is true.
BOOST_FIXTURE_TEST_CASE(a_body_that_swallows_the_expiry_delivers_its_value, io_fixture)
{
    gate g(ex);
    bool expired = false;
    completion<std::exception_ptr, int> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(nanoseconds(1),
                               [&](timeout_scope& s) -> asio::awaitable<int>
                               {
                                   try
                                   {
                                       auto ex = co_await asio::this_coro::executor;
                                       asio::steady_timer t(ex, hours(1));
                                       co_await t.async_wait(asio::use_awaitable);
                                   }
                                   catch (const boost::system::system_error&)
                                   {
                                   }
                                   expired = s.expired();
                                   co_return 9;
                               })(std::move(h));
        });
    poll();
    BOOST_TEST(expired);
    BOOST_TEST(!c.arg<0>());
    BOOST_TEST(c.arg<1>() == 9);
}

// CPython 3.13: another exception raised after the expiry propagates as is.
BOOST_FIXTURE_TEST_CASE(another_failure_after_the_expiry_is_delivered_as_is, io_fixture)
{
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(nanoseconds(1),
                               [&]() -> asio::awaitable<void>
                               {
                                   try
                                   {
                                       auto ex = co_await asio::this_coro::executor;
                                       asio::steady_timer t(ex, hours(1));
                                       co_await t.async_wait(asio::use_awaitable);
                                   }
                                   catch (const boost::system::system_error&)
                                   {
                                       throw std::runtime_error("boom");
                                   }
                               })(std::move(h));
        });
    poll();
    BOOST_TEST(what(c.arg<0>()) == "boom");
}

// CPython 3.13: cm.reschedule() while the timeout is expiring raises
// RuntimeError("Cannot change state of expiring Timeout").
BOOST_FIXTURE_TEST_CASE(rescheduling_an_expired_scope_is_an_error, io_fixture)
{
    error_code ec;
    clock_type::time_point kept{};
    completion<std::exception_ptr> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(nanoseconds(1),
                               [&](timeout_scope& s) -> asio::awaitable<void>
                               {
                                   try
                                   {
                                       auto ex = co_await asio::this_coro::executor;
                                       asio::steady_timer t(ex, hours(1));
                                       co_await t.async_wait(asio::use_awaitable);
                                   }
                                   catch (const boost::system::system_error&)
                                   {
                                       auto before = s.deadline();
                                       try
                                       {
                                           s.reschedule(never);
                                       }
                                       catch (const boost::system::system_error& e)
                                       {
                                           ec = e.code();
                                       }
                                       kept = s.deadline() == before
                                                  ? before
                                                  : clock_type::time_point{};
                                       throw;
                                   }
                               })(std::move(h));
        });
    poll();
    BOOST_TEST((ec == muster::error::scope_expired));
    BOOST_TEST((kept != clock_type::time_point{}), "the deadline is unchanged");
    BOOST_TEST((code_of(c.arg<0>()) == muster::error::timed_out));
}

// CPython 3.13: timeout(None).when() is None; reschedule(t) sets it, and
// reschedule(None) removes it again, so the block never times out.
BOOST_FIXTURE_TEST_CASE(a_deadline_can_be_set_and_removed, io_fixture)
{
    gate g(ex);
    std::vector<bool> had_deadline;
    completion<std::exception_ptr, int> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_at(never,
                            [&](timeout_scope& s) -> asio::awaitable<int>
                            {
                                had_deadline.push_back(s.deadline() != never);
                                s.reschedule_after(nanoseconds(1));
                                had_deadline.push_back(s.deadline() != never);
                                s.reschedule(never);
                                had_deadline.push_back(s.deadline() != never);
                                co_await g.wait();
                                co_return 3;
                            })(std::move(h));
        });
    poll();
    BOOST_TEST((had_deadline == std::vector<bool>{false, true, false}));
    BOOST_TEST(!c.called());
    BOOST_TEST(deadlines_pending(ctx) == 0u);
    g.open();
    poll();
    BOOST_TEST(c.arg<1>() == 3);
}

BOOST_FIXTURE_TEST_CASE(a_deadline_moved_later_and_earlier, io_fixture)
{
    gate g(ex);
    completion<std::exception_ptr> later(ex), earlier(ex);
    later.initiate(
        [&](auto h)
        {
            muster::fail_after(nanoseconds(1),
                               [&](timeout_scope& s) -> asio::awaitable<void>
                               {
                                   s.reschedule_after(hours(1));
                                   co_await g.wait();
                               })(std::move(h));
        });
    earlier.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& s) -> asio::awaitable<void>
                               {
                                   s.reschedule_after(nanoseconds(1));
                                   co_await g.wait();
                               })(std::move(h));
        });
    poll();
    BOOST_TEST(!later.called());
    BOOST_TEST((code_of(earlier.arg<0>()) == muster::error::timed_out));
    g.open();
    poll();
    BOOST_TEST(!later.arg<0>());
}

BOOST_FIXTURE_TEST_CASE(a_reschedule_while_the_expiry_is_posted_wins, io_fixture)
{
    // A deadline moved into the past has its expiry posted at once; moving
    // it again before that expiry runs still counts, as cancelling a due
    // asyncio handle does.
    gate g(ex);
    bool expired_meanwhile = true;
    completion<std::exception_ptr, int> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1),
                               [&](timeout_scope& s) -> asio::awaitable<int>
                               {
                                   s.reschedule(past);
                                   s.reschedule_after(hours(1));
                                   co_await asio::post(co_await asio::this_coro::executor,
                                                       asio::use_awaitable);
                                   expired_meanwhile = s.expired();
                                   co_await g.wait();
                                   co_return 4;
                               })(std::move(h));
        });
    poll();
    BOOST_TEST(!expired_meanwhile);
    BOOST_TEST(!c.called());
    BOOST_TEST(deadlines_pending(ctx) == 1u, "re-armed for the new deadline");
    g.open();
    poll();
    BOOST_TEST(c.arg<1>() == 4);
}

BOOST_FIXTURE_TEST_CASE(move_on_reports_whether_the_body_ran_to_its_end, io_fixture)
{
    gate g(ex);
    completion<std::exception_ptr, std::optional<int>> value(ex), cut(ex);
    completion<std::exception_ptr, bool> ran(ex), moved(ex);
    completion<std::exception_ptr, std::optional<int>> failed(ex);
    value.initiate(
        [&](auto h)
        {
            muster::move_on_after(
                hours(1), [&]() -> asio::awaitable<int> { co_return 1; })(std::move(h));
        });
    cut.initiate(
        [&](auto h)
        {
            muster::move_on_after(nanoseconds(1),
                                  [&]() -> asio::awaitable<int>
                                  {
                                      co_await g.wait();
                                      co_return 2;
                                  })(std::move(h));
        });
    ran.initiate(
        [&](auto h)
        {
            muster::move_on_at(never, [&]() -> asio::awaitable<void> { co_return; })(
                std::move(h));
        });
    moved.initiate(
        [&](auto h)
        {
            muster::move_on_at(past,
                               [&]() -> asio::awaitable<void>
                               { co_await g.wait(); })(std::move(h));
        });
    failed.initiate(
        [&](auto h)
        {
            muster::move_on_after(hours(1),
                                  [&]() -> asio::awaitable<int>
                                  {
                                      throw std::runtime_error("failed");
                                      co_return 3;
                                  })(std::move(h));
        });
    poll();
    BOOST_TEST(!value.arg<0>());
    BOOST_TEST((value.arg<1>() == std::optional<int>(1)));
    BOOST_TEST(!cut.arg<0>());
    BOOST_TEST(!cut.arg<1>().has_value());
    BOOST_TEST(!ran.arg<0>());
    BOOST_TEST(ran.arg<1>());
    BOOST_TEST(!moved.arg<0>());
    BOOST_TEST(!moved.arg<1>());
    BOOST_TEST(what(failed.arg<0>()) == "failed");
    BOOST_TEST(!failed.arg<1>().has_value());
}

BOOST_FIXTURE_TEST_CASE(move_on_passes_an_outside_cancellation_on, io_fixture)
{
    gate g(ex);
    asio::cancellation_signal sig;
    completion<std::exception_ptr, bool> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::move_on_after(hours(1),
                                  [&]() -> asio::awaitable<void>
                                  {
                                      auto ex = co_await asio::this_coro::executor;
                                      asio::steady_timer t(ex, hours(1));
                                      co_await t.async_wait(asio::use_awaitable);
                                  })(
                asio::bind_cancellation_slot(sig.slot(), std::move(h)));
        });
    poll();
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(is_aborted(c.arg<0>()), what(c.arg<0>()));
}

BOOST_FIXTURE_TEST_CASE(never_inline_even_for_a_body_that_does_not_suspend, io_fixture)
{
    completion<std::exception_ptr, int> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1), [&]() -> asio::awaitable<int> { co_return 2; })(
                std::move(h));
        });
    BOOST_TEST(!c.called());
    poll();
    BOOST_TEST(c.arg<1>() == 2);
}

BOOST_FIXTURE_TEST_CASE(tokens, io_fixture)
{
    int a = 0, b = 0, d = 0;
    std::optional<int> m;
    auto one = []() -> asio::awaitable<int> { co_return 1; };
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              a = co_await muster::fail_after(hours(1), one);
              b = co_await muster::fail_after(hours(1), one)(asio::use_awaitable);
              auto [e, v] = co_await muster::fail_after(hours(1), one)(
                  asio::as_tuple(asio::deferred));
              d = v + 2;
              m = co_await muster::move_on_after(hours(1), one);
          });
    std::future<int> f = muster::fail_after(ex, hours(1), one)(asio::use_future);
    muster::fail_at(ex, never, one)(asio::detached);
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    muster_test::allocation_counts counts;
    completion<std::exception_ptr, int> bound(ex2);
    bound.initiate(
        [&](auto h)
        {
            muster::fail_after(hours(1), one)(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    auto p = muster::move_on_at(ex, never, one)(asio::experimental::use_promise);
    completion<std::exception_ptr, std::optional<int>> pc(ex);
    pc.initiate([&](auto h) { p(std::move(h)); });
    poll();
    BOOST_TEST(a == 1);
    BOOST_TEST(b == 1);
    BOOST_TEST(d == 3);
    BOOST_TEST((m == std::optional<int>(1)));
    BOOST_TEST(f.get() == 1);
    BOOST_TEST(bound.arg<1>() == 1);
    BOOST_TEST(counts.allocations >= 1u);
    BOOST_TEST(counts.allocations == counts.deallocations);
    BOOST_TEST((pc.arg<1>() == std::optional<int>(1)));
}

BOOST_FIXTURE_TEST_CASE(the_body_keeps_its_captures_for_the_coroutine, io_fixture)
{
    // A temporary lambda with captures by value: the scope keeps it alive
    // until the coroutine it made has completed (ASan checks the reads).
    gate g(ex);
    completion<std::exception_ptr, std::string> c(ex);
    c.initiate(
        [&](auto h)
        {
            std::string text(100, 'x');
            muster::fail_after(hours(1),
                               [text, &g]() -> asio::awaitable<std::string>
                               {
                                   co_await g.wait();
                                   co_return text;
                               })(std::move(h));
        });
    poll();
    g.open();
    poll();
    BOOST_TEST(c.arg<1>() == std::string(100, 'x'));
}

BOOST_FIXTURE_TEST_CASE(a_body_that_throws_before_its_coroutine_starts, io_fixture)
{
    // Making the coroutine throws: nothing starts, the deadline is removed,
    // and the exception is the scope's result, delivered as any other.
    bool threw = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              try
              {
                  co_await muster::fail_after(hours(1),
                                              []() -> asio::awaitable<void>
                                              { throw std::runtime_error("no"); });
              }
              catch (const std::runtime_error&)
              {
                  threw = true;
              }
          });
    poll();
    BOOST_TEST(threw);
    completion<std::exception_ptr, bool> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::move_on_after(hours(1),
                                  []() -> asio::awaitable<void>
                                  { throw std::logic_error("x"); })(std::move(h));
        });
    BOOST_TEST(deadlines_pending(ctx) == 0u);
    poll();
    BOOST_TEST(what(c.arg<0>()) == "x");
    BOOST_TEST(!c.arg<1>());
}

BOOST_AUTO_TEST_CASE(destroying_the_context_mid_scope_leaks_nothing)
{
    bool invoked = false;
    {
        asio::io_context ctx;
        gate g(ctx.get_executor());
        muster::fail_after(ctx.get_executor(), hours(1), [&]() { return g.wait(); })(
            [&](std::exception_ptr) { invoked = true; });
        muster::move_on_at(ctx.get_executor(), past, [&]() { return g.wait(); })(
            [&](std::exception_ptr, bool) { invoked = true; });
        ctx.poll_one();
    }
    BOOST_TEST(!invoked);
}

BOOST_AUTO_TEST_CASE(run_returns_once_done_despite_a_long_deadline)
{
    asio::io_context ctx;
    int v = 0;
    muster::fail_after(ctx.get_executor(), hours(1),
                       []() -> asio::awaitable<int>
                       { co_return 3; })([&](std::exception_ptr, int r) { v = r; });
    ctx.run(); // returns: a hang here fails the test by its time limit
    BOOST_TEST(v == 3);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- the decision ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(scope_outcome_table)
{
    using muster::detail::scope_outcome;
    using muster::detail::scope_verdict;
    struct row
    {
        bool fail, expired, from_outside, aborted;
        scope_verdict expected;
    };
    const row rows[] = {
        // Not expired: the body's own result, whatever it is.
        {true, false, false, false, scope_verdict::deliver},
        {true, false, false, true, scope_verdict::deliver},
        {true, false, true, true, scope_verdict::deliver},
        // Expired and ended by the cancellation: the scope's verdict.
        {true, true, false, true, scope_verdict::timed_out},
        {false, true, false, true, scope_verdict::moved_on},
        // Expired, but the body returned or failed otherwise.
        {true, true, false, false, scope_verdict::deliver},
        {false, true, false, false, scope_verdict::deliver},
        // Expired, and cancelled from outside too: the cancellation stays.
        {true, true, true, true, scope_verdict::deliver},
        {false, true, true, true, scope_verdict::deliver},
    };
    for (const row& r : rows)
        BOOST_TEST(
            (scope_outcome(r.fail, r.expired, r.from_outside, r.aborted) == r.expected));
}
