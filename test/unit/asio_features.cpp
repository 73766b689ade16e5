//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// What newer Asio adds around completion tokens, and how Muster composes with
// it: the default completion token (deferred since Asio 1.31, an executor's
// own default in every version), immediate executors (Asio 1.28) and
// cancel_after / cancel_at (Asio 1.32). The cases for a feature the Asio in
// use lacks are compiled out; the test command runs this file against Boost
// 1.81, 1.83 and 1.88.

#include <boost/muster/gather.hpp>
#include <boost/muster/lock.hpp>
#include <boost/muster/queue.hpp>
#include <boost/muster/task.hpp>

#include <muster_test/fixture.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/version.hpp>
#include <boost/test/unit_test.hpp>

#if BOOST_ASIO_VERSION >= 102800
#include <boost/asio/bind_immediate_executor.hpp>
#endif
#if BOOST_ASIO_VERSION >= 103200
#include <boost/asio/cancel_after.hpp>
#include <boost/asio/cancel_at.hpp>
#endif

#include <chrono>
#include <tuple>
#include <type_traits>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;
using muster_test::io_fixture;

BOOST_AUTO_TEST_SUITE(asio_features)

// ---- the default completion token ---------------------------------------------

BOOST_FIXTURE_TEST_CASE(no_token_means_the_default_one, io_fixture)
{
#if BOOST_ASIO_VERSION >= 103100
    // Asio's own default, which Muster's operations then use.
    static_assert(std::is_same_v<asio::default_completion_token_t<asio::any_io_executor>,
                                 asio::deferred_t>);
#endif
    muster::queue<int> q(ctx);
    auto get = q.async_get(); // a deferred operation: nothing starts yet
    BOOST_TEST(q.try_put(7) == error_code());
    BOOST_TEST(q.size() == 1u);
    int got = 0;
    std::move(get)(asio::bind_executor(ctx,
                                       [&](error_code ec, int v)
                                       {
                                           BOOST_TEST(!ec);
                                           got = v;
                                       }));
    BOOST_TEST(got == 0); // posted, never inline
    poll();
    BOOST_TEST(got == 7);
}

BOOST_FIXTURE_TEST_CASE(an_executor_default_token_is_used, io_fixture)
{
    // An executor that carries its own default token: every operation of a
    // queue or a lock built on it completes through that token when given none.
    using executor = asio::as_tuple_t<asio::use_awaitable_t<>>::executor_with_default<
        asio::any_io_executor>;
    muster::basic_queue<int, muster::fifo_order, executor> q(executor(ctx.get_executor()),
                                                             1);
    int got = 0;
    error_code put_ec = asio::error::fault;
    muster_test::spawn(*this,
                       [&]() -> asio::awaitable<void>
                       {
                           auto [ec, v] = co_await q.async_get();
                           BOOST_TEST(!ec);
                           got = v;
                           std::tie(put_ec) = co_await q.async_put(2);
                       });
    poll();
    BOOST_TEST(got == 0);
    q.put_nowait(5);
    poll();
    BOOST_TEST(got == 5);
    BOOST_TEST(!put_ec);
    BOOST_TEST(q.get_nowait() == 2);
}

// ---- immediate executors --------------------------------------------------------

#if BOOST_ASIO_VERSION >= 102800
// An immediate executor lets an operation that completes at once run its
// handler there, possibly inline. Muster does not use it: a completion made
// inside the initiating function is posted to the handler's associated
// executor, always (it is made under the operation's lock, where running a
// handler that calls back into the object would deadlock or re-enter).
BOOST_FIXTURE_TEST_CASE(an_immediate_executor_does_not_make_a_completion_inline,
                        io_fixture)
{
    auto inline_ex = asio::system_executor();
    muster::queue<int> q(ctx);
    q.put_nowait(1);
    int calls = 0;
    auto on_ctx = [&](auto... /*results*/)
    {
        BOOST_TEST(ctx.get_executor().running_in_this_thread());
        ++calls;
    };
    q.async_get(
        asio::bind_immediate_executor(inline_ex, asio::bind_executor(ctx, on_ctx)));
    q.async_put(
        2, asio::bind_immediate_executor(inline_ex, asio::bind_executor(ctx, on_ctx)));
    muster::lock l(ctx);
    l.async_acquire(
        asio::bind_immediate_executor(inline_ex, asio::bind_executor(ctx, on_ctx)));
    BOOST_TEST(calls == 0);
    poll();
    BOOST_TEST(calls == 3);
    BOOST_TEST(l.locked());
    BOOST_TEST(q.get_nowait() == 2);
}
#endif

