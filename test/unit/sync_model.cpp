//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Random operations on every synchronisation primitive against a simple
// reference model. The model decides each operation's outcome at the moment
// the primitive must have decided it (at start, on a release, a notify, a
// set, an arrival, a cancellation); the handlers record what really happened,
// and the two must agree for every operation, and for every observer after
// every step.

#include <boost/muster/barrier.hpp>
#include <boost/muster/bounded_semaphore.hpp>
#include <boost/muster/condition.hpp>
#include <boost/muster/event.hpp>
#include <boost/muster/lock.hpp>
#include <boost/muster/semaphore.hpp>
#include <boost/muster/shared_lock.hpp>

#include <muster_test/fixture.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace asio = boost::asio;
namespace muster = boost::muster;
using boost::system::error_code;
using muster_test::io_fixture;

namespace
{

constexpr asio::cancellation_type cancel_types[] = {
    asio::cancellation_type::terminal, asio::cancellation_type::partial,
    asio::cancellation_type::total, asio::cancellation_type::none};

// What an operation is expected to complete with, and what it did.
struct op_record
{
    std::optional<error_code> expected;
    std::optional<error_code> actual;
    std::size_t expected_index = 0, actual_index = 0; // barrier parties
    int calls = 0;
    asio::cancellation_signal signal;
};

// The operations of one run, by id. A completion is checked against the
// model's decision when it happens: the model must have decided it, with
// that result; at the end, every decided operation must have completed.
class ledger
{
public:
    std::size_t add()
    {
        ops_.push_back(std::make_unique<op_record>());
        return ops_.size() - 1;
    }
    op_record& operator[](std::size_t id) { return *ops_[id]; }

    auto handler(std::size_t id)
    {
        return asio::bind_cancellation_slot(
            ops_[id]->signal.slot(), [this, id](error_code ec, std::size_t index = 0)
            { completed(id, ec, index); });
    }

    void expect(std::size_t id, error_code ec, std::size_t index = 0)
    {
        BOOST_TEST_REQUIRE(!ops_[id]->expected.has_value(), "decided twice: op " << id);
        ops_[id]->expected = ec;
        ops_[id]->expected_index = index;
        ++decided_;
    }

    // No completion disagreed with the model so far; with `all`, every
    // decided operation has completed.
    bool check(bool all) const { return ok_ && (!all || completed_ == decided_); }

private:
    void completed(std::size_t id, error_code ec, std::size_t index)
    {
        op_record& r = *ops_[id];
        ++completed_;
        if (++r.calls > 1)
            fail(id, "completed twice");
        else if (!r.expected)
            fail(id, "completed, but the model had not decided it");
        else if (ec != *r.expected)
            fail(id, "completed with " + ec.message() + ", expected " +
                         r.expected->message());
        else if (index != r.expected_index)
            fail(id, "completed with index " + std::to_string(index) + ", expected " +
                         std::to_string(r.expected_index));
    }

    void fail(std::size_t id, const std::string& what)
    {
        BOOST_ERROR("op " << id << ": " << what);
        ok_ = false;
    }

