//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// as_completed. Timeouts are either an hour (never reached) or a nanosecond
// (expired by the time the io_context is polled): no sleeps.

#include <boost/muster/as_completed.hpp>
#include <boost/muster/task.hpp>
#include <boost/muster/wait.hpp>

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
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/promise.hpp>
#include <boost/asio/experimental/use_promise.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
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

BOOST_AUTO_TEST_SUITE(as_completed_)

BOOST_FIXTURE_TEST_CASE(yields_in_completion_order, io_fixture)
{
    gate g1(ex), g2(ex), g3(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g1, 1)),
                           muster::create_task(ex, value_now(2)),
                           muster::create_task(ex, value_after(g3, 3))};
    auto order = muster::as_completed(ts);
    BOOST_TEST(order.remaining() == 3u);
    std::vector<int> got;
    error_code end;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              while (order.remaining() > 0)
                  got.push_back((co_await order.async_next()).result());
              auto [ec, t] = co_await order.async_next(asio::as_tuple(asio::deferred));
              end = ec;
          });
    poll();
    BOOST_TEST(got == std::vector<int>{2});
    g3.open();
    poll();
    g1.open();
    poll();
    BOOST_TEST(got == (std::vector<int>{2, 3, 1}));
    BOOST_TEST((end == asio::error::eof));
}

BOOST_FIXTURE_TEST_CASE(timeout_reports_the_rest_and_cancels_nothing, io_fixture)
{
    gate g(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g, 1)),
                           muster::create_task(ex, value_now(2)),
                           muster::create_task(ex, value_after(g, 3))};
    poll(); // the second task is done before the deadline
    auto order = muster::as_completed(ts, nanoseconds(1));
    std::vector<std::string> got;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              for (int i = 0; i != 4; ++i)
              {
                  auto [ec, t] =
                      co_await order.async_next(asio::as_tuple(asio::deferred));
                  got.push_back(ec ? ec.message().substr(0, 23)
                                   : std::to_string(t.result()));
              }
          });
    poll();
    BOOST_TEST(
        (got == std::vector<std::string>{"2", "the operation timed out",
                                         "the operation timed out", "End of file"}));
    BOOST_TEST(!ts[0].done());
    g.open();
    poll();
    BOOST_TEST(ts[0].result() == 1);
}

BOOST_FIXTURE_TEST_CASE(callback_never_inline_and_several_outstanding, io_fixture)
{
    gate g1(ex), g2(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g1, 1)),
                           muster::create_task(ex, value_after(g2, 2))};
    auto order = muster::as_completed(ts);
    completion<error_code, task_t> first(ex), second(ex), third(ex);
    first.initiate([&](auto h) { order.async_next(std::move(h)); });
    second.initiate([&](auto h) { order.async_next(std::move(h)); });
    third.initiate([&](auto h) { order.async_next(std::move(h)); });
    poll();
    g2.open();
    poll();
    BOOST_TEST(first.arg<1>().result() == 2);
    BOOST_TEST(!second.called());
    g1.open();
    poll();
    BOOST_TEST(second.arg<1>().result() == 1);
    BOOST_TEST((third.arg<0>() == asio::error::eof));
}

BOOST_FIXTURE_TEST_CASE(cancelled_next_loses_nothing, io_fixture)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            gate g(ex);
            std::vector<task_t> ts{muster::create_task(ex, value_after(g, 7))};
            auto order = muster::as_completed(ts);
            asio::cancellation_signal sig;
            completion<error_code, task_t> cancelled(ex), next(ex);
            cancelled.initiate(
                [&](auto h) {
                    order.async_next(
                        asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            bool honoured = cc.type != asio::cancellation_type::none;
            BOOST_TEST(cancelled.called() == honoured);
            if (honoured)
                BOOST_TEST((cancelled.arg<0>() == asio::error::operation_aborted));
            next.initiate([&](auto h) { order.async_next(std::move(h)); });
            g.open();
            poll();
            if (honoured)
                BOOST_TEST(next.arg<1>().result() == 7);
            else
            {
                BOOST_TEST(cancelled.arg<1>().result() == 7);
                BOOST_TEST((next.arg<0>() == asio::error::eof));
            }
        }
    }
}

BOOST_FIXTURE_TEST_CASE(destroying_it_aborts_pending_next_and_leaves_tasks_running,
                        io_fixture)
{
    gate g(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g, 1))};
    completion<error_code, task_t> c(ex);
    {
        auto order = muster::as_completed(ts, hours(1));
        c.initiate([&](auto h) { order.async_next(std::move(h)); });
        poll();
    }
    poll();
    BOOST_TEST((c.arg<0>() == asio::error::operation_aborted));
    g.open();
    poll();
    BOOST_TEST(ts[0].result() == 1);
}

