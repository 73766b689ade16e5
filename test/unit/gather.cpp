//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/muster/gather.hpp>
#include <boost/muster/task.hpp>

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
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>
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

namespace
{

asio::awaitable<std::string> fail_after(gate& g, std::string msg)
{
    return muster_test::fail_after<std::string>(g, std::move(msg));
}

asio::awaitable<void> nothing()
{
    co_return;
}

asio::awaitable<void> set_after(gate& g, bool& flag)
{
    co_await g.wait();
    flag = true;
}

// Waits on `g`, recording in `log` how it ended.
asio::awaitable<int> logged(gate& g, std::vector<std::string>& log, std::string name)
{
    try
    {
        co_await g.wait();
    }
    catch (const boost::system::system_error& e)
    {
        log.push_back(
            name + (e.code() == asio::error::operation_aborted ? " aborted" : " failed"));
        throw;
    }
    log.push_back(name + " done");
    co_return 0;
}

using int_completion = completion<std::exception_ptr, std::tuple<int, int, int>>;

// An operation whose initiation throws, dropping the handler it was given.
struct throwing_operation
{
    template <asio::completion_token_for<void(error_code)> Token>
    auto operator()(Token&& token) &&
    {
        return asio::async_initiate<Token, void(error_code)>(
            [](auto) { throw std::runtime_error("initiation failed"); }, token);
    }
};

asio::awaitable<int> flag_start(bool& flag, int v)
{
    flag = true;
    co_return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(gather_)

// ---- results -------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(results_are_in_argument_order_not_completion_order, io_fixture)
{
    gate g1(ex), g2(ex), g3(ex);
    int_completion c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(value_after(g1, 1), value_after(g2, 2),
                           value_after(g3, 3))(std::move(h));
        });
    poll();
    g3.open();
    poll();
    g2.open();
    poll();
    BOOST_TEST(!c.called());
    g1.open();
    poll();
    BOOST_TEST(!c.arg<0>());
    BOOST_TEST((c.arg<1>() == std::tuple{1, 2, 3}));
}

BOOST_FIXTURE_TEST_CASE(mixed_children_and_value_mapping, io_fixture)
{
    gate g(ex);
    asio::steady_timer timer(ex, asio::steady_timer::time_point::min());
    muster_test::socket_pair sockets(ctx);
    std::string out = "ping", in(4, '\0');
    asio::write(sockets.a, asio::buffer(out));
    auto t = muster::create_task(ex, value_after(g, 5));
    g.open();

    std::exception_ptr e;
    std::tuple<int, std::monostate, std::monostate, std::size_t, int> values;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              auto op = muster::gather(
                  value_now(1), nothing(), timer.async_wait(asio::deferred),
                  sockets.b.async_read_some(asio::buffer(in), asio::deferred), t);
              static_assert(
                  std::is_same_v<decltype(op)::signature,
                                 void(std::exception_ptr,
                                      std::tuple<int, std::monostate, std::monostate,
                                                 std::size_t, int>)>);
              std::tie(e, values) =
                  co_await std::move(op)(asio::as_tuple(asio::deferred));
          });
    poll();
    BOOST_TEST(!e);
    BOOST_TEST(std::get<0>(values) == 1);
    BOOST_TEST(std::get<3>(values) == 4u);
    BOOST_TEST(in == "ping");
    BOOST_TEST(std::get<4>(values) == 5);
}

BOOST_FIXTURE_TEST_CASE(signatures_with_several_values_become_tuples, io_fixture)
{
    auto op = [](auto token)
    {
        return asio::async_initiate<decltype(token),
                                    void(boost::system::error_code, int, std::string)>(
            [](auto h)
            {
                auto ex = asio::get_associated_executor(h);
                asio::post(ex, [h = std::move(h)]() mutable
                           { std::move(h)(boost::system::error_code(), 7, "seven"); });
            },
            token);
    };
    std::tuple<int, std::string> v;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          { std::tie(v) = co_await muster::gather(op(asio::deferred)); });
    poll();
    BOOST_TEST(std::get<0>(v) == 7);
    BOOST_TEST(std::get<1>(v) == "seven");
}