    std::vector<std::unique_ptr<op_record>> ops_;
    std::size_t decided_ = 0, completed_ = 0;
    bool ok_ = true;
};

const error_code aborted = asio::error::operation_aborted;

// ---- permits: lock, semaphore, bounded_semaphore, shared_lock -----------------

// `Adapter` maps the model's acquire(n) / release(n) to the primitive.
// The step count of a model run. Under AddressSanitizer, whose fake stacks
// (detect_stack_use_after_return) make each coroutine step many times
// slower, a tenth: memory errors show in the first thousands of steps, and
// every other build runs them all.
constexpr int model_steps(int steps) noexcept
{
#if defined(__SANITIZE_ADDRESS__)
    return steps / 10;
#else
    return steps;
#endif
}

template <class Adapter>
void permit_model(io_fixture& fix, unsigned seed, int steps)
{
    steps = model_steps(steps);
    std::mt19937 rng(seed);
    ledger ops;
    auto primitive = std::make_unique<Adapter>(fix.ex);
    Adapter& a = *primitive;
    std::size_t avail = a.initial();
    struct waiting
    {
        std::size_t id, n;
    };
    std::deque<waiting> queue;
    std::vector<std::size_t> held; // grants not yet released
    auto serve = [&]
    {
        while (!queue.empty() && queue.front().n <= avail)
        {
            avail -= queue.front().n;
            held.push_back(queue.front().n);
            ops.expect(queue.front().id, {});
            queue.pop_front();
        }
    };
    for (int step = 0; step != steps; ++step)
    {
        unsigned r = rng() % 100;
        if (r < 30)
        {
            std::size_t n = a.random_n(rng);
            std::size_t id = ops.add();
            a.async_acquire(n, ops.handler(id));
            if (queue.empty() && n <= avail)
            {
                avail -= n;
                held.push_back(n);
                ops.expect(id, {});
            }
            else
                queue.push_back({id, n});
        }
        else if (r < 40)
        {
            std::size_t n = a.random_n(rng);
            bool got = a.try_acquire(n);
            bool model = queue.empty() && n <= avail;
            BOOST_TEST_REQUIRE(got == model, "try_acquire at step " << step);
            if (got)
            {
                avail -= n;
                held.push_back(n);
            }
        }
        else if (r < 65 && !held.empty())
        {
            std::size_t i = rng() % held.size();
            std::size_t n = held[i];
            held.erase(held.begin() + i);
            a.release(n);
            avail += n;
            serve();
        }
        else if (r < 67)
            BOOST_TEST_REQUIRE(a.over_release(), "a release with nothing held must fail");
        else if (r < 82 && !queue.empty())
        {
            std::size_t i = rng() % queue.size();
            auto type = cancel_types[rng() % 4];
            std::size_t id = queue[i].id;
            ops[id].signal.emit(type);
            if (type != asio::cancellation_type::none)
            {
                queue.erase(queue.begin() + i);
                ops.expect(id, aborted);
                serve();
            }
        }
        else
            fix.poll();
        BOOST_TEST_REQUIRE(a.agrees(avail), "free permits at step " << step);
        BOOST_TEST_REQUIRE(ops.check(false), "at step " << step);
    }
    while (!held.empty())
    {
        std::size_t n = held.back();
        held.pop_back();
        a.release(n);
        avail += n;
        serve();
    }
    for (auto& w : queue) // requests that can never be granted
        ops.expect(w.id, aborted);
    primitive.reset();
    fix.poll();
    BOOST_TEST(ops.check(true));
}

template <class Semaphore>
struct semaphore_adapter
{
    explicit semaphore_adapter(const asio::any_io_executor& ex) : s(ex, 2) {}
    Semaphore s;
    std::size_t initial() const { return 2; }
    std::size_t random_n(std::mt19937& rng) const { return rng() % 4; }
    template <class H>
    void async_acquire(std::size_t n, H&& h)
    {
        s.async_acquire(n, std::forward<H>(h));
    }
    bool try_acquire(std::size_t n) { return s.try_acquire(n); }
    void release(std::size_t n) { s.release(n); }
    // Unbounded, yet never above SIZE_MAX: a release that would overflow
    // fails and changes nothing.
    bool over_release()
    {
        std::size_t before = s.value();
        if (before == 0)
            return true;
        try
        {
            s.release(std::size_t(-1));
        }
        catch (const boost::system::system_error& e)
        {
            return e.code() == muster::error::too_many_releases && s.value() == before;
        }
        return false;
    }
    bool agrees(std::size_t avail) const { return s.value() == avail; }
};

struct lock_adapter
{
    explicit lock_adapter(const asio::any_io_executor& ex) : lk(ex) {}
    muster::lock lk;
    std::size_t initial() const { return 1; }
    std::size_t random_n(std::mt19937&) const { return 1; }
    template <class H>
    void async_acquire(std::size_t, H&& h)
    {
        lk.async_acquire(std::forward<H>(h));
    }
    bool try_acquire(std::size_t) { return lk.try_acquire(); }
    void release(std::size_t) { lk.release(); }
    bool over_release()
    {
        if (lk.locked())
            return true;
        try
        {
            lk.release();
        }
        catch (const boost::system::system_error& e)
        {
            return e.code() == muster::error::not_locked;
        }
        return false;
    }
    bool agrees(std::size_t avail) const { return lk.locked() == (avail == 0); }
};

struct bounded_adapter
{
    explicit bounded_adapter(const asio::any_io_executor& ex) : s(ex, 3) {}
    muster::concurrent_bounded_semaphore s;
    std::size_t initial() const { return 3; }
    std::size_t random_n(std::mt19937& rng) const { return 1 + rng() % 3; }
    template <class H>
    void async_acquire(std::size_t n, H&& h)
    {
        s.async_acquire(n, std::forward<H>(h));
    }
    bool try_acquire(std::size_t n) { return s.try_acquire(n); }
    void release(std::size_t n) { s.release(n); }
    bool over_release()
    {
        std::size_t before = s.value();
        try
        {
            s.release(4 - before); // one above the bound
        }
        catch (const boost::system::system_error& e)
        {
            return e.code() == muster::error::too_many_releases && s.value() == before;
        }
        return false;
    }
    bool agrees(std::size_t avail) const { return s.value() == avail; }
};

// A shared hold is one permit of `all`, an exclusive one every permit.
struct shared_lock_adapter
{
    static constexpr std::size_t all = std::size_t(-1);
    explicit shared_lock_adapter(const asio::any_io_executor& ex) : rw(ex) {}
    muster::shared_lock rw;
    std::size_t initial() const { return all; }
    std::size_t random_n(std::mt19937& rng) const { return rng() % 4 == 0 ? all : 1; }
    template <class H>
    void async_acquire(std::size_t n, H&& h)
    {
        if (n == all)
            rw.async_acquire(std::forward<H>(h));
        else
            rw.async_acquire_shared(std::forward<H>(h));
    }
    bool try_acquire(std::size_t n)
    {
        return n == all ? rw.try_acquire() : rw.try_acquire_shared();
    }
    void release(std::size_t n)
    {
        if (n == all)
            rw.release();
        else
            rw.release_shared();
    }
    bool over_release()
    {
        if (rw.locked_exclusive())
            return true;
        try
        {
            rw.release(); // not held exclusively
        }
        catch (const boost::system::system_error& e)
        {
            return e.code() == muster::error::not_locked;
        }
        return false;
    }
    // Observable as free / shared / exclusive.
    bool agrees(std::size_t avail) const
    {
        return rw.locked_exclusive() == (avail == 0) && rw.locked() == (avail != all);
    }
};

// ---- event -----------------------------------------------------------------

template <class Event>
void event_model(io_fixture& fix, unsigned seed, int steps)
{
    steps = model_steps(steps);
    std::mt19937 rng(seed);
    ledger ops;
    auto primitive = std::make_unique<Event>(fix.ex);
    Event& e = *primitive;
    bool set = false;
    std::vector<std::size_t> waiting;
    for (int step = 0; step != steps; ++step)
    {
        unsigned r = rng() % 100;
        if (r < 40)
        {
            std::size_t id = ops.add();
            e.async_wait(ops.handler(id));
            if (set)
                ops.expect(id, {});
            else
                waiting.push_back(id);
        }
        else if (r < 50)
        {
            e.set();
            set = true;
            for (std::size_t id : waiting)
                ops.expect(id, {});
            waiting.clear();
        }
        else if (r < 62)
        {
            e.clear();
            set = false;
        }
        else if (r < 80 && !waiting.empty())
        {
            std::size_t i = rng() % waiting.size();
            auto type = cancel_types[rng() % 4];
            std::size_t id = waiting[i];
            ops[id].signal.emit(type);
            if (type != asio::cancellation_type::none)
            {
                waiting.erase(waiting.begin() + i);
                ops.expect(id, aborted);
            }
        }
        else
            fix.poll();
        BOOST_TEST_REQUIRE(e.is_set() == set, "at step " << step);
        BOOST_TEST_REQUIRE(ops.check(false), "at step " << step);
    }
    for (std::size_t id : waiting)
        ops.expect(id, aborted);
    primitive.reset();
    fix.poll();
    BOOST_TEST(ops.check(true));
}

// ---- barrier ---------------------------------------------------------------

template <class Barrier>
void barrier_model(io_fixture& fix, unsigned seed, int steps)
{
    steps = model_steps(steps);
    std::mt19937 rng(seed);
    ledger ops;
    const std::size_t parties = 1 + seed % 4;
    auto primitive = std::make_unique<Barrier>(fix.ex, parties);
    Barrier& b = *primitive;
    bool broken = false;
    std::vector<std::pair<std::size_t, std::size_t>> waiting; // id, index
    auto break_all = [&]
    {
        for (auto [id, index] : waiting)
            ops.expect(id, muster::error::broken_barrier, index);
        waiting.clear();
    };
    for (int step = 0; step != steps; ++step)
    {
        unsigned r = rng() % 1000;
        if (r < 450)
        {
            std::size_t id = ops.add();
            b.async_wait(ops.handler(id));
            std::size_t index = waiting.size();
            if (broken)
                ops.expect(id, muster::error::broken_barrier, 0);
            else if (index + 1 == parties)
            {
                for (auto [wid, windex] : waiting)
                    ops.expect(wid, {}, windex);
                waiting.clear();
                ops.expect(id, {}, index);
            }
            else
                waiting.emplace_back(id, index);
        }
        else if (r < 650 && !waiting.empty())
        {
            std::size_t i = rng() % waiting.size();
            auto type = cancel_types[rng() % 4];
            std::size_t id = waiting[i].first;
            ops[id].signal.emit(type);
            if (type != asio::cancellation_type::none)
            {
                ops.expect(id, aborted, waiting[i].second);
                waiting.erase(waiting.begin() + i);
            }
        }
        else if (r < 700)
        {
            b.reset();
            break_all();
        }
        else if (r < 703)
        {
            b.abort();
            broken = true;
            break_all();
        }
        else
            fix.poll();
        BOOST_TEST_REQUIRE(b.n_waiting() == waiting.size(), "at step " << step);
        BOOST_TEST_REQUIRE(b.broken() == broken, "at step " << step);
        BOOST_TEST_REQUIRE(ops.check(false), "at step " << step);
    }
    for (auto [id, index] : waiting)
        ops.expect(id, aborted, index);
    primitive.reset();
    fix.poll();
    BOOST_TEST(ops.check(true));
}

// ---- condition -------------------------------------------------------------

// The lock is held by "the test" or by a completed operation; the model
// tracks only whether it is held, the lock's FIFO (plain acquires and
// condition waits that re-acquire) and the condition's waits.
template <class Condition>
void condition_model(io_fixture& fix, unsigned seed, int steps)
{
    steps = model_steps(steps);
    std::mt19937 rng(seed);
    ledger ops;
    auto primitive = std::make_unique<Condition>(fix.ex);
    Condition& c = *primitive;
    auto& lk = c.get_lock();
    bool held = false;
    struct entry
    {
        std::size_t id;
        bool condition_wait;
        bool cancelled;
    };
    std::deque<entry> acquirers;
    std::deque<entry> waits;
    auto notify = [&](std::size_t n)
    {
        for (; n != 0 && !waits.empty(); --n)
        {
            acquirers.push_back(waits.front());
            waits.pop_front();
        }
    };
    auto serve = [&]
    {
        if (held || acquirers.empty())
            return;
        entry w = acquirers.front();
        acquirers.pop_front();
        held = true;
        ops.expect(w.id, w.cancelled ? aborted : error_code());
        if (w.cancelled)
            notify(1); // a cancelled wait passes a notification on
    };
    for (int step = 0; step != steps; ++step)
    {
        unsigned r = rng() % 100;
        if (r < 20)
        {
            std::size_t id = ops.add();
            lk.async_acquire(ops.handler(id));
            acquirers.push_back({id, false, false});
            serve();
        }
        else if (r < 25)
        {
            bool got = lk.try_acquire();
            BOOST_TEST_REQUIRE(got == (!held && acquirers.empty()));
            held = held || got;
        }
        else if (r < 45)
        {
            std::size_t id = ops.add();
            c.async_wait(ops.handler(id));
            if (!held)
                ops.expect(id, muster::error::not_locked);
            else
            {
                waits.push_back({id, true, false});
                held = false;
                serve();
            }
        }
        else if (r < 55)
        {
            std::size_t n = rng() % 3;
            try
            {
                c.notify(n);
                BOOST_TEST_REQUIRE(held);
                notify(n);
            }
            catch (const boost::system::system_error& e)
            {
                BOOST_TEST_REQUIRE(!held);
                BOOST_TEST_REQUIRE((e.code() == muster::error::not_locked));
            }
        }
        else if (r < 70)
        {
            if (held)
            {
                lk.release();
                held = false;
                serve();
            }
            else
                BOOST_CHECK_THROW(lk.release(), boost::system::system_error);
        }
        else if (r < 85 && !(acquirers.empty() && waits.empty()))
        {
            std::size_t i = rng() % (acquirers.size() + waits.size());
            auto type = cancel_types[rng() % 4];
            bool in_waits = i >= acquirers.size();
            auto& list = in_waits ? waits : acquirers;
            std::size_t at = in_waits ? i - acquirers.size() : i;
            entry w = list[at];
            ops[w.id].signal.emit(type);
            if (type != asio::cancellation_type::none)
            {
                list.erase(list.begin() + at);
                if (w.condition_wait)
                {
                    w.cancelled = true;
                    acquirers.push_back(w); // (back) to the end of the lock's queue
                }
                else
                    ops.expect(w.id, aborted);
                serve();
            }
        }
        else
            fix.poll();
        BOOST_TEST_REQUIRE(lk.locked() == held, "at step " << step);
        BOOST_TEST_REQUIRE(ops.check(false), "at step " << step);
    }
    // Notify everything and pass the lock on until nobody waits.
    while (!waits.empty() || !acquirers.empty() || held)
    {
        if (!held)
            BOOST_TEST_REQUIRE(lk.try_acquire());
        held = true;
        c.notify_all();
        notify(std::size_t(-1));
        lk.release();
        held = false;
        serve();
    }
    primitive.reset();
    fix.poll();
    BOOST_TEST(ops.check(true));
}

} // namespace

