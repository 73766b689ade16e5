//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// wait. Timeouts are either an hour (never reached) or a nanosecond (expired
// by the time the io_context is polled): no sleeps.

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

std::vector<int> values(const std::vector<task_t>& ts)
{
    std::vector<int> v;
    for (const auto& t : ts)
        v.push_back(t.result());
    return v;
}

} // namespace

// ---- wait ------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(wait_)

BOOST_FIXTURE_TEST_CASE(first_completed, io_fixture)
{
    gate g1(ex), g2(ex), g3(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g1, 1)),
                           muster::create_task(ex, value_after(g2, 2)),
                           muster::create_task(ex, value_after(g3, 3))};
    completion<result_t> c(ex);
    c.initiate([&](auto h)
               { muster::wait(ts, muster::return_when::first_completed)(std::move(h)); });
    poll();
    BOOST_TEST(!c.called());
    g2.open();
    poll();
    const auto& r = c.arg<0>();
    BOOST_TEST(values(r.done) == std::vector<int>{2});
    BOOST_TEST_REQUIRE(r.pending.size() == 2u);
    BOOST_TEST((r.pending[0] == ts[0]));
    BOOST_TEST((r.pending[1] == ts[2]));
    BOOST_TEST(!ts[0].done()); // wait cancels nothing
    g1.open();
    g3.open();
    poll();
    BOOST_TEST(ts[0].result() == 1);
}

BOOST_FIXTURE_TEST_CASE(all_completed_in_input_order, io_fixture)
{
    gate g1(ex), g2(ex), g3(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g1, 1)),
                           muster::create_task(ex, value_after(g2, 2)),
                           muster::create_task(ex, value_after(g3, 3))};
    completion<result_t> c(ex);
    c.initiate([&](auto h)
               { muster::wait(ts, muster::return_when::all_completed)(std::move(h)); });
    g3.open();
    poll();
    g1.open();
    poll();
    BOOST_TEST(!c.called());
    g2.open();
    poll();
    BOOST_TEST(values(c.arg<0>().done) == (std::vector<int>{1, 2, 3}));
    BOOST_TEST(c.arg<0>().pending.empty());
}

BOOST_FIXTURE_TEST_CASE(first_exception_ignores_values_and_cancellation, io_fixture)
{
    gate g_value(ex), g_cancel(ex), g_fail(ex), g_rest(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g_value, 1)),
                           muster::create_task(ex, value_after(g_cancel, 2)),
                           muster::create_task(ex, fail_after(g_fail)),
                           muster::create_task(ex, value_after(g_rest, 4))};
    completion<result_t> c(ex);
    c.initiate([&](auto h)
               { muster::wait(ts, muster::return_when::first_exception)(std::move(h)); });
    g_value.open();
    poll();
    ts[1].cancel();
    poll();
    BOOST_TEST(ts[1].cancelled());
    BOOST_TEST(!c.called(), "a value or a cancellation does not resolve first_exception");
    g_fail.open();
    poll();
    BOOST_TEST_REQUIRE(c.called());
    BOOST_TEST(c.arg<0>().done.size() == 3u);
    BOOST_TEST_REQUIRE(c.arg<0>().pending.size() == 1u);
    BOOST_TEST((c.arg<0>().pending[0] == ts[3]));
    g_rest.open();
    poll();
}

BOOST_FIXTURE_TEST_CASE(first_exception_without_one_waits_for_all, io_fixture)
{
    gate g1(ex), g2(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_after(g1, 1)),
                           muster::create_task(ex, value_after(g2, 2))};
    completion<result_t> c(ex);
    c.initiate([&](auto h)
               { muster::wait(ts, muster::return_when::first_exception)(std::move(h)); });
    g1.open();
    poll();
    BOOST_TEST(!c.called());
    g2.open();
    poll();
    BOOST_TEST(c.arg<0>().done.size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(timeout_returns_early_and_cancels_nothing, io_fixture)
{
    gate g1(ex), g2(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_now(1)),
                           muster::create_task(ex, value_after(g2, 2))};
    completion<result_t> c(ex);
    c.initiate(
        [&](auto h) {
            muster::wait(ts, muster::return_when::all_completed,
                         nanoseconds(1))(std::move(h));
        });
    poll();
    BOOST_TEST(values(c.arg<0>().done) == std::vector<int>{1});
    BOOST_TEST_REQUIRE(c.arg<0>().pending.size() == 1u);
    task_t pending = c.arg<0>().pending[0];
    BOOST_TEST(!pending.done());
    // Still running, and can be waited for later.
    completion<result_t> later(ex);
    later.initiate(
        [&](auto h)
        {
            muster::wait(std::vector{pending},
                         muster::return_when::all_completed)(std::move(h));
        });
    g2.open();
    poll();
    BOOST_TEST(values(later.arg<0>().done) == std::vector<int>{2});
}