BOOST_FIXTURE_TEST_CASE(tokens, io_fixture)
{
    std::vector<task_t> ts{
        muster::create_task(ex, value_now(1)), muster::create_task(ex, value_now(2)),
        muster::create_task(ex, value_now(3)), muster::create_task(ex, value_now(4))};
    poll();
    auto order = muster::as_completed(ts);
    int sum = 0;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              sum += (co_await order.async_next()).result();
              sum += (co_await order.async_next(asio::use_awaitable)).result();
          });
    poll();
    std::future<task_t> f = order.async_next(asio::use_future);
    muster_test::allocation_counts counts;
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    completion<error_code, task_t> bound(ex2);
    bound.initiate(
        [&](auto h)
        {
            order.async_next(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    auto p = order.async_next(asio::experimental::use_promise);
    completion<error_code, task_t> pc(ex);
    pc.initiate([&](auto h) { p(std::move(h)); });
    order.async_next(asio::detached);
    poll();
    BOOST_TEST(sum == 3);
    BOOST_TEST(f.get().result() == 3);
    BOOST_TEST(bound.arg<1>().result() == 4);
    BOOST_TEST((pc.arg<0>() == asio::error::eof));
}

BOOST_FIXTURE_TEST_CASE(empty_set_with_an_executor_ends_a_plain_callback, io_fixture)
{
    std::vector<task_t> none;
    auto order = muster::as_completed(ex, none);
    bool called = false;
    error_code got;
    order.async_next(
        [&](error_code ec, task_t)
        {
            called = true;
            got = ec;
        });
    BOOST_TEST(!called);
    poll();
    BOOST_TEST(called);
    BOOST_TEST((got == asio::error::eof));
}

BOOST_FIXTURE_TEST_CASE(no_executor_anywhere_is_a_clear_error, io_fixture)
{
    std::vector<task_t> none;
    auto order = muster::as_completed(none);
    BOOST_CHECK_EXCEPTION(order.async_next([](error_code, task_t) {}),
                          boost::system::system_error,
                          [](const boost::system::system_error& e)
                          { return e.code() == muster::error::no_executor; });
    // A handler with an executor of its own still completes, with eof.
    completion<error_code, task_t> c(ex);
    c.initiate([&](auto h) { order.async_next(std::move(h)); });
    poll();
    BOOST_TEST((c.arg<0>() == asio::error::eof));
}

BOOST_FIXTURE_TEST_CASE(a_moved_from_object_reports_moved_from, io_fixture)
{
    std::vector<task_t> ts{muster::create_task(ex, value_now(1))};
    auto order = muster::as_completed(ts);
    auto other = std::move(order);
    BOOST_TEST(order.remaining() == 0u);
    completion<error_code, task_t> c(ex);
    c.initiate([&](auto h) { order.async_next(std::move(h)); });
    poll();
    BOOST_TEST((c.arg<0>() == muster::error::moved_from));
    BOOST_TEST(!c.arg<1>().valid());
    // With nowhere to complete, the initiating function throws.
    BOOST_CHECK_EXCEPTION(order.async_next([](error_code, task_t) {}),
                          boost::system::system_error,
                          [](const boost::system::system_error& e)
                          { return e.code() == muster::error::moved_from; });
    // The object moved to works.
    completion<error_code, task_t> moved(ex);
    moved.initiate([&](auto h) { other.async_next(std::move(h)); });
    poll();
    BOOST_TEST(moved.arg<1>().result() == 1);
}

BOOST_AUTO_TEST_CASE(
    destroying_the_context_destroys_a_coroutine_waiting_on_its_own_object)
{
    bool destroyed = false;
    {
        asio::io_context ctx;
        asio::co_spawn(
            ctx,
            [&]() -> asio::awaitable<void>
            {
                muster_test::frame_guard guard{destroyed};
                auto ex = co_await asio::this_coro::executor;
                asio::steady_timer never(ex, hours(1));
                std::vector<task_t> ts{muster::create_task(ex,
                                                           [&]() -> asio::awaitable<int>
                                                           {
                                                               co_await never.async_wait(
                                                                   asio::use_awaitable);
                                                               co_return 1;
                                                           })};
                auto order = muster::as_completed(ts);
                co_await order.async_next();
            },
            asio::detached);
        ctx.poll();
        BOOST_TEST(!destroyed);
    }
    BOOST_TEST(destroyed);
}

BOOST_FIXTURE_TEST_CASE(a_yield_that_cannot_be_posted_is_given_again, io_fixture)
{
    std::vector<task_t> ts{muster::create_task(ex, value_now(8))};
    drain();
    auto order = muster::as_completed(ts);
    drain();
    // The io_context's own executor allocates what is posted to it with the
    // handler's allocator, which fails once here.
    muster_test::allocation_counts counts;
    counts.fail_on = 1;
    int calls = 0;
    BOOST_CHECK_THROW(order.async_next(asio::bind_allocator(
                          muster_test::counting_allocator<void>(counts),
                          asio::bind_executor(ctx.get_executor(),
                                              [&](error_code, task_t) { ++calls; }))),
                      std::bad_alloc);
    BOOST_TEST(order.remaining() == 1u);
    completion<error_code, task_t> next(ex);
    next.initiate([&](auto h) { order.async_next(std::move(h)); });
    poll();
    BOOST_TEST(next.arg<1>().result() == 8);
    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_SUITE_END()
