//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Debug reports: a failure nobody observed, a task group destroyed unjoined,
// a queue destroyed with items or waiters. With BOOST_MUSTER_DEBUG_REPORTS
// 0 (release builds) the same programs report nothing.

#include <boost/muster/debug.hpp>
#include <boost/muster/gather.hpp>
#include <boost/muster/queue.hpp>
#include <boost/muster/task.hpp>
#include <boost/muster/task_group.hpp>
#include <boost/muster/wait_for.hpp>

#include <muster_test/completion.hpp>
#include <muster_test/coroutines.hpp>
#include <muster_test/fixture.hpp>
#include <muster_test/gate.hpp>
#include <muster_test/reports.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using muster::report_kind;
using muster_test::gate;
using muster_test::io_fixture;
using muster_test::recorded_report;
using muster_test::spawn;
using muster_test::take_reports;

namespace
{

// How many reports a case expects: `n` when reports are compiled in.
constexpr std::size_t expected(std::size_t n)
{
    return muster::debug_reports ? n : 0;
}

asio::awaitable<int> failing(std::string what)
{
    throw std::runtime_error(what);
    co_return 0;
}

bool mentions(const recorded_report& r, const char* text)
{
    return r.message.find(text) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(debug_reports)

BOOST_FIXTURE_TEST_CASE(a_failure_nobody_observed_is_reported_once, io_fixture)
{
    take_reports();
    {
        auto t = muster::create_task(ex, failing("lost failure"));
        poll();
        BOOST_TEST(take_reports().empty(), "not while a handle remains");
    }
    auto reports = take_reports();
    BOOST_TEST_REQUIRE(reports.size() == expected(1));
    if (!reports.empty())
    {
        BOOST_TEST((reports[0].kind == report_kind::unobserved_failure));
        BOOST_TEST(reports[0].has_error);
        BOOST_TEST(mentions(reports[0], "lost failure"), reports[0].message);
        BOOST_TEST(mentions(reports[0], "nobody observed"), reports[0].message);
    }
}

BOOST_FIXTURE_TEST_CASE(an_observed_failure_is_not_reported, io_fixture)
{
    take_reports();
    {
        auto by_result = muster::create_task(ex, failing("a"));
        auto by_exception = muster::create_task(ex, failing("b"));
        auto by_wait = muster::create_task(ex, failing("c"));
        auto by_gather = muster::create_task(ex, failing("d"));
        poll();
        BOOST_CHECK_THROW(by_result.result(), std::runtime_error);
        BOOST_TEST(static_cast<bool>(by_exception.exception()));
        by_wait.async_wait([](std::exception_ptr, int) {});
        spawn(*this,
              [&]() -> asio::awaitable<void>
              {
                  auto r = co_await muster::gather(muster::return_exceptions, by_gather);
                  BOOST_TEST(!std::get<0>(r).has_value());
              });
        poll();
    }
    // A cancelled task, and one that succeeded, are not failures.
    {
        gate g(ex);
        auto cancelled = muster::create_task(ex, muster_test::value_after(g, 1));
        auto fine = muster::create_task(ex, muster_test::value_now(2));
        poll();
        cancelled.cancel();
        poll();
    }
    BOOST_TEST(take_reports().empty());
}

BOOST_FIXTURE_TEST_CASE(a_failure_after_its_only_waiter_gave_up_is_reported, io_fixture)
{
    // wait_for times out: its waiter is aborted, and the task fails later,
    // with nobody left to see it.
    take_reports();
    {
        gate g(ex);
        auto t = muster::create_task(ex, muster_test::fail_after<int>(g, "too late"));
        muster::wait_for(ex, t,
                         std::chrono::nanoseconds(1))([](std::exception_ptr, int) {});
        poll();
        g.open();
        poll();
        BOOST_TEST(t.done());
    }
    auto reports = take_reports();
    BOOST_TEST_REQUIRE(reports.size() == expected(1));
    if (!reports.empty())
        BOOST_TEST(mentions(reports[0], "too late"), reports[0].message);
}

BOOST_FIXTURE_TEST_CASE(a_task_group_destroyed_unjoined_is_reported, io_fixture)
{
    take_reports();
    gate g(ex);
    {
        muster::task_group group(ex);
        group.spawn(g.wait());
        group.spawn(g.wait());
        poll();
    } // both children are cancelled
    poll();
    auto reports = take_reports();
    BOOST_TEST_REQUIRE(reports.size() == expected(1));
    if (!reports.empty())
    {
        BOOST_TEST((reports[0].kind == report_kind::unjoined_task_group));
        BOOST_TEST(reports[0].count == 2u);
        BOOST_TEST(!reports[0].has_error);
        BOOST_TEST(mentions(reports[0], "2 children still running"), reports[0].message);
    }
}

BOOST_FIXTURE_TEST_CASE(an_unjoined_groups_failures_are_in_its_report, io_fixture)
{
    take_reports();
    {
        muster::task_group group(ex);
        group.spawn(failing("child failure"));
        poll();
    }
    auto reports = take_reports();
    BOOST_TEST_REQUIRE(reports.size() == expected(1));
    if (!reports.empty())
    {
        BOOST_TEST(reports[0].count == 0u);
        BOOST_TEST(reports[0].has_error);
        BOOST_TEST(mentions(reports[0], "1 failure that no join reported"),
                   reports[0].message);
        BOOST_TEST(mentions(reports[0], "child failure"), reports[0].message);
    }
}

BOOST_FIXTURE_TEST_CASE(joined_and_empty_groups_are_not_reported, io_fixture)
{
    take_reports();
    {
        muster::task_group unused(ex);
        muster::task_group joined(ex);
        joined.spawn(muster_test::value_now(1));
        joined.spawn(failing("reported by the join"));
        spawn(*this,
              [&]() -> asio::awaitable<void>
              {
                  try
                  {
                      co_await joined.async_join();
                  }
                  catch (const muster::task_group_error&)
                  {
                  }
                  co_await muster::with_task_group(
                      [](muster::task_group& g) -> asio::awaitable<void>
                      {
                          g.spawn(muster_test::value_now(2));
                          co_return;
                      });
              });
        poll();
    }
    BOOST_TEST(take_reports().empty());
}

BOOST_FIXTURE_TEST_CASE(a_queue_destroyed_with_items_and_waiters_is_reported, io_fixture)
{
    take_reports();
    {
        muster::queue<int> q(ex);
        q.put_nowait(1);
        q.put_nowait(2);
        q.put_nowait(3);
    }
    {
        muster::queue<int> q(ex, 1);
        q.put_nowait(1);
        q.async_put(2, [](boost::system::error_code) {});
        q.async_join([](boost::system::error_code) {});
        poll();
    }
    {
        muster::queue<int> empty(ex);
        muster::queue<int> drained(ex);
        drained.put_nowait(1);
        BOOST_TEST(drained.get_nowait() == 1);
    }
    poll();
    auto reports = take_reports();
    BOOST_TEST_REQUIRE(reports.size() == expected(2));
    if (!reports.empty())
    {
        BOOST_TEST((reports[0].kind == report_kind::abandoned_queue));
        BOOST_TEST(reports[0].count == 3u);
        BOOST_TEST(reports[0].waiters == 0u);
        BOOST_TEST(mentions(reports[0], "holding 3 items"), reports[0].message);
        BOOST_TEST(reports[1].count == 1u);
        BOOST_TEST(reports[1].waiters == 2u);
        BOOST_TEST(mentions(reports[1], "2 operations waiting"), reports[1].message);
    }
}

namespace
{
std::vector<std::string> seen_by_second_hook;
void second_hook(const muster::report& r) noexcept
{
    seen_by_second_hook.push_back(r.message);
}
} // namespace

BOOST_FIXTURE_TEST_CASE(the_hook_is_replaceable, io_fixture)
{
    muster::report_hook previous = muster::set_report_hook(&second_hook);
    BOOST_TEST((previous == &muster_test::record_report));
    {
        muster::queue<int> q(ex);
        q.put_nowait(1);
    }
    BOOST_TEST(seen_by_second_hook.size() == expected(1));
    BOOST_TEST((muster::set_report_hook(nullptr) == &second_hook));
    BOOST_TEST((muster::set_report_hook(previous) == &muster::default_report_hook));
    seen_by_second_hook.clear();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(group_ledger_knows_when_it_was_left_unjoined)
{
    muster::detail::group_ledger never_used;
    BOOST_TEST(!never_used.unjoined());
    muster::detail::group_ledger used;
    used.child_started();
    BOOST_TEST(used.unjoined());
    (void)used.child_finished(false);
    BOOST_TEST(used.unjoined(), "finished children, but no join");
    BOOST_TEST((used.join_started() == muster::detail::group_decision::complete_joins));
    BOOST_TEST(!used.unjoined());
}