// ---- cancel_after / cancel_at ------------------------------------------------------

#if BOOST_ASIO_VERSION >= 103200
// cancel_after arms a timer that emits a cancellation on the operation's
// slot. Its timer is real, so these cases use a deadline already past (due
// at the first poll) or one far away: no test waits for time to pass.
BOOST_FIXTURE_TEST_CASE(cancel_after_aborts_a_waiting_get_and_loses_nothing, io_fixture)
{
    muster::queue<int> q(ctx);
    error_code ec;
    int calls = 0;
    q.async_get(asio::cancel_at(std::chrono::steady_clock::time_point(),
                                asio::bind_executor(ctx,
                                                    [&](error_code e, int)
                                                    {
                                                        ec = e;
                                                        ++calls;
                                                    })));
    poll_until([&] { return calls == 1; });
    BOOST_TEST(ec == asio::error::operation_aborted);
    // The aborted get holds nothing: the next item stays in the queue.
    q.put_nowait(3);
    BOOST_TEST(q.size() == 1u);
    BOOST_TEST(q.get_nowait() == 3);
}

BOOST_FIXTURE_TEST_CASE(cancel_after_aborts_a_waiting_put_without_adding, io_fixture)
{
    muster::queue<int> q(ctx, 1);
    q.put_nowait(1);
    error_code ec;
    int calls = 0;
    q.async_put(2, asio::cancel_at(std::chrono::steady_clock::time_point(),
                                   asio::bind_executor(ctx,
                                                       [&](error_code e)
                                                       {
                                                           ec = e;
                                                           ++calls;
                                                       })));
    poll_until([&] { return calls == 1; });
    BOOST_TEST(ec == asio::error::operation_aborted);
    BOOST_TEST(q.size() == 1u);
    BOOST_TEST(q.unfinished_tasks() == 1u);
    BOOST_TEST(q.get_nowait() == 1);
}

BOOST_FIXTURE_TEST_CASE(cancel_after_that_never_fires_changes_nothing, io_fixture)
{
    muster::queue<int> q(ctx);
    muster::lock l(ctx);
    int got = 0;
    bool acquired = false;
    muster_test::spawn(*this,
                       [&]() -> asio::awaitable<void>
                       {
                           co_await l.async_acquire(asio::cancel_after(
                               std::chrono::hours(1), asio::use_awaitable));
                           acquired = true;
                           got = co_await q.async_get(asio::cancel_after(
                               std::chrono::hours(1), asio::use_awaitable));
                           l.release();
                       });
    poll();
    BOOST_TEST(acquired);
    q.put_nowait(9);
    poll();
    BOOST_TEST(got == 9);
    BOOST_TEST(!l.locked());
}

BOOST_FIXTURE_TEST_CASE(cancel_after_on_a_gather_cancels_its_children, io_fixture)
{
    muster::queue<int> q(ctx);
    bool aborted = false;
    muster_test::spawn(
        *this,
        [&]() -> asio::awaitable<void>
        {
            try
            {
                // cancel_at's timer runs on the initiation's
                // executor: the forms of gather that name one.
                co_await muster::gather(ex, q.get(), q.get())(asio::cancel_at(
                    std::chrono::steady_clock::time_point(), asio::use_awaitable));
            }
            catch (...)
            {
                aborted = muster_test::is_aborted(std::current_exception());
            }
        });
    poll_until([&] { return aborted; });
    // Both children were cancelled and hold nothing.
    q.put_nowait(1);
    BOOST_TEST(q.size() == 1u);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
