//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// lock, semaphore, bounded_semaphore and shared_lock: asyncio.locks'
// behaviour as CPython 3.13 shows it, adapted to posted completions, plus
// Asio's contract.

#include <boost/muster/bounded_semaphore.hpp>
#include <boost/muster/lock.hpp>
#include <boost/muster/semaphore.hpp>
#include <boost/muster/shared_lock.hpp>

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
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <future>
#include <memory>
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

using locks = std::tuple<muster::lock, muster::concurrent_lock>;
using semaphores = std::tuple<muster::semaphore, muster::concurrent_semaphore>;
using shared_locks = std::tuple<muster::shared_lock, muster::concurrent_shared_lock>;

namespace
{
bool has_code(const boost::system::system_error& e, muster::error code)
{
    return e.code() == code;
}
} // namespace

BOOST_AUTO_TEST_SUITE(lock_)

BOOST_FIXTURE_TEST_CASE_TEMPLATE(acquires_are_posted_and_served_in_arrival_order, Lock,
                                 locks, io_fixture)
{
    Lock lk(ex);
    BOOST_TEST(!lk.locked());
    done_completion a(ex), b(ex), c(ex);
    a.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    BOOST_TEST(lk.locked()); // granted at once, completion posted
    BOOST_TEST(!a.called());
    b.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    c.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    poll();
    BOOST_TEST(a.called());
    BOOST_TEST(!a.arg<0>());
    BOOST_TEST(!b.called());
    lk.release();
    poll();
    BOOST_TEST(b.called());
    BOOST_TEST(!c.called());
    BOOST_TEST(lk.locked());
    lk.release();
    poll();
    BOOST_TEST(c.called());
    lk.release();
    BOOST_TEST(!lk.locked());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(release_of_an_unlocked_lock_fails_and_anyone_may_release,
                                 Lock, locks, io_fixture)
{
    // CPython: Lock.release() of an unlocked lock raises RuntimeError; the
    // lock has no owner, so another task may release it.
    Lock lk(ex);
    BOOST_CHECK_EXCEPTION(lk.release(), boost::system::system_error,
                          [](const auto& e)
                          { return has_code(e, muster::error::not_locked); });
    BOOST_TEST(lk.try_acquire());
    BOOST_TEST(!lk.try_acquire());
    bool released = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              lk.release();
              released = true;
              co_return;
          });
    poll();
    BOOST_TEST(released);
    BOOST_TEST(!lk.locked());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(try_acquire_never_barges_past_a_waiter, Lock, locks,
                                 io_fixture)
{
    Lock lk(ex);
    BOOST_TEST(lk.try_acquire());
    done_completion w(ex);
    w.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    lk.release(); // granted to the waiter, whose completion is posted
    BOOST_TEST(lk.locked());
    BOOST_TEST(!lk.try_acquire());
    poll();
    BOOST_TEST(w.called());
    lk.release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancelled_acquire_never_holds_the_lock, Lock, locks,
                                 io_fixture)
{
    for (const auto& cc : cancellation_cases)
    {
        BOOST_TEST_CONTEXT("cancellation type " << cc)
        {
            Lock lk(ex);
            BOOST_TEST(lk.try_acquire());
            asio::cancellation_signal sig;
            done_completion cancelled(ex), next(ex);
            cancelled.initiate(
                [&](auto h) {
                    lk.async_acquire(
                        asio::bind_cancellation_slot(sig.slot(), std::move(h)));
                });
            next.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
            sig.emit(cc.type);
            lk.release();
            poll();
            if (cc.type != asio::cancellation_type::none)
            {
                BOOST_TEST((cancelled.arg<0>() == asio::error::operation_aborted));
                BOOST_TEST(next.called()); // the lock went to the next waiter
                BOOST_TEST(!next.arg<0>());
            }
            else
            {
                BOOST_TEST(!cancelled.arg<0>());
                BOOST_TEST(!next.called());
                lk.release();
                poll();
                BOOST_TEST(next.called());
            }
            lk.release();
        }
    }
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancellation_after_the_grant_completes_normally, Lock,
                                 locks, io_fixture)
{
    // Muster's documented choice: the cancellation came too late, so the
    // acquire completes with success and holds the lock (asyncio passes the
    // lock on instead); either way the lock is not lost.
    Lock lk(ex);
    BOOST_TEST(lk.try_acquire());
    asio::cancellation_signal sig;
    done_completion w(ex);
    w.initiate(
        [&](auto h)
        { lk.async_acquire(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    lk.release(); // granted
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST(!w.arg<0>());
    BOOST_TEST(lk.locked());
    lk.release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(the_guard_releases_once_and_moves, Lock, locks,
                                 io_fixture)
{
    Lock lk(ex);
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              {
                  auto g = co_await lk.scoped_acquire();
                  BOOST_TEST(g.owns());
                  BOOST_TEST(lk.locked());
                  auto moved = std::move(g);
                  BOOST_TEST(!g.owns());
                  BOOST_TEST(moved.owns());
                  typename Lock::guard other;
                  other = std::move(moved);
                  BOOST_TEST(lk.locked());
                  other.release();
                  BOOST_TEST(!lk.locked());
                  other.release(); // never twice
                  BOOST_TEST(lk.try_acquire());
              } // the guards hold nothing: the lock stays held
              BOOST_TEST(lk.locked());
              lk.release();
              {
                  auto g = co_await lk.scoped_acquire();
              }
              BOOST_TEST(!lk.locked());
              done = true;
          });
    poll();
    BOOST_TEST(done);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(coroutine_forms_complete_without_suspending, Lock, locks,
                                 io_fixture)
{
    Lock lk(ex);
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await lk.acquire();
              lk.release();
              auto g = co_await lk.scoped_acquire();
              done = true;
          });
    BOOST_TEST(poll_one() == 1u);
    BOOST_TEST(done, "an acquire of a free lock must not suspend");
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(coroutines_take_turns, Lock, locks, io_fixture)
{
    Lock lk(ex);
    std::vector<std::string> log;
    auto worker = [&](std::string name) -> asio::awaitable<void>
    {
        for (int i = 0; i != 2; ++i)
        {
            auto g = co_await lk.scoped_acquire();
            log.push_back(name + " in");
            co_await asio::post(asio::use_awaitable); // yield while holding it
            log.push_back(name + " out");
        }
    };
    spawn(*this, [&] { return worker("a"); });
    spawn(*this, [&] { return worker("b"); });
    poll();
    BOOST_TEST(log == (std::vector<std::string>{"a in", "a out", "b in", "b out", "a in",
                                                "a out", "b in", "b out"}),
               boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_release_that_cannot_grant_may_be_retried, Lock, locks,
                                 io_fixture)
{
    Lock lk(ex);
    BOOST_TEST(lk.try_acquire());
    muster_test::allocation_counts counts;
    int calls = 0;
    lk.async_acquire(muster_test::failing_handler<error_code>(ctx, counts, calls));
    counts.fail_on = counts.allocations + 1;
    BOOST_CHECK_THROW(lk.release(), std::bad_alloc);
    BOOST_TEST(lk.locked(), "still held by the caller, who may release again");
    lk.release();
    poll();
    BOOST_TEST(calls == 1);
    BOOST_TEST(lk.locked());
    lk.release();
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_guard_whose_grant_cannot_be_posted_passes_the_lock_on,
                                 Lock, locks, io_fixture)
{
    // The guard's release cannot throw: the waiter whose completion cannot
    // be allocated is destroyed, and the lock goes to the next one.
    Lock lk(ex);
    muster_test::allocation_counts counts;
    int calls = 0;
    std::optional<typename Lock::guard> held;
    spawn(*this,
          [&]() -> asio::awaitable<void> { held.emplace(co_await lk.scoped_acquire()); });
    poll();
    BOOST_TEST(lk.locked());
    lk.async_acquire(muster_test::failing_handler<error_code>(ctx, counts, calls));
    done_completion next(ex);
    next.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    counts.fail_on = counts.allocations + 1;
    held.reset();
    poll();
    BOOST_TEST(calls == 0);
    BOOST_TEST(next.called(), "the lock is not lost");
    BOOST_TEST(lk.locked());
    lk.release();
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancellation_after_the_lock_is_destroyed_is_ignored,
                                 Lock, locks, io_fixture)
{
    auto lk = std::make_unique<Lock>(ex);
    BOOST_TEST(lk->try_acquire());
    asio::cancellation_signal sig;
    done_completion w(ex);
    w.initiate(
        [&](auto h)
        { lk->async_acquire(asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    lk.reset(); // its abort is posted
    sig.emit(asio::cancellation_type::terminal);
    poll();
    BOOST_TEST((w.arg<0>() == asio::error::operation_aborted));
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(destroying_the_lock_aborts_waiting_acquires, Lock, locks,
                                 io_fixture)
{
    done_completion w(ex);
    {
        Lock lk(ex);
        BOOST_TEST(lk.try_acquire());
        w.initiate([&](auto h) { lk.async_acquire(std::move(h)); });
    }
    poll();
    BOOST_TEST((w.arg<0>() == asio::error::operation_aborted));
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(tokens, Lock, locks, io_fixture)
{
    Lock lk(ex);
    int steps = 0;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await lk.async_acquire();
              lk.release();
              co_await lk.async_acquire(asio::use_awaitable);
              lk.release();
              co_await lk.async_acquire(asio::deferred);
              lk.release();
              auto [ec] = co_await lk.async_acquire(asio::as_tuple(asio::deferred));
              BOOST_TEST(!ec);
              lk.release();
              steps = 4;
          });
    poll();
    BOOST_TEST(steps == 4);
    std::future<void> f = lk.async_acquire(asio::use_future);
    muster_test::tracking_executor ex2(ctx.get_executor(), 2);
    muster_test::allocation_counts counts;
    done_completion bound(ex2);
    bound.initiate(
        [&](auto h)
        {
            lk.async_acquire(
                asio::bind_allocator(muster_test::counting_allocator<void>(counts),
                                     asio::bind_executor(ex2, std::move(h))));
        });
    BOOST_TEST(counts.allocations >= 1u,
               "a waiting acquire uses the handler's allocator");
    poll();
    f.get();
    lk.release();
    poll();
    BOOST_TEST(bound.called());
    BOOST_TEST(counts.allocations == counts.deallocations);
    lk.release();
    lk.async_acquire(asio::detached);
    poll();
    BOOST_TEST(lk.locked());
}

BOOST_AUTO_TEST_CASE(destroying_the_context_destroys_a_coroutine_waiting_on_a_lock)
{
    bool destroyed = false;
    {
        asio::io_context ctx;
        auto lk = std::make_shared<muster::lock>(ctx);
        BOOST_TEST(lk->try_acquire());
        asio::co_spawn(
            ctx,
            [lk, &destroyed]() -> asio::awaitable<void>
            {
                muster_test::frame_guard guard{destroyed};
                co_await lk->acquire(); // the frame owns the lock it waits on
            },
            asio::detached);
        ctx.poll();
        BOOST_TEST(!destroyed);
    }
    BOOST_TEST(destroyed);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(semaphore_)

BOOST_FIXTURE_TEST_CASE_TEMPLATE(counts_permits_and_zero_is_valid, Semaphore, semaphores,
                                 io_fixture)
{
    // CPython: Semaphore(0) is valid and locked(); locked() is also true
    // while others wait.
    Semaphore zero(ex, 0);
    BOOST_TEST(zero.locked());
    BOOST_TEST(zero.value() == 0u);
    BOOST_TEST(!zero.try_acquire());
    zero.release();
    BOOST_TEST(zero.value() == 1u);
    BOOST_TEST(!zero.locked());

    Semaphore s(ex, 3);
    BOOST_TEST(s.try_acquire(2));
    BOOST_TEST(s.value() == 1u);
    BOOST_TEST(!s.try_acquire(2));
    s.release(5); // an unbounded semaphore may grow
    BOOST_TEST(s.value() == 6u);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_large_request_at_the_head_is_not_starved, Semaphore,
                                 semaphores, io_fixture)
{
    Semaphore s(ex, 1);
    done_completion big(ex), small(ex);
    big.initiate([&](auto h) { s.async_acquire(3, std::move(h)); });
    small.initiate([&](auto h) { s.async_acquire(1, std::move(h)); });
    BOOST_TEST(!s.try_acquire(), "nobody barges past the waiting request");
    poll();
    BOOST_TEST(!big.called());
    BOOST_TEST(!small.called(), "one free permit must not go to the request behind");
    s.release(2); // three free: the head takes them
    poll();
    BOOST_TEST(big.called());
    BOOST_TEST(!small.called());
    BOOST_TEST(s.value() == 0u);
    s.release(3);
    poll();
    BOOST_TEST(small.called());
    BOOST_TEST(s.value() == 2u);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_cancelled_head_lets_the_requests_behind_it_through,
                                 Semaphore, semaphores, io_fixture)
{
    Semaphore s(ex, 2);
    asio::cancellation_signal sig;
    done_completion big(ex), a(ex), b(ex);
    big.initiate(
        [&](auto h)
        { s.async_acquire(5, asio::bind_cancellation_slot(sig.slot(), std::move(h))); });
    a.initiate([&](auto h) { s.async_acquire(std::move(h)); });
    b.initiate([&](auto h) { s.async_acquire(std::move(h)); });
    sig.emit(asio::cancellation_type::partial);
    poll();
    BOOST_TEST((big.arg<0>() == asio::error::operation_aborted));
    BOOST_TEST(a.called());
    BOOST_TEST(b.called());
    BOOST_TEST(s.value() == 0u, "the cancelled request kept no permit");
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(a_grant_that_cannot_be_posted_changes_nothing, Semaphore,
                                 semaphores, io_fixture)
{
    Semaphore s(ex, 0);
    muster_test::allocation_counts counts;
    int calls = 0;
    s.async_acquire(muster_test::failing_handler<error_code>(ctx, counts, calls));
    done_completion behind(ex);
    behind.initiate([&](auto h) { s.async_acquire(std::move(h)); });
    counts.fail_on = counts.allocations + 1; // the grant's post
    BOOST_CHECK_THROW(s.release(), std::bad_alloc);
    BOOST_TEST(s.value() == 0u, "the release is undone: the caller still holds it");
    BOOST_TEST(!s.try_acquire());
    s.release(); // the retry grants the first waiter
    poll();
    BOOST_TEST(calls == 1);
    BOOST_TEST(!behind.called());
    s.release();
    poll();
    BOOST_TEST(behind.called());
    BOOST_TEST(s.value() == 0u);
    BOOST_TEST(counts.allocations == counts.deallocations);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(coroutine_forms_and_guards, Semaphore, semaphores,
                                 io_fixture)
{
    Semaphore s(ex, 2);
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await s.acquire();
              {
                  auto g = co_await s.scoped_acquire();
                  BOOST_TEST(s.value() == 0u);
              }
              BOOST_TEST(s.value() == 1u);
              s.release();
              auto g2 = co_await s.scoped_acquire(2);
              BOOST_TEST(s.value() == 0u);
              done = true;
          });
    BOOST_TEST(poll_one() == 1u);
    BOOST_TEST(done, "acquires that can be granted at once must not suspend");
    BOOST_TEST(s.value() == 2u);
}

BOOST_FIXTURE_TEST_CASE(bounded_semaphore_refuses_releases_above_its_initial_value,
                        io_fixture)
{
    // CPython: BoundedSemaphore.release() raises ValueError when the value
    // already equals the initial one.
    muster::bounded_semaphore s(ex, 2);
    BOOST_CHECK_EXCEPTION(s.release(), boost::system::system_error,
                          [](const auto& e)
                          { return has_code(e, muster::error::too_many_releases); });
    BOOST_TEST(s.value() == 2u);
    BOOST_TEST(s.try_acquire());
    s.release();
    BOOST_CHECK_THROW(s.release(), boost::system::system_error);
    BOOST_TEST(s.try_acquire(2));
    BOOST_CHECK_THROW(s.release(3), boost::system::system_error);
    BOOST_TEST(s.value() == 0u);
    s.release(2);
    done_completion never(ex);
    never.initiate([&](auto h) { s.async_acquire(3, std::move(h)); });
    poll();
    BOOST_TEST((never.arg<0>() == muster::error::request_too_large));

    muster::concurrent_bounded_semaphore cs(ex, 1);
    BOOST_CHECK_THROW(cs.release(), boost::system::system_error);
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(destroying_the_semaphore_aborts_waiting_acquires,
                                 Semaphore, semaphores, io_fixture)
{
    done_completion w(ex);
    {
        Semaphore s(ex, 0);
        w.initiate([&](auto h) { s.async_acquire(std::move(h)); });
    }
    poll();
    BOOST_TEST((w.arg<0>() == asio::error::operation_aborted));
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(semaphore_tokens, Semaphore, semaphores, io_fixture)
{
    Semaphore s(ex, 1);
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await s.async_acquire();
              co_await s.async_acquire(0, asio::use_awaitable);
              s.release();
              co_await s.async_acquire(1, asio::deferred);
              s.release();
              auto [ec] = co_await s.async_acquire(asio::as_tuple(asio::use_awaitable));
              BOOST_TEST(!ec);
              done = true;
          });
    poll();
    BOOST_TEST(done);
    std::future<void> f = s.async_acquire(asio::use_future);
    s.release();
    poll();
    f.get();
    s.async_acquire(asio::detached);
    s.release();
    poll();
    BOOST_TEST(s.value() == 0u);
    s.release();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(shared_lock_)

BOOST_FIXTURE_TEST_CASE_TEMPLATE(shared_lock_tokens, Shared, shared_locks, io_fixture)
{
    Shared rw(ex);
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              co_await rw.async_acquire_shared();
              co_await rw.async_acquire_shared(asio::deferred);
              rw.release_shared();
              rw.release_shared();
              co_await rw.async_acquire(asio::use_awaitable);
              rw.release();
              auto [ec] = co_await rw.async_acquire(asio::as_tuple(asio::deferred));
              BOOST_TEST(!ec);
              rw.release();
              done = true;
          });
    poll();
    BOOST_TEST(done);
    std::future<void> f = rw.async_acquire_shared(asio::use_future);
    poll();
    f.get();
    rw.async_acquire(asio::detached); // waits for the shared holder
    rw.release_shared();
    poll();
    BOOST_TEST(rw.locked_exclusive());
    rw.release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(readers_share_and_a_writer_excludes, Shared,
                                 shared_locks, io_fixture)
{
    Shared rw(ex);
    BOOST_TEST(rw.try_acquire_shared());
    BOOST_TEST(rw.try_acquire_shared());
    BOOST_TEST(rw.locked());
    BOOST_TEST(!rw.locked_exclusive());
    BOOST_TEST(!rw.try_acquire());
    BOOST_CHECK_EXCEPTION(rw.release(), boost::system::system_error,
                          [](const auto& e)
                          { return has_code(e, muster::error::not_locked); });
    rw.release_shared();
    rw.release_shared();
    BOOST_CHECK_THROW(rw.release_shared(), boost::system::system_error);
    BOOST_TEST(rw.try_acquire());
    BOOST_TEST(rw.locked_exclusive());
    BOOST_TEST(!rw.try_acquire_shared());
    BOOST_CHECK_THROW(rw.release_shared(), boost::system::system_error);
    rw.release();
    BOOST_TEST(!rw.locked());
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(neither_readers_nor_writers_starve, Shared, shared_locks,
                                 io_fixture)
{
    Shared rw(ex);
    BOOST_TEST(rw.try_acquire_shared());
    done_completion writer(ex), reader1(ex), reader2(ex), writer2(ex);
    writer.initiate([&](auto h) { rw.async_acquire(std::move(h)); });
    reader1.initiate([&](auto h) { rw.async_acquire_shared(std::move(h)); });
    reader2.initiate([&](auto h) { rw.async_acquire_shared(std::move(h)); });
    writer2.initiate([&](auto h) { rw.async_acquire(std::move(h)); });
    BOOST_TEST(!rw.try_acquire_shared(), "a reader waits behind a waiting writer");
    poll();
    BOOST_TEST(!writer.called());
    BOOST_TEST(!reader1.called());
    rw.release_shared(); // the writer goes first
    poll();
    BOOST_TEST(writer.called());
    BOOST_TEST(!reader1.called());
    rw.release(); // both readers, not the second writer
    poll();
    BOOST_TEST(reader1.called());
    BOOST_TEST(reader2.called());
    BOOST_TEST(!writer2.called());
    rw.release_shared();
    rw.release_shared();
    poll();
    BOOST_TEST(writer2.called());
    rw.release();
}

BOOST_FIXTURE_TEST_CASE_TEMPLATE(guards_for_both_modes, Shared, shared_locks, io_fixture)
{
    Shared rw(ex);
    bool done = false;
    spawn(*this,
          [&]() -> asio::awaitable<void>
          {
              {
                  auto r1 = co_await rw.scoped_acquire_shared();
                  auto r2 = co_await rw.scoped_acquire_shared();
                  BOOST_TEST(rw.locked());
                  BOOST_TEST(!rw.locked_exclusive());
              }
              {
                  auto w = co_await rw.scoped_acquire();
                  BOOST_TEST(rw.locked_exclusive());
              }
              co_await rw.acquire();
              rw.release();
              co_await rw.acquire_shared();
              rw.release_shared();
              done = true;
          });
    BOOST_TEST(poll_one() == 1u);
    BOOST_TEST(done);
    BOOST_TEST(!rw.locked());
}

BOOST_AUTO_TEST_SUITE_END()
