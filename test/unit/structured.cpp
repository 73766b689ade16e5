//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Structured concurrency: task_group and with_task_group (asyncio.TaskGroup),
// and shield (asyncio.shield), with the behaviour CPython
// 3.13 shows, plus Asio's contract.

#include <boost/muster/bounded_gather.hpp>
#include <boost/muster/shield.hpp>
#include <boost/muster/task_group.hpp>
#include <boost/muster/wait_for.hpp>

#include <muster_test/completion.hpp>
#include <muster_test/coroutines.hpp>
#include <muster_test/fixture.hpp>
#include <muster_test/gate.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using muster_test::cancellation_cases;
using muster_test::fail_after;
using muster_test::gate;
using muster_test::io_fixture;
using muster_test::value_after;

namespace
{

using join_completion = muster_test::completion<std::exception_ptr>;

// The what() of each failure in a task_group_error, sorted; empty if `e`
// holds something else.
std::vector<std::string> failures_of(const std::exception_ptr& e)
{
    std::vector<std::string> out;
    try
    {
        std::rethrow_exception(e);
    }
    catch (const muster::task_group_error& g)
    {
        for (const auto& x : g.exceptions())
            out.push_back(muster_test::what(x));
    }
    catch (...)
    {
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Waits at `work` until cancelled (or opened), then cleans up by waiting at
// `cleanup`, for which it resets its cancellation state first (Asio would
// otherwise throw at once). Returns the cancellation it caught, if any.
asio::awaitable<std::exception_ptr> wait_then_clean_up(gate& work, gate& cleanup)
{
    std::exception_ptr cancelled;
    try
    {
        co_await work.wait();
    }
    catch (...)
    {
        cancelled = std::current_exception();
    }
    co_await asio::this_coro::reset_cancellation_state();
    co_await cleanup.wait();
    co_return cancelled;
}

void start_join(join_completion& c, muster::task_group& g)
{
    c.initiate([&](auto h) { g.async_join(std::move(h)); });
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(task_group_suite, io_fixture)

BOOST_AUTO_TEST_CASE(join_waits_for_every_child_and_results_stay_readable)
{
    muster::task_group g(ex);
    gate ga(ex), gb(ex);
    auto a = g.spawn(value_after(ga, 1));
    auto b = g.spawn(value_after(gb, 2));
    join_completion join(ex);
    start_join(join, g);
    poll();
    BOOST_TEST(g.running() == 2u);
    ga.open();
    poll();
    BOOST_TEST(!join.called());
    BOOST_TEST(g.running() == 1u);
    gb.open();
    poll();
    BOOST_TEST(!join.arg<0>());
    BOOST_TEST(a.result() == 1);
    BOOST_TEST(b.result() == 2);
    BOOST_TEST(!g.accepts_children()); // joined
}

BOOST_AUTO_TEST_CASE(an_empty_group_joins_at_once_but_posted)
{
    muster::task_group g(ex);
    join_completion join(ex); // fails if invoked inside async_join
    start_join(join, g);
    BOOST_TEST(!join.called());
    poll();
    BOOST_TEST(!join.arg<0>());
}

// CPython 3.13: a child that finished keeps its result when a sibling fails;
// the siblings cancelled by the failure are not in the ExceptionGroup.
BOOST_AUTO_TEST_CASE(the_first_failure_cancels_the_others_and_the_join_reports_it)
{
    muster::task_group g(ex);
    gate ga(ex), gb(ex), gc(ex);
    auto a = g.spawn(value_after(ga, 1));
    auto b = g.spawn(fail_after(gb, "b failed"));
    auto c = g.spawn(value_after(gc, 3)); // never opened
    join_completion join(ex);
    start_join(join, g);
    poll();
    ga.open();
    poll();
    gb.open();
    poll();
    BOOST_TEST(failures_of(join.arg<0>()) == std::vector<std::string>{"b failed"});
    BOOST_TEST(a.result() == 1);
    BOOST_TEST(c.cancelled());
    BOOST_TEST(muster_test::what(join.arg<0>())
                   .find("1 child of a task_group failed: "
                         "b failed") != std::string::npos);
}

// CPython 3.13: two children failing in the same loop iteration are both in
// the ExceptionGroup.
BOOST_AUTO_TEST_CASE(two_children_failing_in_the_same_turn_are_both_reported)
{
    muster::task_group g(ex);
    gate both(ex);
    g.spawn(fail_after(both, "x"));
    g.spawn(fail_after(both, "y"));
    join_completion join(ex);
    start_join(join, g);
    poll();
    both.open();
    poll();
    BOOST_TEST((failures_of(join.arg<0>()) == std::vector<std::string>{"x", "y"}));
}

// CPython 3.13: cancelling the join cancels the children, waits for their
// clean-up even when it awaits, then ends with CancelledError.
BOOST_AUTO_TEST_CASE(
    a_cancelled_join_waits_for_the_clean_up_then_reports_the_cancellation)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            muster::task_group g(ex);
            gate work(ex), cleanup(ex), other(ex);
            bool cleaned = false;
            g.spawn(
                [&]() -> asio::awaitable<int>
                {
                    auto cancelled = co_await wait_then_clean_up(work, cleanup);
                    cleaned = true;
                    if (cancelled)
                        std::rethrow_exception(cancelled);
                    co_return 1;
                });
            g.spawn(value_after(other, 2));
            asio::cancellation_signal sig;
            join_completion join(ex);
            join.initiate(
                [&](auto h) {
                    g.async_join(asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            const bool honoured = cc.type == asio::cancellation_type::terminal ||
                                  cc.type == asio::cancellation_type::partial;
            BOOST_TEST(!join.called()); // waits for the clean-up
            BOOST_TEST(g.accepts_children() == !honoured);
            if (!honoured)
            {
                work.open();
                other.open();
            }
            cleanup.open();
            poll();
            BOOST_TEST(cleaned);
            if (honoured)
                BOOST_TEST(muster_test::is_aborted(join.arg<0>()));
            else
                BOOST_TEST(!join.arg<0>());
        }
    }
}

// CPython 3.13: a child failing during its clean-up after the join was
// cancelled is reported: failures take priority over the cancellation.
BOOST_AUTO_TEST_CASE(a_failure_takes_priority_over_the_cancellation_of_the_join)
{
    muster::task_group g(ex);
    gate work(ex), cleanup(ex);
    g.spawn(
        [&]() -> asio::awaitable<int>
        {
            co_await wait_then_clean_up(work, cleanup);
            throw std::runtime_error("failed while cleaning up");
        });
    asio::cancellation_signal sig;
    join_completion join(ex);
    join.initiate(
        [&](auto h)
        { g.async_join(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    poll();
    sig.emit(asio::cancellation_type::terminal);
    poll();
    cleanup.open();
    poll();
    BOOST_TEST((failures_of(join.arg<0>()) ==
                std::vector<std::string>{"failed while cleaning up"}));
}

// CPython 3.13: a child awaiting a sibling that fails sees its own
// cancellation, not the sibling's failure, which is reported once.
BOOST_AUTO_TEST_CASE(a_child_awaiting_a_failing_sibling_is_cancelled)
{
    muster::task_group g(ex);
    gate fail(ex);
    auto sibling = g.spawn(fail_after(fail, "sibling"));
    std::string waiter_saw;
    g.spawn(
        [&]() -> asio::awaitable<void>
        {
            try
            {
                co_await sibling;
            }
            catch (const boost::system::system_error& e)
            {
                waiter_saw =
                    e.code() == asio::error::operation_aborted ? "cancelled" : e.what();
                throw;
            }
            catch (const std::exception& e)
            {
                waiter_saw = e.what();
                throw;
            }
        });
    join_completion join(ex);
    start_join(join, g);
    poll();
    fail.open();
    poll();
    BOOST_TEST(waiter_saw == "cancelled");
    BOOST_TEST((failures_of(join.arg<0>()) == std::vector<std::string>{"sibling"}));
}

// Cancelling the coroutine that awaits with_task_group cancels the body and
// the children and waits for them.
BOOST_AUTO_TEST_CASE(cancelling_with_task_group_cancels_and_waits_for_everything)
{
    gate never(ex), cleanup(ex);
    bool child_cleaned = false;
    std::exception_ptr outcome;
    auto outer = muster::create_task(
        ex,
        [&]() -> asio::awaitable<void>
        {
            co_await muster::with_task_group(
                [&](muster::task_group& g) -> asio::awaitable<void>
                {
                    g.spawn(
                        [&]() -> asio::awaitable<void>
                        {
                            co_await wait_then_clean_up(never, cleanup);
                            child_cleaned = true;
                        });
                    co_await never.wait();
                });
        });
    poll();
    outer.cancel();
    poll();
    BOOST_TEST(!outer.done()); // waits for the child's clean-up
    cleanup.open();
    poll();
    BOOST_TEST(child_cleaned);
    BOOST_TEST(outer.cancelled());
}

// CPython 3.13: a child cancelled through its own handle is not a failure.
BOOST_AUTO_TEST_CASE(a_child_cancelled_through_its_handle_is_not_a_failure)
{
    muster::task_group g(ex);
    gate gt(ex), gu(ex);
    auto t = g.spawn(value_after(gt, 1));
    auto u = g.spawn(value_after(gu, 2));
    join_completion join(ex);
    start_join(join, g);
    poll();
    t.cancel();
    poll();
    BOOST_TEST(g.accepts_children());
    gu.open();
    poll();
    BOOST_TEST(!join.arg<0>());
    BOOST_TEST(t.cancelled());
    BOOST_TEST(u.result() == 2);
}

// CPython 3.13: a running child may create tasks in the group; the exit of
// `async with` waits for them too.
BOOST_AUTO_TEST_CASE(a_running_child_may_spawn_and_the_join_waits_for_it)
{
    muster::task_group g(ex);
    gate parent_gate(ex), grandchild_gate(ex);
    std::vector<std::string> order;
    muster::task<int> grandchild;
    g.spawn(
        [&]() -> asio::awaitable<void>
        {
            co_await parent_gate.wait();
            grandchild = g.spawn(
                [&]() -> asio::awaitable<int>
                {
                    co_await grandchild_gate.wait();
                    order.push_back("grandchild done");
                    co_return 7;
                });
            order.push_back("parent done");
        });
    join_completion join(ex);
    start_join(join, g);
    poll();
    parent_gate.open();
    poll();
    BOOST_TEST(!join.called());
    BOOST_TEST(g.running() == 1u);
    grandchild_gate.open();
    poll();
    BOOST_TEST(!join.arg<0>());
    BOOST_TEST((order == std::vector<std::string>{"parent done", "grandchild done"}));
    BOOST_TEST(grandchild.result() == 7);
}

// CPython 3.13: create_task while the group shuts down after a failure, or
// after it finished, raises RuntimeError, and the coroutine never runs.
BOOST_AUTO_TEST_CASE(spawning_is_refused_after_a_failure_and_after_the_join)
{
    auto marker = [](bool& ran) -> asio::awaitable<void>
    {
        ran = true;
        co_return;
    };
    muster::task_group g(ex);
    gate fail(ex), other(ex);
    g.spawn(fail_after(fail, "boom"));
    g.spawn(value_after(other, 1));
    poll();
    fail.open();
    poll();
    BOOST_TEST(!g.accepts_children());
    bool ran = false;
    try
    {
        g.spawn(marker(ran));
        BOOST_FAIL("spawn after a failure was accepted");
    }
    catch (const boost::system::system_error& e)
    {
        BOOST_TEST((e.code() == muster::error::task_group_closed));
    }
    join_completion join(ex);
    start_join(join, g);
    poll();
    BOOST_TEST((failures_of(join.arg<0>()) == std::vector<std::string>{"boom"}));

    muster::task_group done(ex);
    join_completion empty_join(ex);
    start_join(empty_join, done);
    poll();
    BOOST_TEST(!done.accepts_children());
    BOOST_CHECK_THROW(done.spawn(marker(ran)), boost::system::system_error);
    poll();
    BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_CASE(cancel_stops_every_child_and_the_join_succeeds)
{
    muster::task_group g(ex);
    gate never(ex);
    auto a = g.spawn(value_after(never, 1));
    auto b = g.spawn(value_after(never, 2));
    poll();
    g.cancel();
    BOOST_TEST(!g.accepts_children());
    join_completion join(ex);
    start_join(join, g);
    poll();
    BOOST_TEST(!join.arg<0>());
    BOOST_TEST(a.cancelled());
    BOOST_TEST(b.cancelled());
}

BOOST_AUTO_TEST_CASE(destroying_the_group_cancels_its_children)
{
    gate never(ex);
    muster::task<int> child;
    {
        muster::task_group g(ex);
        child = g.spawn(value_after(never, 1));
        poll();
    }
    poll();
    BOOST_TEST(child.done());
    BOOST_TEST(child.cancelled());
}

// CPython 3.13: an exception raised by the body of `async with TaskGroup()`
// is in the ExceptionGroup, and the children are cancelled.
BOOST_AUTO_TEST_CASE(with_task_group_reports_a_throwing_body_in_the_group_error)
{
    gate never(ex);
    muster::task<int> child;
    std::exception_ptr outcome;
    muster_test::spawn(*this,
                       [&]() -> asio::awaitable<void>
                       {
                           try
                           {
                               co_await muster::with_task_group(
                                   [&](muster::task_group& g) -> asio::awaitable<void>
                                   {
                                       child = g.spawn(value_after(never, 1));
                                       co_await asio::post(asio::use_awaitable);
                                       throw std::runtime_error("body");
                                   });
                           }
                           catch (...)
                           {
                               outcome = std::current_exception();
                           }
                       });
    poll();
    BOOST_TEST((failures_of(outcome) == std::vector<std::string>{"body"}));
    BOOST_TEST(child.cancelled());
}

// CPython 3.13: a child failing while the body awaits cancels the body too.
BOOST_AUTO_TEST_CASE(with_task_group_a_failing_child_cancels_the_body)
{
    gate fail(ex), never(ex);
    bool body_cancelled = false;
    std::exception_ptr outcome;
    muster_test::spawn(*this,
                       [&]() -> asio::awaitable<void>
                       {
                           try
                           {
                               co_await muster::with_task_group(
                                   [&](muster::task_group& g) -> asio::awaitable<void>
                                   {
                                       g.spawn(fail_after(fail, "child"));
                                       try
                                       {
                                           co_await never.wait();
                                       }
                                       catch (const boost::system::system_error&)
                                       {
                                           body_cancelled = true;
                                           throw;
                                       }
                                   });
                           }
                           catch (...)
                           {
                               outcome = std::current_exception();
                           }
                       });
    poll();
    fail.open();
    poll();
    BOOST_TEST(body_cancelled);
    BOOST_TEST((failures_of(outcome) == std::vector<std::string>{"child"}));
}

BOOST_AUTO_TEST_CASE(with_task_group_returns_when_the_body_and_the_children_are_done)
{
    gate late(ex);
    std::vector<int> seen;
    bool returned = false;
    muster_test::spawn(
        *this,
        [&]() -> asio::awaitable<void>
        {
            co_await muster::with_task_group(
                [&](muster::task_group& g) -> asio::awaitable<void>
                {
                    g.spawn([&]() -> asio::awaitable<void>
                            { seen.push_back(co_await value_after(late, 2)); });
                    seen.push_back(1);
                    co_return;
                });
            returned = true;
        });
    poll();
    BOOST_TEST(!returned);
    late.open();
    poll();
    BOOST_TEST(returned);
    BOOST_TEST((seen == std::vector<int>{1, 2}));
}

BOOST_AUTO_TEST_CASE(join_works_with_every_token_family)
{
    // use_awaitable: join() throws the group error.
    std::string caught;
    muster_test::spawn(*this,
                       [&]() -> asio::awaitable<void>
                       {
                           muster::task_group g(co_await asio::this_coro::executor);
                           g.spawn(
                               []() -> asio::awaitable<void>
                               {
                                   co_await asio::post(asio::use_awaitable);
                                   throw std::runtime_error("in a coroutine");
                               });
                           try
                           {
                               co_await g.join();
                           }
                           catch (const muster::task_group_error& e)
                           {
                               caught = e.what();
                           }
                       });
    poll();
    BOOST_TEST(caught == "1 child of a task_group failed: in a coroutine");

    // deferred, as_tuple, use_future and detached.
    muster::task_group g(ex);
    gate open(ex);
    g.spawn(value_after(open, 1));
    bool deferred_ran = false;
    g.async_join(asio::deferred)([&](std::exception_ptr e) { deferred_ran = !e; });
    bool tuple_ran = false;
    g.async_join(asio::as_tuple(asio::deferred))([&](std::tuple<std::exception_ptr> t)
                                                 { tuple_ran = !std::get<0>(t); });
    std::future<void> f = g.async_join(asio::use_future);
    g.async_join(asio::detached);
    poll();
    BOOST_TEST(!deferred_ran);
    open.open();
    poll();
    BOOST_TEST(deferred_ran);
    BOOST_TEST(tuple_ran);
    f.get();
}

// CPython 3.13: cancelling the coroutine that awaits shield(inner) raises
// CancelledError there, and inner runs on to its end.
BOOST_AUTO_TEST_CASE(a_cancelled_shield_completes_at_once_and_the_coroutine_runs_on)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            gate g(ex);
            bool finished = false;
            asio::cancellation_signal sig;
            // Named: the coroutine refers to its captures while it runs.
            auto inner = [&]() -> asio::awaitable<int>
            {
                co_await g.wait();
                finished = true;
                co_return 42;
            };
            muster_test::completion<std::exception_ptr, int> wait(ex);
            wait.initiate(
                [&](auto h) {
                    muster::shield(
                        inner(), asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            const bool honoured = cc.type != asio::cancellation_type::none;
            BOOST_TEST(wait.called() == honoured);
            BOOST_TEST(!finished);
            g.open();
            poll();
            BOOST_TEST(finished); // not cancelled by the cancelled wait
            if (honoured)
                BOOST_TEST(muster_test::is_aborted(wait.arg<0>()));
            else
                BOOST_TEST(wait.arg<1>() == 42);
        }
    }
}

// CPython 3.13: wait_for(shield(t), timeout) times out and t goes on; its
// result is there for whoever awaits t later.
BOOST_AUTO_TEST_CASE(a_shielded_task_inside_a_timeout_runs_to_completion)
{
    gate g(ex);
    auto t = muster::create_task(ex, value_after(g, 42));
    std::string outcome;
    muster_test::spawn(
        *this,
        [&]() -> asio::awaitable<void>
        {
            try
            {
                co_await muster::wait_for(muster::shield(t), std::chrono::seconds(0));
            }
            catch (const boost::system::system_error& e)
            {
                outcome = e.code() == muster::error::timed_out ? "timed out" : e.what();
            }
            g.open();
            outcome += ", then " + std::to_string(co_await t);
        });
    poll();
    BOOST_TEST(outcome == "timed out, then 42");
}

BOOST_AUTO_TEST_CASE(shield_delivers_the_value_or_the_failure)
{
    gate g(ex);
    std::string seen;
    muster_test::spawn(*this,
                       [&]() -> asio::awaitable<void>
                       {
                           seen =
                               std::to_string(co_await muster::shield(value_after(g, 7)));
                           try
                           {
                               co_await muster::shield(fail_after(g, "failed"));
                           }
                           catch (const std::runtime_error& e)
                           {
                               seen += std::string(", ") + e.what();
                           }
                       });
    poll();
    g.open();
    poll();
    BOOST_TEST(seen == "7, failed");
    // A callback with no executor of its own names one.
    bool called = false;
    muster::shield(ex, muster_test::value_now(5),
                   [&](std::exception_ptr e, int v) { called = !e && v == 5; });
    BOOST_TEST(!called);
    poll();
    BOOST_TEST(called);
}

// A range whose iterator makes an awaitable when dereferenced: nothing is
// made before the bounded gather takes it. (Hand-written: clang 14 cannot
// compile libstdc++ 12's <ranges>.)
template <class F>
struct lazy_range
{
    int n;
    F make;
    struct iterator
    {
        int i;
        const lazy_range* r;
        auto operator*() const { return r->make(i); }
        iterator& operator++()
        {
            ++i;
            return *this;
        }
        bool operator==(const iterator& o) const { return i == o.i; }
    };
    iterator begin() const { return {0, this}; }
    iterator end() const { return {n, this}; }
};

template <class F>
lazy_range<F> lazily(int n, F make)
{
    return {n, std::move(make)};
}

// A child of the bounded gather tests: it counts how many run at once,
// waits for its own gate, then returns its index (or fails if asked).
struct windowed
{
    explicit windowed(const muster_test::tracking_executor& ex, int n)
    {
        for (int i = 0; i < n; ++i)
            gates.push_back(std::make_unique<gate>(ex));
    }
    std::vector<std::unique_ptr<gate>> gates;
    int running = 0, most = 0, made = 0, finished = 0;
    int fail_at = -1;

    asio::awaitable<int> child(int i)
    {
        ++running;
        most = std::max(most, running);
        try
        {
            co_await gates[std::size_t(i)]->wait();
        }
        catch (...)
        {
            --running;
            throw;
        }
        --running;
        ++finished;
        if (i == fail_at)
            throw std::runtime_error("child " + std::to_string(i));
        co_return i;
    }

    // Each awaitable is made only when the gather takes it.
    auto view(int n)
    {
        return lazily(n,
                      [this](int i)
                      {
                          ++made;
                          return child(i);
                      });
    }
};

BOOST_AUTO_TEST_CASE(bounded_gather_runs_at_most_limit_and_keeps_the_input_order)
{
    for (int limit : {1, 2, 3})
    {
        BOOST_TEST_CONTEXT("limit " << limit)
        {
            windowed w(ex, 6);
            muster_test::completion<std::exception_ptr, std::vector<int>> done(ex);
            done.initiate(
                [&](auto h)
                { muster::bounded_gather(std::size_t(limit), w.view(6), std::move(h)); });
            poll();
            BOOST_TEST(w.running == limit);
            BOOST_TEST(w.made == limit); // the range is read lazily
            // Finish them last first: the results still come in input order.
            for (int i = 5; i >= 0; --i)
            {
                w.gates[std::size_t(i)]->open();
                poll();
            }
            // Gates opened before their child started let it pass at once.
            BOOST_TEST(w.most == limit);
            BOOST_TEST(!done.arg<0>());
            BOOST_TEST((done.arg<1>() == std::vector<int>{0, 1, 2, 3, 4, 5}));
        }
    }
}

BOOST_AUTO_TEST_CASE(bounded_gather_with_a_limit_of_one_runs_one_after_the_other)
{
    windowed w(ex, 3);
    std::vector<int> order;
    muster_test::completion<std::exception_ptr, std::vector<int>> done(ex);
    done.initiate([&](auto h) { muster::bounded_gather(1, w.view(3), std::move(h)); });
    for (int i = 0; i < 3; ++i)
    {
        poll();
        BOOST_TEST(w.running == 1);
        BOOST_TEST(w.made == i + 1);
        w.gates[std::size_t(i)]->open();
    }
    poll();
    BOOST_TEST((done.arg<1>() == std::vector<int>{0, 1, 2}));
}

BOOST_AUTO_TEST_CASE(bounded_gather_the_first_failure_cancels_the_rest_and_starts_no_more)
{
    windowed w(ex, 8);
    w.fail_at = 1;
    muster_test::completion<std::exception_ptr, std::vector<int>> done(ex);
    done.initiate([&](auto h) { muster::bounded_gather(3, w.view(8), std::move(h)); });
    poll();
    w.gates[1]->open();
    poll();
    BOOST_TEST(muster_test::what(done.arg<0>()) == "child 1");
    BOOST_TEST(w.running == 0); // 0 and 2 were cancelled and waited for
    BOOST_TEST(w.made == 3);    // nothing after the failure was started
}

BOOST_AUTO_TEST_CASE(bounded_gather_with_return_exceptions_reports_every_outcome)
{
    windowed w(ex, 4);
    w.fail_at = 2;
    for (auto& g : w.gates)
        g->open();
    muster_test::completion<std::exception_ptr, std::vector<muster::result<int>>> done(
        ex);
    done.initiate(
        [&](auto h) {
            muster::bounded_gather(muster::return_exceptions, 2, w.view(4), std::move(h));
        });
    poll();
    BOOST_TEST(!done.arg<0>());
    const auto& r = done.arg<1>();
    BOOST_TEST_REQUIRE(r.size() == 4u);
    BOOST_TEST(r[0].value() == 0);
    BOOST_TEST(r[1].value() == 1);
    BOOST_TEST(muster_test::what(r[2].error()) == "child 2");
    BOOST_TEST(r[3].value() == 3);
}

BOOST_AUTO_TEST_CASE(a_cancelled_bounded_gather_waits_for_the_running_and_starts_no_more)
{
    for (bool return_exceptions : {false, true})
    {
        BOOST_TEST_CONTEXT("return_exceptions " << return_exceptions)
        {
            windowed w(ex, 6);
            asio::cancellation_signal sig;
            std::exception_ptr outcome;
            bool called = false;
            auto h = asio::bind_cancellation_slot(sig.slot(),
                                                  [&](std::exception_ptr e, auto)
                                                  {
                                                      outcome = e;
                                                      called = true;
                                                  });
            if (return_exceptions)
                muster::bounded_gather(muster::return_exceptions, ex, 2, w.view(6), h);
            else
                muster::bounded_gather(ex, 2, w.view(6), h);
            poll();
            sig.emit(asio::cancellation_type::terminal);
            poll();
            BOOST_TEST(called);
            BOOST_TEST(muster_test::is_aborted(outcome));
            BOOST_TEST(w.running == 0);
            BOOST_TEST(w.made == 2);
        }
    }
}

BOOST_AUTO_TEST_CASE(bounded_gather_refuses_a_limit_of_zero_and_takes_an_empty_range)
{
    std::vector<asio::awaitable<int>> none;
    BOOST_CHECK_THROW(muster::bounded_gather(ex, 0, none, asio::detached),
                      std::invalid_argument);
    muster_test::completion<std::exception_ptr, std::vector<int>> done(ex);
    done.initiate([&](auto h) { muster::bounded_gather(4, none, std::move(h)); });
    poll();
    BOOST_TEST(!done.arg<0>());
    BOOST_TEST(done.arg<1>().empty());
}

BOOST_AUTO_TEST_CASE(bounded_gather_over_a_large_lazy_range)
{
    // 20 000 children that each suspend once, 16 at a time, from a range
    // that is never materialised.
    int running = 0, most = 0;
    auto child = [&](int i) -> asio::awaitable<int>
    {
        ++running;
        most = std::max(most, running);
        co_await asio::post(asio::use_awaitable);
        --running;
        co_return i;
    };
    auto children = lazily(20'000, child);
    std::size_t count = 0;
    long long sum = 0;
    muster_test::spawn(*this,
                       [&]() -> asio::awaitable<void>
                       {
                           auto values = co_await muster::bounded_gather(16, children);
                           count = values.size();
                           for (int v : values)
                               sum += v;
                       });
    poll();
    BOOST_TEST(count == 20'000u);
    BOOST_TEST(sum == 19'999LL * 20'000 / 2);
    BOOST_TEST(most == 16);
}

BOOST_AUTO_TEST_CASE(bounded_gather_a_failure_before_the_first_suspension)
{
    // Child 1 fails as soon as it runs, while child 0 waits: the gather
    // stops, cancels child 0, starts nothing else, and reports child 1.
    windowed w(ex, 5);
    w.fail_at = 1;
    w.gates[1]->open();
    muster_test::completion<std::exception_ptr, std::vector<int>> done(ex);
    done.initiate([&](auto h) { muster::bounded_gather(3, w.view(5), std::move(h)); });
    poll();
    BOOST_TEST(muster_test::what(done.arg<0>()) == "child 1");
    BOOST_TEST(w.running == 0);
    BOOST_TEST(w.made == 2);
}

BOOST_AUTO_TEST_CASE(bounded_gather_stops_even_if_a_child_swallows_the_cancellation)
{
    // A child that catches its cancellation and returns normally must not
    // make its runner take the rest of the range.
    gate never(ex);
    int made = 0;
    auto swallowing = [&](int) -> asio::awaitable<int>
    {
        ++made;
        try
        {
            co_await never.wait();
        }
        catch (const boost::system::system_error&)
        {
        }
        co_return 0;
    };
    asio::cancellation_signal sig;
    std::exception_ptr outcome;
    bool called = false;
    muster::bounded_gather(muster::return_exceptions, ex, 2, lazily(100, swallowing),
                           asio::bind_cancellation_slot(sig.slot(),
                                                        [&](std::exception_ptr e, auto)
                                                        {
                                                            outcome = e;
                                                            called = true;
                                                        }));
    poll();
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(called);
    BOOST_TEST(muster_test::is_aborted(outcome));
    BOOST_TEST(made == 2);
}

BOOST_AUTO_TEST_CASE(bounded_gather_reports_a_range_that_throws)
{
    windowed w(ex, 4);
    auto throwing = lazily(4,
                           [&](int i)
                           {
                               if (i == 2)
                                   throw std::runtime_error("the range failed");
                               ++w.made;
                               return w.child(i);
                           });
    for (bool return_exceptions : {false, true})
    {
        BOOST_TEST_CONTEXT("return_exceptions " << return_exceptions)
        {
            w.made = 0;
            std::exception_ptr outcome;
            auto h = [&](std::exception_ptr e, auto) { outcome = e; };
            if (return_exceptions)
                muster::bounded_gather(muster::return_exceptions, ex, 4, throwing, h);
            else
                muster::bounded_gather(ex, 4, throwing, h);
            poll();
            BOOST_TEST(muster_test::what(outcome) == "the range failed");
            BOOST_TEST(w.running == 0); // 0 and 1 were cancelled and waited for
            BOOST_TEST(w.made == 2);
        }
    }
}

BOOST_AUTO_TEST_CASE(shield_and_bounded_gather_work_with_every_token_family)
{
    // use_awaitable and the default token are covered above; here deferred
    // with as_tuple, use_future and detached, for both operations.
    gate g(ex);
    std::vector<asio::awaitable<int>> none;
    bool tuple_ran = false, bounded_tuple_ran = false;
    muster::shield(ex, value_after(g, 1), asio::as_tuple(asio::deferred))(
        [&](std::tuple<std::exception_ptr, int> t)
        { tuple_ran = !std::get<0>(t) && std::get<1>(t) == 1; });
    std::future<int> shielded = muster::shield(ex, value_after(g, 2), asio::use_future);
    muster::shield(ex, value_after(g, 3), asio::detached);
    muster::bounded_gather(ex, 2, lazily(3, [&](int i) { return value_after(g, i); }),
                           asio::as_tuple(asio::deferred))(
        [&](std::tuple<std::exception_ptr, std::vector<int>> t) {
            bounded_tuple_ran =
                !std::get<0>(t) && std::get<1>(t) == std::vector<int>{0, 1, 2};
        });
    std::future<std::vector<int>> bounded = muster::bounded_gather(
        ex, 2, lazily(2, [&](int i) { return value_after(g, i); }), asio::use_future);
    muster::bounded_gather(ex, 1, none, asio::detached);
    poll();
    BOOST_TEST(!tuple_ran);
    g.open();
    poll();
    BOOST_TEST(tuple_ran);
    BOOST_TEST(bounded_tuple_ran);
    BOOST_TEST(shielded.get() == 2);
    BOOST_TEST((bounded.get() == std::vector<int>{0, 1}));
}

// bounded_gather honours terminal cancellation only (the filter of
// asio::co_spawn, which runs it); other types leave it running.
BOOST_AUTO_TEST_CASE(bounded_gather_honours_terminal_cancellation_only)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            windowed w(ex, 3);
            asio::cancellation_signal sig;
            std::exception_ptr outcome;
            std::vector<int> values;
            bool called = false;
            muster::bounded_gather(
                ex, 2, w.view(3),
                asio::bind_cancellation_slot(sig.slot(),
                                             [&](std::exception_ptr e, std::vector<int> v)
                                             {
                                                 outcome = e;
                                                 values = std::move(v);
                                                 called = true;
                                             }));
            poll();
            sig.emit(cc.type);
            poll();
            const bool honoured = cc.type == asio::cancellation_type::terminal;
            BOOST_TEST(called == honoured);
            for (auto& gt : w.gates)
                gt->open();
            poll();
            BOOST_TEST(called);
            if (honoured)
                BOOST_TEST(muster_test::is_aborted(outcome));
            else
                BOOST_TEST((values == std::vector<int>{0, 1, 2}));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// Destroying the execution context destroys the children, the join and the
// coroutine that owns the group, with nothing leaked (LSan) or invoked.
BOOST_AUTO_TEST_CASE(context_shutdown_destroys_a_waiting_group_and_its_owner)
{
    bool owner_destroyed = false, child_destroyed = false;
    {
        asio::io_context ctx;
        asio::co_spawn(
            ctx,
            [&]() -> asio::awaitable<void>
            {
                muster_test::frame_guard guard{owner_destroyed};
                muster::task_group g(co_await asio::this_coro::executor);
                g.spawn(
                    [&]() -> asio::awaitable<void>
                    {
                        muster_test::frame_guard child_guard{child_destroyed};
                        asio::steady_timer t(co_await asio::this_coro::executor,
                                             asio::steady_timer::time_point::max());
                        co_await t.async_wait(asio::use_awaitable);
                    });
                co_await g.join();
            },
            asio::detached);
        ctx.poll();
        BOOST_TEST(!owner_destroyed);
    }
    BOOST_TEST(owner_destroyed);
    BOOST_TEST(child_destroyed);
}