BOOST_FIXTURE_TEST_CASE(range_of_awaitables, io_fixture)
{
    gate g(ex);
    std::vector<asio::awaitable<int>> children;
    for (int i = 0; i != 5; ++i)
        children.push_back(i % 2 ? value_after(g, i) : value_now(i));
    completion<std::exception_ptr, std::vector<int>> c(ex);
    c.initiate([&](auto h) { muster::gather(std::move(children))(std::move(h)); });
    poll();
    BOOST_TEST(!c.called());
    g.open();
    poll();
    BOOST_TEST((c.arg<1>() == std::vector<int>{0, 1, 2, 3, 4}));
}

BOOST_FIXTURE_TEST_CASE(range_of_deferred_operations_and_of_tasks, io_fixture)
{
    std::vector<asio::steady_timer> timers;
    for (int i = 0; i != 3; ++i)
        timers.emplace_back(ex, asio::steady_timer::time_point::min());
    std::vector<decltype(timers[0].async_wait(asio::deferred))> waits;
    for (auto& t : timers)
        waits.push_back(t.async_wait(asio::deferred));

    std::vector<muster::task<int>> tasks;
    for (int i = 0; i != 3; ++i)
        tasks.push_back(muster::create_task(ex, value_now(10 + i)));

    std::size_t timer_results = 0;
    std::vector<int> task_results;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              timer_results = (co_await muster::gather(std::move(waits))).size();
              task_results = co_await muster::gather(tasks); // lvalue: tasks copied
          });
    poll();
    BOOST_TEST(timer_results == 3u);
    BOOST_TEST((task_results == std::vector<int>{10, 11, 12}));
    BOOST_TEST(tasks.size() == 3u);
}

BOOST_FIXTURE_TEST_CASE(empty_gather_completes_posted, io_fixture)
{
    completion<std::exception_ptr, std::tuple<>> c1(ex);
    c1.initiate([&](auto h) { muster::gather()(std::move(h)); });
    completion<std::exception_ptr, std::vector<int>> c2(ex);
    c2.initiate([&](auto h)
                { muster::gather(std::vector<asio::awaitable<int>>{})(std::move(h)); });
    completion<std::vector<muster::result<int>>> c3(ex);
    c3.initiate(
        [&](auto h)
        {
            muster::gather(muster::return_exceptions,
                           std::vector<asio::awaitable<int>>{})(std::move(h));
        });
    BOOST_TEST(poll() == 3u);
    BOOST_TEST(c2.arg<1>().empty());
    BOOST_TEST(c3.arg<0>().empty());
}

BOOST_FIXTURE_TEST_CASE(hundred_thousand_children, io_fixture)
{
    constexpr int n = 100'000;
    std::vector<asio::awaitable<int>> children;
    children.reserve(n);
    for (int i = 0; i != n; ++i)
        children.push_back(value_now(i));
    completion<std::exception_ptr, std::vector<int>> c(ex);
    c.initiate([&](auto h) { muster::gather(std::move(children))(std::move(h)); });
    poll();
    const auto& v = c.arg<1>();
    BOOST_TEST_REQUIRE(v.size() == std::size_t(n));
    bool in_order = true;
    for (int i = 0; i != n; ++i)
        in_order = in_order && v[i] == i;
    BOOST_TEST(in_order);
}

BOOST_FIXTURE_TEST_CASE(nested_gathers, io_fixture)
{
    gate g(ex);
    std::tuple<std::tuple<int, int>, int> v;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              v = co_await muster::gather(muster::gather(value_after(g, 1), value_now(2)),
                                          value_now(3));
          });
    g.open();
    poll();
    BOOST_TEST((v == std::tuple{std::tuple{1, 2}, 3}));
}