BOOST_AUTO_TEST_SUITE(sync_model)

BOOST_FIXTURE_TEST_CASE(semaphores_against_a_model, io_fixture)
{
    for (unsigned seed = 1; seed != 4; ++seed)
        BOOST_TEST_CONTEXT("seed " << seed)
        {
            permit_model<semaphore_adapter<muster::semaphore>>(*this, seed, 40'000);
            permit_model<semaphore_adapter<muster::concurrent_semaphore>>(
                *this, seed + 10, 20'000);
        }
}

BOOST_FIXTURE_TEST_CASE(locks_against_a_model, io_fixture)
{
    for (unsigned seed = 1; seed != 4; ++seed)
        BOOST_TEST_CONTEXT("seed " << seed)
        {
            permit_model<lock_adapter>(*this, seed, 40'000);
            permit_model<bounded_adapter>(*this, seed, 20'000);
        }
}

BOOST_FIXTURE_TEST_CASE(shared_locks_against_a_model, io_fixture)
{
    for (unsigned seed = 1; seed != 4; ++seed)
        BOOST_TEST_CONTEXT("seed " << seed)
        {
            permit_model<shared_lock_adapter>(*this, seed, 40'000);
        }
}

BOOST_FIXTURE_TEST_CASE(events_against_a_model, io_fixture)
{
    for (unsigned seed = 1; seed != 3; ++seed)
        BOOST_TEST_CONTEXT("seed " << seed)
        {
            event_model<muster::event>(*this, seed, 60'000);
            event_model<muster::concurrent_event>(*this, seed, 40'000);
        }
}

BOOST_FIXTURE_TEST_CASE(barriers_against_a_model, io_fixture)
{
    for (unsigned seed = 1; seed != 5; ++seed)
        BOOST_TEST_CONTEXT("seed " << seed)
        {
            barrier_model<muster::barrier>(*this, seed, 30'000);
            barrier_model<muster::concurrent_barrier>(*this, seed, 10'000);
        }
}

BOOST_FIXTURE_TEST_CASE(conditions_against_a_model, io_fixture)
{
    for (unsigned seed = 1; seed != 4; ++seed)
        BOOST_TEST_CONTEXT("seed " << seed)
        {
            condition_model<muster::condition>(*this, seed, 40'000);
            condition_model<muster::concurrent_condition>(*this, seed, 20'000);
        }
}

BOOST_AUTO_TEST_SUITE_END()
