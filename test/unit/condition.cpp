//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// condition: asyncio.Condition's behaviour as CPython 3.13 shows it, above
// all around cancellation, where a wait must hold the lock again before it
// completes.

#include <boost/muster/condition.hpp>
#include <boost/muster/lock.hpp>

#include <muster_test/completion.hpp>
#include <muster_test/fixture.hpp>
#include <muster_test/util.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
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

namespace
{
template <class Condition>
struct lock_of;
template <class E, class M>
struct lock_of<muster::basic_condition<E, M>>
{
    using type = muster::basic_lock<E, M>;
};
} // namespace

using conditions = std::tuple<muster::condition, muster::concurrent_condition>;

BOOST_AUTO_TEST_SUITE(condition_)

BOOST_FIXTURE_TEST_CASE_TEMPLATE(wait_and_notify_need_the_lock_and_change_nothing_without,
                                 Condition, conditions, io_fixture)
{
    // CPython: wait(), notify(n) (even notify(0)) and notify_all() on an
    // unlocked lock raise RuntimeError at once.
    Condition c(ex);
    BOOST_CHECK_THROW(c.notify(), boost::system::system_error);
    BOOST_CHECK_THROW(c.notify(0), boost::system::system_error);
    BOOST_CHECK_EXCEPTION(c.notify_all(), boost::system::system_error,
                          [](const auto& e)
                          { return e.code() == muster::error::not_locked; });
    done_completion w(ex);
    w.initiate([&](auto h) { c.async_wait(std::move(h)); });
    poll();
    BOOST_TEST((w.arg<0>() == muster::error::not_locked));
    BOOST_TEST(!c.locked());
    bool threw = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              try
              {
                  co_await c.wait();
              }
              catch (const boost::system::system_error& e)
              {
                  threw = e.code() == muster::error::not_locked;
              }
          });
    poll();
    BOOST_TEST(threw);
    BOOST_TEST(!c.locked());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_wait_releases_the_lock_and_completes_holding_it,
                                 Condition, conditions, io_fixture)
{
    typename lock_of<Condition>::type lk(ex);
    Condition c(lk);
    BOOST_TEST(lk.try_acquire());
    done_completion w(ex);
    w.initiate([&](auto h) { c.async_wait(std::move(h)); });
    BOOST_TEST(!lk.locked(), "the wait released the lock");
    done_completion other(ex);
    BOOST_TEST(lk.try_acquire());
    other.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    c.notify(); // the notified wait queues behind `other`
    lk.release();
    poll();
    BOOST_TEST(other.called());
    BOOST_TEST(!w.called(), "the wait completes only once it holds the lock");
    lk.release();
    poll();
    BOOST_TEST(w.called());
    BOOST_TEST(!w.arg<0>());
    BOOST_TEST(lk.locked());
    lk.release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(notify_wakes_the_oldest_n_and_notify_all_the_rest,
                                 Condition, conditions, io_fixture)
{
    Condition c(ex);
    std::vector<int> woken;
    for (int i = 0; i != 4; ++i)
        spawn(*this,
              [&, i]() -> asio::awaitable<void>
              {
                  auto g = co_await c.get_lock().scoped_acquire();
                  co_await c.wait();
                  woken.push_back(i);
              });
    poll();
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              auto g = co_await c.get_lock().scoped_acquire();
              c.notify(2);
              co_return;
          });
    poll();
    BOOST_TEST(woken == (std::vector<int>{0, 1}), boost::test_tools::per_element());
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              auto g = co_await c.get_lock().scoped_acquire();
              c.notify_all();
              co_return;
          });
    poll();
    BOOST_TEST(woken == (std::vector<int>{0, 1, 2, 3}), boost::test_tools::per_element());
    BOOST_TEST(!c.locked());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancelled_wait_takes_a_free_lock_at_once, Condition,
                                 conditions, io_fixture)
{
    // CPython: a wait cancelled while the lock is free re-acquires it at
    // once; locked() is then true on its behalf.
    for (const auto& cc : cancellation_cases)
    {
        if (cc.type == asio::cancellation_type::none)
            continue;
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            Condition c(ex);
            BOOST_TEST(c.get_lock().try_acquire());
            asio::cancellation_signal sig;
            done_completion w(ex);
            w.initiate(
                [&](auto h) {
                    c.async_wait(asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            BOOST_TEST(!c.locked());
            sig.emit(cc.type);
            BOOST_TEST(c.locked());
            poll();
            BOOST_TEST((w.arg<0>() == asio::error::operation_aborted));
            BOOST_TEST(c.locked());
            c.get_lock().release();
        }
    }
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancelled_wait_queues_last_for_a_held_lock, Condition,
                                 conditions, io_fixture)
{
    // CPython: if the lock is held, the cancelled wait stays pending, last in
    // the lock's FIFO ('t:cancelled' before 'other', who queued later).
    Condition c(ex);
    auto& lk = c.get_lock();
    BOOST_TEST(lk.try_acquire());
    asio::cancellation_signal sig;
    done_completion w(ex), other(ex);
    w.initiate([&](auto h)
               { c.async_wait(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    BOOST_TEST(lk.try_acquire());
    sig.emit(asio::cancellation_type::terminal);
    other.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    poll();
    BOOST_TEST(!w.called(), "pending while the lock is held");
    lk.release();
    poll();
    BOOST_TEST((w.arg<0>() == asio::error::operation_aborted));
    BOOST_TEST(!other.called());
    lk.release();
    poll();
    BOOST_TEST(other.called());
    lk.release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancelled_wait_passes_a_notification_on, Condition,
                                 conditions, io_fixture)
{
    // CPython: after re-acquiring, a cancelled wait notifies the oldest
    // remaining wait, even though it was never notified itself
    // (['x:cancelled', 'y'], z still waiting).
    Condition c(ex);
    std::vector<std::string> order;
    asio::cancellation_signal sig;
    auto waiter = [&](std::string name, bool cancellable) -> asio::awaitable<void>
    {
        auto g = co_await c.get_lock().scoped_acquire();
        try
        {
            if (cancellable)
                co_await c.async_wait(
                    asio::bind_cancellation_slot(sig.slot(), asio::use_awaitable));
            else
                co_await c.wait();
            order.push_back(name);
        }
        catch (const boost::system::system_error&)
        {
            BOOST_TEST(c.locked(), "a cancelled wait holds the lock again");
            order.push_back(name + ":cancelled");
        }
    };
    bool z_done = false;
    spawn(*this, [&] { return waiter("x", true); });
    spawn(*this, [&] { return waiter("y", false); });
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await waiter("z", false);
              z_done = true;
          });
    poll();
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(order == (std::vector<std::string>{"x:cancelled", "y"}),
               boost::test_tools::per_element());
    BOOST_TEST(!z_done);
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              auto g = co_await c.get_lock().scoped_acquire();
              c.notify();
          });
    poll();
    BOOST_TEST(z_done);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_wait_cancelled_while_reacquiring_goes_to_the_back,
                                 Condition, conditions, io_fixture)
{
    // CPython: each cancel of a notified wait that queues for the lock sends
    // it to the back again (['o1', 'o2', 't cancelled']).
    Condition c(ex);
    auto& lk = c.get_lock();
    BOOST_TEST(lk.try_acquire());
    asio::cancellation_signal sig;
    done_completion t(ex), o1(ex), o2(ex);
    std::vector<std::string> order;
    t.initiate([&](auto h)
               { c.async_wait(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    BOOST_TEST(lk.try_acquire());
    c.notify(); // t queues for the lock
    o1.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    sig.emit(asio::cancellation_type::terminal); // [o1, t]
    o2.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    sig.emit(asio::cancellation_type::terminal); // [o1, o2, t]
    auto step = [&]
    {
        lk.release();
        poll();
        if (o1.called() && order.empty())
            order.push_back("o1");
        else if (o2.called() && order.size() == 1)
            order.push_back("o2");
        else if (t.called() && order.size() == 2)
            order.push_back("t cancelled");
    };
    step();
    step();
    step();
    BOOST_TEST(order == (std::vector<std::string>{"o1", "o2", "t cancelled"}),
               boost::test_tools::per_element());
    BOOST_TEST((t.arg<0>() == asio::error::operation_aborted));
    lk.release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(wait_for_tests_the_predicate_holding_the_lock, Condition,
                                 conditions, io_fixture)
{
    Condition c(ex);
    int value = 0;
    bool coro_done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              auto g = co_await c.get_lock().scoped_acquire();
              co_await c.wait_for([&] { return value == 2; });
              BOOST_TEST(c.locked());
              coro_done = true;
          });
    done_completion token_form(ex);
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await c.get_lock().acquire();
              token_form.initiate(
                  [&](auto h)
                  { c.async_wait_for([&] { return value == 2; }, std::move(h)); });
          });
    poll();
    for (int i = 0; i != 2; ++i)
    {
        spawn(*this,
              [&]() -> asio::awaitable<void>
              {
                  auto g = co_await c.get_lock().scoped_acquire();
                  ++value;
                  c.notify_all();
              });
        poll();
    }
    BOOST_TEST(coro_done);
    BOOST_TEST(token_form.called());
    BOOST_TEST(!token_form.arg<0>());
    BOOST_TEST(c.locked()); // on the token form's behalf
    c.get_lock().release();

    // True to begin with: completes posted, without waiting.
    BOOST_TEST(c.get_lock().try_acquire());
    done_completion at_once(ex);
    at_once.initiate([&](auto h)
                     { c.async_wait_for([] { return true; }, std::move(h)); });
    poll();
    BOOST_TEST(!at_once.arg<0>());
    c.get_lock().release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(
    destroying_the_condition_completes_waits_holding_the_lock, Condition, conditions,
    io_fixture)
{
    typename lock_of<Condition>::type lk(ex);
    done_completion w(ex);
    {
        Condition c(lk);
        BOOST_TEST(lk.try_acquire());
        w.initiate([&](auto h) { c.async_wait(std::move(h)); });
    }
    poll();
    BOOST_TEST((w.arg<0>() == asio::error::operation_aborted));
    BOOST_TEST(lk.locked());
    lk.release();
}

BOOST_AUTO_TEST_CASE(destroying_the_context_destroys_a_coroutine_waiting_on_a_condition)
{
    bool destroyed = false;
    {
        asio::io_context ctx;
        auto c = std::make_shared<muster::condition>(ctx);
        asio::co_spawn(
            ctx,
            [c, &destroyed]() -> asio::awaitable<void>
            {
                muster_test::frame_guard guard{destroyed};
                auto g = co_await c->get_lock().scoped_acquire();
                co_await c->wait();
            },
            asio::detached);
        ctx.poll();
        BOOST_TEST(!destroyed);
    }
    BOOST_TEST(destroyed);
}

BOOST_AUTO_TEST_SUITE_END()