// ---- failure -------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(first_failure_cancels_the_others_and_waits_for_them, io_fixture)
{
    std::vector<std::string> log;
    gate slow1(ex), slow2(ex), failing(ex);
    asio::steady_timer timer(ex, hours(1));
    muster_test::socket_pair sockets(ctx);
    char buf[8];
    completion<std::exception_ptr,
               std::tuple<int, int, std::string, std::monostate, std::size_t>>
        c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(logged(slow1, log, "gate1"), logged(slow2, log, "gate2"),
                           fail_after(failing, "boom"), timer.async_wait(asio::deferred),
                           sockets.b.async_read_some(asio::buffer(buf), asio::deferred))(
                asio::bind_executor(
                    ex,
                    [&log, h = std::move(h)](std::exception_ptr e, auto v) mutable
                    {
                        log.push_back("gather done");
                        std::move(h)(e, std::move(v));
                    }));
        });
    poll();
    BOOST_TEST(slow1.waiting() == 1);
    failing.open();
    poll();
    BOOST_TEST(what(c.arg<0>()) == "boom");
    BOOST_TEST((log == std::vector<std::string>{"gate1 aborted", "gate2 aborted",
                                                "gather done"}));
    // The timer (an hour away) and the socket read (no data) were cancelled
    // too: the gather could not have completed otherwise, and they left no
    // work behind (the fixture checks).
}

BOOST_FIXTURE_TEST_CASE(error_code_failure_of_a_deferred_operation, io_fixture)
{
    muster_test::socket_pair sockets(ctx);
    sockets.a.close(); // the read will see eof
    gate g(ex);
    std::vector<std::string> log;
    char buf[8];
    std::exception_ptr e;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              auto [failure, v] = co_await muster::gather(
                  sockets.b.async_read_some(asio::buffer(buf), asio::deferred),
                  logged(g, log, "sibling"))(asio::as_tuple(asio::use_awaitable));
              e = failure;
          });
    poll();
    BOOST_TEST((code_of(e) == asio::error::eof));
    BOOST_TEST((log == std::vector<std::string>{"sibling aborted"}));
}

BOOST_FIXTURE_TEST_CASE(co_await_throws_the_failure, io_fixture)
{
    gate g(ex);
    std::string caught;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              try
              {
                  co_await muster::gather(value_now(1), fail_after(g, "bad child"));
              }
              catch (const std::runtime_error& e)
              {
                  caught = e.what();
              }
          });
    g.open();
    poll();
    BOOST_TEST(caught == "bad child");
}

BOOST_FIXTURE_TEST_CASE(task_children_are_not_cancelled, io_fixture)
{
    gate task_gate(ex), failing(ex);
    auto t = muster::create_task(ex, value_after(task_gate, 9));
    completion<std::exception_ptr, std::tuple<int, std::string>> c(ex);
    c.initiate([&](auto h)
               { muster::gather(t, fail_after(failing, "x"))(std::move(h)); });
    failing.open();
    poll();
    BOOST_TEST(what(c.arg<0>()) == "x"); // completed without waiting for the task
    BOOST_TEST(!t.done());
    task_gate.open();
    poll();
    BOOST_TEST(t.result() == 9);
}

BOOST_FIXTURE_TEST_CASE(return_exceptions_collects_everything_and_cancels_nothing,
                        io_fixture)
{
    gate g1(ex), g2(ex), g3(ex);
    completion<
        std::tuple<muster::result<int>, muster::result<std::string>, muster::result<int>>>
        c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(muster::return_exceptions, value_after(g1, 1),
                           fail_after(g2, "B failed"), value_after(g3, 3))(std::move(h));
        });
    g2.open();
    poll();
    BOOST_TEST(!c.called());
    BOOST_TEST(g1.waiting() == 1); // not cancelled
    g1.open();
    g3.open();
    poll();
    const auto& [r1, r2, r3] = c.arg<0>();
    BOOST_TEST(r1.value() == 1);
    BOOST_TEST(r2.has_error());
    BOOST_TEST(what(r2.error()) == "B failed");
    BOOST_TEST(r3.value() == 3);
}