BOOST_FIXTURE_TEST_CASE(zero_timeout_reports_what_is_done, io_fixture)
{
    gate g(ex);
    std::vector<task_t> ts{muster::create_task(ex, value_now(1)),
                           muster::create_task(ex, value_after(g, 2))};
    poll();
    completion<result_t> c(ex);
    c.initiate(
        [&](auto h) {
            muster::wait(ts, muster::return_when::all_completed, hours(0))(std::move(h));
        });
    poll();
    BOOST_TEST(c.arg<0>().done.size() == 1u);
    BOOST_TEST(c.arg<0>().pending.size() == 1u);
    g.open();
    poll();
}

BOOST_FIXTURE_TEST_CASE(already_done_tasks_count_as_done_and_complete_posted, io_fixture)
{
    std::vector<task_t> ts{muster::create_task(ex, value_now(1)),
                           muster::create_task(ex, value_now(2))};
    poll();
    completion<result_t> c(ex);
    c.initiate([&](auto h)
               { muster::wait(ts, muster::return_when::first_completed)(std::move(h)); });
    BOOST_TEST(!c.called());
    poll();
    BOOST_TEST(c.arg<0>().done.size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(empty_set_completes_at_once_posted, io_fixture)
{
    completion<result_t> c1(ex), c2(ex);
    c1.initiate(
        [&](auto h)
        {
            muster::wait(std::vector<task_t>{},
                         muster::return_when::all_completed)(std::move(h));
        });
    c2.initiate(
        [&](auto h)
        {
            muster::wait(std::vector<task_t>{}, muster::return_when::first_completed,
                         hours(1))(std::move(h));
        });
    BOOST_TEST(poll() == 2u);
    BOOST_TEST(c1.arg<0>().done.empty());
    BOOST_TEST(c2.arg<0>().pending.empty());
}

BOOST_FIXTURE_TEST_CASE(cancellation_returns_early_with_what_is_done, io_fixture)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            gate g(ex);
            std::vector<task_t> ts{muster::create_task(ex, value_now(1)),
                                   muster::create_task(ex, value_after(g, 2))};
            asio::cancellation_signal sig;
            completion<result_t> c(ex);
            c.initiate(
                [&](auto h)
                {
                    muster::wait(ts, muster::return_when::all_completed)(
                        asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            bool honoured = cc.type != asio::cancellation_type::none;
            BOOST_TEST(c.called() == honoured);
            BOOST_TEST(!ts[1].done(), "wait never cancels a task");
            g.open();
            poll();
            BOOST_TEST(c.arg<0>().done.size() == (honoured ? 1u : 2u));
        }
    }
}

BOOST_FIXTURE_TEST_CASE(tokens, io_fixture)
{
    std::vector<task_t> ts{muster::create_task(ex, value_now(1))};
    using when = muster::return_when;
    std::size_t a = 0, b = 0, d = 0;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              a = (co_await muster::wait(ts, when::all_completed)).done.size();
              b = (co_await muster::wait(ts, when::all_completed)(asio::use_awaitable))
                      .done.size();
              auto [r] = co_await muster::wait(ts, when::all_completed)(
                  asio::as_tuple(asio::deferred));
              d = r.done.size();
          });
    std::future<result_t> f = muster::wait(ex, ts, when::all_completed)(asio::use_future);
    muster::wait(ex, ts, when::all_completed)(asio::detached);
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    muster_test::allocation_counts counts;
    completion<result_t> bound(ex2);
    bound.initiate(
        [&](auto h)
        {
            muster::wait(ts, when::all_completed)(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    auto p = muster::wait(ex, ts, when::all_completed)(asio::experimental::use_promise);
    poll();
    // Waited for only once complete: Asio 1.81's promise hands a handler that
    // waits on a pending promise a moved-from result (a bug fixed later).
    BOOST_TEST(p.completed());
    completion<result_t> pc(ex);
    pc.initiate([&](auto h) { p(std::move(h)); });
    poll();
    BOOST_TEST(a == 1u);
    BOOST_TEST(b == 1u);
    BOOST_TEST(d == 1u);
    BOOST_TEST(f.get().done.size() == 1u);
    BOOST_TEST(bound.arg<0>().done.size() == 1u);
    BOOST_TEST(counts.allocations >= 1u);
    BOOST_TEST(counts.allocations == counts.deallocations);
    BOOST_TEST(pc.arg<0>().done.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