BOOST_FIXTURE_TEST_CASE(gather_of_gathers_with_return_exceptions, io_fixture)
{
    gate g(ex);
    std::tuple<muster::result<std::tuple<int, std::string>>,
               muster::result<std::tuple<int>>>
        r;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              r = co_await muster::gather(
                  muster::return_exceptions,
                  muster::gather(value_now(1), fail_after(g, "inner")),
                  muster::gather(value_now(2)));
          });
    g.open();
    poll();
    BOOST_TEST(std::get<0>(r).has_error());
    BOOST_TEST(what(std::get<0>(r).error()) == "inner");
    BOOST_TEST(std::get<0>(std::get<1>(r).value()) == 2);
}

BOOST_FIXTURE_TEST_CASE(error_code_failures_become_system_errors_in_results, io_fixture)
{
    asio::steady_timer timer(ex, hours(1));
    completion<std::tuple<muster::result<std::monostate>>> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(muster::return_exceptions,
                           timer.async_wait(asio::deferred))(std::move(h));
        });
    poll();
    timer.cancel();
    poll();
    BOOST_TEST(is_aborted(std::get<0>(c.arg<0>()).error()));
}

// ---- cancellation ------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(cancellation_is_forwarded_to_every_running_child, io_fixture)
{
    // return_exceptions shows how each child took the forwarded type.
    using ct = asio::cancellation_type;
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            gate coro_gate(ex), task_gate(ex);
            asio::steady_timer timer(ex, hours(1));
            auto t = muster::create_task(ex, value_after(task_gate, 4));
            asio::cancellation_signal sig;
            completion<std::tuple<muster::result<int>, muster::result<std::monostate>,
                                  muster::result<int>>>
                c(ex);
            c.initiate(
                [&](auto h)
                {
                    muster::gather(muster::return_exceptions, value_after(coro_gate, 1),
                                   timer.async_wait(asio::deferred), t)(
                        asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            if (cc.type != ct::terminal)
            {
                // A coroutine honours only terminal cancellation by default; the
                // gather waits for it.
                BOOST_TEST(!c.called());
                coro_gate.open();
                if (cc.type == ct::none)
                {
                    timer.cancel();
                    task_gate.open();
                }
                poll();
            }
            const auto& [coro, wait, task] = c.arg<0>();
            BOOST_TEST(coro.has_error() == (cc.type == ct::terminal));
            BOOST_TEST(is_aborted(wait.error()));
            if (cc.type == ct::none)
                BOOST_TEST(task.value() == 4);
            else
            {
                BOOST_TEST(is_aborted(task.error()));
                BOOST_TEST(!t.done(), "a task child is never cancelled by gather");
                task_gate.open();
                poll();
            }
            BOOST_TEST(t.result() == 4);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(cancelling_a_gather_makes_it_fail_and_stop_every_child,
                        io_fixture)
{
    // In the default mode the first child to report the cancellation is the
    // first failure, and gather then cancels the rest with terminal.
    for (const auto& cc : cancellation_cases)
    {
        if (cc.type == asio::cancellation_type::none)
            continue;
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            std::vector<std::string> log;
            gate g(ex);
            asio::steady_timer timer(ex, hours(1));
            asio::cancellation_signal sig;
            completion<std::exception_ptr, std::tuple<int, std::monostate>> c(ex);
            c.initiate(
                [&](auto h)
                {
                    muster::gather(logged(g, log, "coroutine"),
                                   timer.async_wait(asio::deferred))(
                        asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            poll();
            sig.emit(cc.type);
            poll();
            BOOST_TEST(is_aborted(c.arg<0>()));
            BOOST_TEST((log == std::vector<std::string>{"coroutine aborted"}));
        }
    }
}

BOOST_FIXTURE_TEST_CASE(cancelled_return_exceptions_gather_reports_each_child, io_fixture)
{
    gate g(ex);
    asio::cancellation_signal sig;
    completion<std::tuple<muster::result<int>, muster::result<int>>> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(muster::return_exceptions, value_now(1), value_after(g, 2))(
                asio::bind_cancellation_slot(sig.slot(), std::move(h)));
        });
    poll();
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(std::get<0>(c.arg<0>()).value() == 1);
    BOOST_TEST(is_aborted(std::get<1>(c.arg<0>()).error()));
}

// ---- executors ------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(coroutine_children_run_on_the_right_executor, io_fixture)
{
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    auto where = []() -> asio::awaitable<int>
    { co_return muster_test::current_executor_id; };
    completion<std::exception_ptr, std::tuple<int>> on_handler(ex), on_given(ex);
    on_handler.initiate([&](auto h) { muster::gather(where())(std::move(h)); });
    on_given.initiate([&](auto h) { muster::gather(ex2, where())(std::move(h)); });
    poll();
    BOOST_TEST(std::get<0>(on_handler.arg<1>()) == 1);
    BOOST_TEST(std::get<0>(on_given.arg<1>()) == 2);
}

// ---- completion tokens -------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(token_use_awaitable_default_and_deferred, io_fixture)
{
    std::tuple<int, int> a, b, d;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              a = co_await muster::gather(value_now(1),
                                          value_now(2))(asio::use_awaitable);
              b = co_await muster::gather(value_now(3), value_now(4));
              auto op = muster::gather(value_now(5), value_now(6))(asio::deferred);
              d = co_await std::move(op);
          });
    poll();
    BOOST_TEST((a == std::tuple{1, 2}));
    BOOST_TEST((b == std::tuple{3, 4}));
    BOOST_TEST((d == std::tuple{5, 6}));
}

BOOST_FIXTURE_TEST_CASE(token_use_future_and_detached_with_an_executor, io_fixture)
{
    std::future<std::tuple<int>> f = muster::gather(ex, value_now(8))(asio::use_future);
    gate g(ex);
    bool finished = false;
    muster::gather(ctx, set_after(g, finished))(asio::detached);
    g.open();
    poll();
    BOOST_TEST(std::get<0>(f.get()) == 8);
    BOOST_TEST(finished);
}

BOOST_FIXTURE_TEST_CASE(token_as_tuple_and_redirect_error, io_fixture)
{
    gate g(ex);
    std::exception_ptr e;
    std::tuple<int> v;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              std::tie(e, std::ignore) = co_await muster::gather(fail_after(g, "t"))(
                  asio::as_tuple(asio::use_awaitable));
              // No error_code in the signature: redirect_error passes through.
              boost::system::error_code ec = asio::error::eof;
              v = co_await muster::gather(value_now(3))(
                  asio::redirect_error(asio::use_awaitable, ec));
              BOOST_TEST((ec == asio::error::eof));
          });
    g.open();
    poll();
    BOOST_TEST(what(e) == "t");
    BOOST_TEST(std::get<0>(v) == 3);
}

BOOST_FIXTURE_TEST_CASE(token_bind_executor_and_bind_allocator, io_fixture)
{
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    muster_test::allocation_counts counts;
    completion<std::exception_ptr, std::tuple<int>> c(ex2);
    c.initiate(
        [&](auto h)
        {
            muster::gather(value_now(1))(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    BOOST_TEST(counts.allocations >= 1u, "gather state must use the allocator");
    poll();
    BOOST_TEST(std::get<0>(c.arg<1>()) == 1);
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE(token_use_promise, io_fixture)
{
    auto p =
        muster::gather(ex, value_now(2), value_now(3))(asio::experimental::use_promise);
    completion<std::exception_ptr, std::tuple<int, int>> c(ex);
    c.initiate([&](auto h) { p(std::move(h)); });
    poll();
    BOOST_TEST((c.arg<1>() == std::tuple{2, 3}));
}

// ---- lifetime -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(destroying_the_context_mid_gather_leaks_nothing)
{
    bool invoked = false;
    {
        asio::io_context ctx;
        gate g(ctx.get_executor());
        asio::steady_timer timer(ctx, hours(1));
        muster::gather(ctx, value_after(g, 1), timer.async_wait(asio::deferred))(
            [&](std::exception_ptr, auto) { invoked = true; });
        ctx.poll();
    }
    BOOST_TEST(!invoked);
}

// ---- faults ---------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(a_child_whose_initiation_throws_fails_the_gather, io_fixture)
{
    // The child started before it (a timer wait an hour long) is cancelled
    // and waited for, the one after it never starts, and the gather completes
    // with the exception.
    asio::steady_timer timer(ctx, hours(1));
    bool later_started = false;
    completion<std::exception_ptr, std::tuple<std::monostate, std::monostate, int>> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(timer.async_wait(asio::deferred), throwing_operation{},
                           flag_start(later_started, 3))(std::move(h));
        });
    drain();
    BOOST_TEST(what(c.arg<0>()) == "initiation failed");
    BOOST_TEST(!later_started);
    BOOST_TEST(timer.cancel() == 0u, "the timer wait was cancelled by the gather");
}

BOOST_FIXTURE_TEST_CASE(with_return_exceptions_a_throwing_initiation_is_one_result,
                        io_fixture)
{
    completion<std::tuple<muster::result<int>, muster::result<std::monostate>,
                          muster::result<int>>>
        c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(muster::return_exceptions, value_now(1), throwing_operation{},
                           value_now(3))(std::move(h));
        });
    drain();
    const auto& [a, b, d] = c.arg<0>();
    BOOST_TEST(a.value() == 1);
    BOOST_TEST(what(b.error()) == "initiation failed");
    BOOST_TEST(d.value() == 3);
}

BOOST_FIXTURE_TEST_CASE(the_handlers_allocator_reaches_every_child, io_fixture)
{
    // Timer waits and task waits are allocated through the handler gather
    // gives each child, which carries the gather handler's allocator.
    muster_test::allocation_counts counts;
    asio::steady_timer t1(ctx, hours(1)), t2(ctx, hours(1));
    gate g(ex);
    auto task = muster::create_task(ex, value_after(g, 4));
    completion<std::exception_ptr, std::tuple<std::monostate, std::monostate, int>> c(ex);
    c.initiate(
        [&](auto h)
        {
            muster::gather(t1.async_wait(asio::deferred), t2.async_wait(asio::deferred),
                           task)(asio::bind_allocator(
                muster_test::counting_allocator<void>(counts), std::move(h)));
        });
    // The state, two timer operations and the task's wait node.
    BOOST_TEST(counts.allocations >= 4u);
    t1.cancel();
    drain();
    g.open();
    drain();
    BOOST_TEST(c.called());
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE(a_child_completing_inside_its_initiation, io_fixture)
{
    // asio::deferred.values completes inside its initiation: an ordinary
    // completion, alone or beside a child that is still running, and the
    // gather still completes later, posted.
    completion<std::exception_ptr, std::tuple<int>> alone(ex);
    alone.initiate(
        [&](auto h)
        { muster::gather(asio::deferred.values(error_code(), 5))(std::move(h)); });
    gate g(ex);
    completion<std::exception_ptr, std::tuple<int, int>> beside(ex);
    beside.initiate(
        [&](auto h)
        {
            muster::gather(asio::deferred.values(error_code(), 5),
                           value_after(g, 6))(std::move(h));
        });
    drain();
    BOOST_TEST(!alone.arg<0>());
    BOOST_TEST(std::get<0>(alone.arg<1>()) == 5);
    BOOST_TEST(!beside.called());
    g.open();
    drain();
    BOOST_TEST((beside.arg<1>() == std::tuple<int, int>(5, 6)));
}

BOOST_AUTO_TEST_SUITE_END()
