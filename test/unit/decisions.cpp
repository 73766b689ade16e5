//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The pure decision logic of the coordinating operations, driven by tables:
// no io_context, no handlers, no executor.

#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/wait.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace muster = boost::muster;
using muster::return_when;
using muster::detail::completion_order;
using muster::detail::task_outcome;
using muster::detail::timeout_verdict;

BOOST_AUTO_TEST_SUITE(decisions)

BOOST_AUTO_TEST_CASE(task_outcome_from_a_done_task)
{
    using muster::detail::task_outcome_of;
    BOOST_TEST((task_outcome_of(false, false) == task_outcome::value));
    BOOST_TEST((task_outcome_of(true, false) == task_outcome::exception));
    // A cancelled task holds an exception too, yet is not an exception.
    BOOST_TEST((task_outcome_of(true, true) == task_outcome::cancelled));
}

BOOST_AUTO_TEST_CASE(wait_resolution_table)
{
    struct row
    {
        return_when when;
        std::size_t still_waiting;
        task_outcome outcome;
        bool resolves;
    };
    const row rows[] = {
        // all_completed: only when nothing is left to wait for
        {return_when::all_completed, 2, task_outcome::value, false},
        {return_when::all_completed, 1, task_outcome::exception, false},
        {return_when::all_completed, 1, task_outcome::cancelled, false},
        {return_when::all_completed, 0, task_outcome::value, true},
        // first_completed: any ending
        {return_when::first_completed, 5, task_outcome::value, true},
        {return_when::first_completed, 5, task_outcome::exception, true},
        {return_when::first_completed, 5, task_outcome::cancelled, true},
        // first_exception: a real exception, or the last task
        {return_when::first_exception, 3, task_outcome::value, false},
        {return_when::first_exception, 3, task_outcome::cancelled, false},
        {return_when::first_exception, 3, task_outcome::exception, true},
        {return_when::first_exception, 0, task_outcome::value, true},
        {return_when::first_exception, 0, task_outcome::cancelled, true},
    };
    for (const row& r : rows)
    {
        BOOST_TEST_CONTEXT("when " << int(r.when) << ", waiting " << r.still_waiting
                                   << ", outcome " << int(r.outcome))
        {
            BOOST_TEST(muster::detail::wait_resolves(r.when, r.still_waiting,
                                                     r.outcome) == r.resolves);
        }
    }
}

BOOST_AUTO_TEST_CASE(wait_for_outcome_table)
{
    using muster::detail::timeout_outcome;
    // expired, inner aborted -> verdict
    BOOST_TEST((timeout_outcome(false, false) == timeout_verdict::deliver));
    // Cancelled from outside, not by the expiry: the cancellation as is.
    BOOST_TEST((timeout_outcome(false, true) == timeout_verdict::deliver));
    // The expiry cancelled it and it reported that: a timeout.
    BOOST_TEST((timeout_outcome(true, true) == timeout_verdict::timed_out));
    // It completed anyway, with a value or another failure: never dropped.
    BOOST_TEST((timeout_outcome(true, false) == timeout_verdict::deliver));
}

// Renders a sequence of answers, so a table row reads as a string.
std::string render(completion_order& order, int answers)
{
    std::string s;
    for (int i = 0; i != answers; ++i)
    {
        auto a = order.next();
        switch (a.what)
        {
        case completion_order::kind::none:
            s += "- ";
            break;
        case completion_order::kind::task:
            s += std::to_string(a.index) + " ";
            break;
        case completion_order::kind::timed_out:
            s += "T ";
            break;
        case completion_order::kind::eof:
            s += "E ";
            break;
        case completion_order::kind::aborted:
            s += "A ";
            break;
        }
    }
    return s;
}

BOOST_AUTO_TEST_CASE(as_completed_order_table)
{
    // Each row: tasks, events ('0'..'9' a task finishes, 'x' the deadline
    // passes, 'c' close), then answers asked for, and the expected answers.
    struct row
    {
        std::size_t tasks;
        const char* events;
        int answers;
        const char* expected;
    };
    const row rows[] = {
        {3, "201", 4, "2 0 1 E "},  // completion order, then end
        {3, "", 1, "- "},           // nothing done: wait
        {0, "", 2, "E E "},         // an empty set ends at once, and stays ended
        {3, "1x", 4, "1 T T E "},   // done before the deadline first, then timeouts
        {3, "1x02", 4, "1 T T E "}, // what finishes after the deadline is a timeout
        {2, "x", 3, "T T E "},      // deadline with nothing done
        {3, "0c", 2, "A A "},       // closed: everything aborted, even what was ready
        {2, "cx", 1, "A "},         // a deadline after close changes nothing
        {2, "10", 1, "1 "},         // one answer consumes one task
    };
    for (const row& r : rows)
    {
        BOOST_TEST_CONTEXT("tasks " << r.tasks << ", events \"" << r.events << "\"")
        {
            completion_order order(r.tasks);
            for (const char* e = r.events; *e; ++e)
            {
                if (*e == 'x')
                    order.expire();
                else if (*e == 'c')
                    order.close();
                else
                    order.finished(std::size_t(*e - '0'));
            }
            BOOST_TEST(render(order, r.answers) == r.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(as_completed_peek_leaves_the_answer_in_place)
{
    // An answer that could not be delivered is given again.
    completion_order order(2);
    order.finished(1);
    auto a = order.peek();
    BOOST_TEST((a == completion_order::answer_type{completion_order::kind::task, 1}));
    BOOST_TEST((order.peek() == a));
    BOOST_TEST(order.remaining() == 2u);
    order.consume(a);
    BOOST_TEST(order.remaining() == 1u);
    BOOST_TEST((order.peek().what == completion_order::kind::none));
}

BOOST_AUTO_TEST_CASE(as_completed_ready_and_remaining)
{
    completion_order order(2);
    BOOST_TEST(!order.ready());
    BOOST_TEST(order.remaining() == 2u);
    order.finished(1);
    BOOST_TEST(order.ready());
    BOOST_TEST(
        (order.next() == completion_order::answer_type{completion_order::kind::task, 1}));
    BOOST_TEST(order.remaining() == 1u);
    BOOST_TEST(!order.ready());
    order.expire();
    BOOST_TEST(order.ready());
    BOOST_TEST((order.next().what == completion_order::kind::timed_out));
    BOOST_TEST(order.remaining() == 0u);
    BOOST_TEST((order.next().what == completion_order::kind::eof));
}

// ---- queues ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(queue_put_and_get_table)
{
    using muster::detail::decide_get;
    using muster::detail::decide_put;
    using muster::detail::get_action;
    using muster::detail::put_action;
    using muster::detail::queue_view;
    struct row
    {
        queue_view q;
        put_action put;
        get_action get;
    };
    //         size max  getters putters shut
    const row rows[] = {
        {{0, 0, false, false, false}, put_action::enqueue, get_action::wait},
        {{0, 0, true, false, false}, put_action::hand_off, get_action::wait},
        {{3, 0, false, false, false}, put_action::enqueue, get_action::take},
        {{2, 2, false, false, false}, put_action::wait, get_action::take},
        {{2, 2, false, true, false}, put_action::wait, get_action::take_and_admit},
        // No barging: a put behind a waiting put waits, though there is room.
        {{1, 2, false, true, false}, put_action::wait, get_action::take_and_admit},
        // maxsize 1 with a waiting get: the queue is empty, the put hands off.
        {{0, 1, true, false, false}, put_action::hand_off, get_action::wait},
        // Shut down: puts are refused, gets drain and then are refused.
        {{2, 0, false, false, true}, put_action::refuse, get_action::take},
        {{0, 0, false, false, true}, put_action::refuse, get_action::refuse},
    };
    for (const row& r : rows)
    {
        BOOST_TEST_CONTEXT("size " << r.q.size << " maxsize " << r.q.maxsize
                                   << " getters " << r.q.getters_waiting << " putters "
                                   << r.q.putters_waiting << " shut " << r.q.shut_down)
        {
            BOOST_TEST((decide_put(r.q) == r.put));
            BOOST_TEST((decide_get(r.q) == r.get));
        }
    }
}

BOOST_AUTO_TEST_CASE(queue_task_done_and_shutdown_table)
{
    using muster::detail::task_done_action;
    std::size_t unfinished = 2;
    BOOST_TEST((muster::detail::task_done(unfinished) == task_done_action::counted));
    BOOST_TEST((muster::detail::task_done(unfinished) == task_done_action::all_done));
    BOOST_TEST((muster::detail::task_done(unfinished) == task_done_action::unmatched));
    BOOST_TEST(unfinished == 0u);

    struct row
    {
        std::size_t unfinished, size;
        bool immediate;
        std::size_t dropped, unfinished_after;
        bool release;
    };
    const row rows[] = {
        {5, 3, false, 0, 5, false}, // drains later: nothing changes now
        {5, 3, true, 3, 2, false},  // lowered by what was dropped
        {3, 3, true, 3, 0, true},   // reaches 0: joins released
        {1, 3, true, 3, 0, true},   // never below 0 (items got, not yet done)
        {0, 0, true, 0, 0, true},
    };
    for (const row& r : rows)
    {
        BOOST_TEST_CONTEXT("unfinished " << r.unfinished << " size " << r.size
                                         << " immediate " << r.immediate)
        {
            std::size_t u = r.unfinished;
            auto e = muster::detail::shutdown(u, r.size, r.immediate);
            BOOST_TEST(e.dropped == r.dropped);
            BOOST_TEST(u == r.unfinished_after);
            BOOST_TEST(e.release_joins == r.release);
        }
    }
}

// A FIFO queue simulated with the decisions alone (a deque of items, FIFO
// lists of waiting gets and puts), driven by a million random operations.
// The decisions decide everything; the test checks what must hold whatever
// they decide: waiters wait only when they must, items come out in the order
// they were put and exactly once, gets are served in arrival order, and the
// unfinished count is what task_done and shutdown say.
class simulated_queue
{
public:
    explicit simulated_queue(std::size_t maxsize, unsigned seed)
        : maxsize_(maxsize), rng_(seed)
    {
    }

    void run(int steps)
    {
        for (int i = 0; i != steps; ++i)
        {
            unsigned r = rng_() % 1000;
            if (r < 300)
                put(rng_() % 2 == 0);
            else if (r < 600)
                get(rng_() % 2 == 0);
            else if (r < 750)
                task_done();
            else if (r < 850)
                cancel_getter();
            else if (r < 950)
                cancel_putter();
            else if (r < 952)
                shutdown(rng_() % 2 == 0);
            else if (r < 954 && shut_)
                reopen();
            check_invariants();
        }
    }

    std::size_t operations() const noexcept { return ops_; }

private:
    muster::detail::queue_view view() const
    {
        return {items_.size(), maxsize_, !getters_.empty(), !putters_.empty(), shut_};
    }

    void put(bool may_wait)
    {
        ++ops_;
        int item = next_item_++;
        switch (muster::detail::decide_put(view()))
        {
        case muster::detail::put_action::refuse:
            ++refused_;
            break;
        case muster::detail::put_action::wait:
            if (may_wait)
                putters_.push_back(item);
            else
                ++refused_; // try_put: queue_full
            break;
        case muster::detail::put_action::hand_off:
            receive(getters_.front(), item);
            getters_.pop_front();
            ++unfinished_;
            break;
        case muster::detail::put_action::enqueue:
            items_.push_back(item);
            ++unfinished_;
            break;
        }
    }

    void get(bool may_wait)
    {
        ++ops_;
        int getter = next_getter_++;
        switch (muster::detail::decide_get(view()))
        {
        case muster::detail::get_action::take_and_admit:
            receive(getter, items_.front());
            items_.pop_front();
            items_.push_back(putters_.front());
            putters_.pop_front();
            ++unfinished_;
            break;
        case muster::detail::get_action::take:
            receive(getter, items_.front());
            items_.pop_front();
            break;
        case muster::detail::get_action::refuse:
            break;
        case muster::detail::get_action::wait:
            if (may_wait)
                getters_.push_back(getter);
            break;
        }
    }

    void task_done()
    {
        ++ops_;
        std::size_t before = unfinished_;
        auto a = muster::detail::task_done(unfinished_);
        BOOST_REQUIRE((a == muster::detail::task_done_action::unmatched) ==
                      (before == 0));
        BOOST_REQUIRE((a == muster::detail::task_done_action::all_done) == (before == 1));
    }

    void cancel_getter()
    {
        if (getters_.empty())
            return;
        ++ops_;
        getters_.erase(getters_.begin() + std::ptrdiff_t(rng_() % getters_.size()));
    }

    void cancel_putter()
    {
        if (putters_.empty())
            return;
        ++ops_;
        auto it = putters_.begin() + std::ptrdiff_t(rng_() % putters_.size());
        ++refused_; // a cancelled put never adds its item
        putters_.erase(it);
    }

    void shutdown(bool immediate)
    {
        ++ops_;
        shut_ = true;
        std::size_t held = items_.size();
        std::size_t before = unfinished_;
        auto e = muster::detail::shutdown(unfinished_, held, immediate);
        BOOST_REQUIRE(e.dropped == (immediate ? held : 0u));
        BOOST_REQUIRE(unfinished_ == before - std::min(before, e.dropped));
        dropped_ += e.dropped;
        if (e.dropped != 0)
            items_.clear();
        // Every waiting get and put is woken; puts fail.
        refused_ += putters_.size();
        putters_.clear();
        getters_.clear();
    }

    void reopen()
    {
        left_ += items_.size();
        items_.clear();
        unfinished_ = 0;
        shut_ = false;
        last_received_ = -1;
    }

    void receive(int getter, int item)
    {
        // Items come out in the order they were put, gets are served in the
        // order they came.
        BOOST_REQUIRE(item > last_received_);
        BOOST_REQUIRE(getter > last_getter_);
        last_received_ = item;
        last_getter_ = getter;
        ++received_;
    }

    void check_invariants()
    {
        // Gets wait only on an empty queue, puts only on a full one, and
        // nobody waits on a shut-down queue.
        BOOST_REQUIRE((getters_.empty() || (items_.empty() && !shut_)));
        BOOST_REQUIRE((putters_.empty() || (items_.size() == maxsize_ && !shut_)));
        BOOST_REQUIRE((maxsize_ == 0 || items_.size() <= maxsize_));
        // Every item is accounted for exactly once.
        BOOST_REQUIRE(received_ + refused_ + dropped_ + left_ + items_.size() +
                          putters_.size() ==
                      std::size_t(next_item_));
    }

    std::size_t maxsize_;
    std::mt19937 rng_;
    std::deque<int> items_;
    std::deque<int> getters_; // ids, in arrival order
    std::deque<int> putters_; // their items, in arrival order
    std::size_t unfinished_ = 0;
    bool shut_ = false;
    int next_item_ = 0, next_getter_ = 0;
    int last_received_ = -1, last_getter_ = -1;
    std::size_t received_ = 0, refused_ = 0, dropped_ = 0, left_ = 0, ops_ = 0;
};

BOOST_AUTO_TEST_CASE(a_million_random_queue_operations)
{
    std::size_t ops = 0;
    for (std::size_t maxsize : {0u, 1u, 3u, 16u})
    {
        BOOST_TEST_CONTEXT("maxsize " << maxsize)
        {
            simulated_queue q(maxsize, unsigned(maxsize) + 7);
            q.run(350'000);
            ops += q.operations();
        }
    }
    BOOST_TEST(ops >= 1'000'000u);
}

// ---- permits -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(permit_ledger_table)
{
    using muster::detail::permit_ledger;
    struct row
    {
        std::size_t available, bound, n;
        bool others_wait, granted;
        std::size_t after;
    };
    const row rows[] = {
        {1, 1, 1, false, true, 0},  // a free lock
        {0, 1, 1, false, false, 0}, // a held lock
        {1, 1, 1, true, false, 1},  // free, but someone waits: no barging
        {5, 9, 3, false, true, 2},  // a semaphore with enough
        {2, 9, 3, false, false, 2}, // not enough: all or nothing
        {2, 9, 0, false, true, 2},  // nothing asked for
        {2, 9, 0, true, false, 2},  // ... still behind the waiters
    };
    for (const row& r : rows)
    {
        BOOST_TEST_CONTEXT("available " << r.available << ", n " << r.n << ", others "
                                        << r.others_wait)
        {
            permit_ledger l(r.available, r.bound);
            BOOST_TEST(l.try_take(r.n, r.others_wait) == r.granted);
            BOOST_TEST(l.available() == r.after);
        }
    }
}

BOOST_AUTO_TEST_CASE(permit_ledger_releases_up_to_the_bound)
{
    using muster::detail::permit_ledger;
    permit_ledger lock(0, 1);
    BOOST_TEST(lock.release(1));
    BOOST_TEST(!lock.release(1)); // a second release of a lock
    BOOST_TEST(lock.available() == 1u);
    permit_ledger bounded(1, 3);
    BOOST_TEST(!bounded.release(3)); // would reach 4: nothing changes
    BOOST_TEST(bounded.available() == 1u);
    BOOST_TEST(bounded.release(2));
    BOOST_TEST(bounded.impossible(4));
    BOOST_TEST(!bounded.impossible(3));
    permit_ledger unbounded(std::size_t(-2), std::size_t(-1));
    BOOST_TEST(unbounded.release(1));
    BOOST_TEST(!unbounded.release(1)); // no overflow
    BOOST_TEST(unbounded.take_head(5));
    unbounded.untake(5);
    BOOST_TEST(unbounded.available() == std::size_t(-1));
}

// Strict FIFO by the ledger alone: a queue of requests served by
// take_head after every release; the head is never overtaken.
BOOST_AUTO_TEST_CASE(permit_ledger_serves_heads_in_order)
{
    using muster::detail::permit_ledger;
    permit_ledger l(0, std::size_t(-1));
    std::deque<std::size_t> waiting{3, 1, 1, 2};
    std::vector<std::size_t> served;
    auto serve = [&]
    {
        while (!waiting.empty() && l.take_head(waiting.front()))
        {
            served.push_back(waiting.front());
            waiting.pop_front();
        }
    };
    l.release(2);
    serve();
    BOOST_TEST(served.empty()); // 2 free, the head wants 3
    l.release(1);
    serve();
    BOOST_TEST(served == (std::vector<std::size_t>{3}));
    l.release(3);
    serve();
    BOOST_TEST(served == (std::vector<std::size_t>{3, 1, 1}));
    BOOST_TEST(l.available() == 1u);
}

// ---- barrier -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(barrier_state_steps)
{
    using muster::detail::barrier_state;
    using arrival = barrier_state::arrival;
    barrier_state b(3);
    struct step
    {
        char event; // a: arrive, l: leave, r: reset, x: abort
        arrival action;
        std::size_t index, waiting_after;
    };
    // CPython's Barrier(3) scenario: a (0) and b (1) wait, a is cancelled,
    // c gets 1 and d, the third, releases with 2.
    const step steps[] = {
        {'a', arrival::wait, 0, 1},    {'a', arrival::wait, 1, 2},
        {'l', arrival::wait, 0, 1},    {'a', arrival::wait, 1, 2},
        {'a', arrival::release, 2, 0}, {'a', arrival::wait, 0, 1},
        {'r', arrival::wait, 0, 0},    {'a', arrival::wait, 0, 1},
        {'x', arrival::wait, 0, 0},    {'a', arrival::refuse, 0, 0},
    };
    int i = 0;
    for (const step& s : steps)
    {
        BOOST_TEST_CONTEXT("step " << i++ << " '" << s.event << "'")
        {
            if (s.event == 'a')
            {
                auto r = b.arrive();
                BOOST_TEST((r.action == s.action));
                BOOST_TEST(r.index == s.index);
            }
            else if (s.event == 'l')
                b.leave();
            else if (s.event == 'r')
                b.reset();
            else
                b.abort();
            BOOST_TEST(b.waiting() == s.waiting_after);
        }
    }
    BOOST_TEST(b.broken());
    barrier_state one(1);
    BOOST_TEST((one.arrive().action == arrival::release));
}

BOOST_AUTO_TEST_SUITE_END()

// A task group's accounting, step by step: s start a child, f a child ends
// well, F a child fails, c close (cancel), j a join starts, J the join is
// cancelled.
BOOST_AUTO_TEST_CASE(group_ledger_steps)
{
    using muster::detail::group_decision;
    using muster::detail::group_ledger;
    struct step
    {
        char event;
        group_decision decision;
        std::size_t running_after;
        bool accepts_after;
    };
    struct scenario
    {
        const char* name;
        std::vector<step> steps;
    };
    const auto none = group_decision::none;
    const auto cancel = group_decision::cancel_children;
    const auto complete = group_decision::complete_joins;
    const scenario scenarios[] = {
        {"join after every child ended",
         {{'s', none, 1, true},
          {'s', none, 2, true},
          {'f', none, 1, true},
          {'f', none, 0, true},
          {'j', complete, 0, false}}},
        {"the first failure cancels the others, once",
         {{'s', none, 1, true},
          {'s', none, 2, true},
          {'s', none, 3, true},
          {'F', cancel, 2, false},
          {'F', none, 1, false},
          {'f', none, 0, false},
          {'j', complete, 0, false}}},
        {"a failure of the last child cancels nothing",
         {{'s', none, 1, true}, {'F', none, 0, false}, {'j', complete, 0, false}}},
        {"a cancelled join cancels the children",
         {{'s', none, 1, true},
          {'j', none, 1, true},
          {'J', cancel, 1, false},
          {'J', none, 1, false},
          {'f', none, 0, false}}},
        {"close, then a failure: cancelled once",
         {{'s', none, 1, true},
          {'s', none, 2, true},
          {'c', cancel, 2, false},
          {'F', none, 1, false},
          {'c', none, 1, false}}},
        {"an empty group joins at once and is finished",
         {{'j', complete, 0, false}, {'c', none, 0, false}, {'j', complete, 0, false}}},
    };
    for (const scenario& sc : scenarios)
    {
        BOOST_TEST_CONTEXT(sc.name)
        {
            group_ledger l;
            int i = 0;
            for (const step& s : sc.steps)
            {
                BOOST_TEST_CONTEXT("step " << i++ << " '" << s.event << "'")
                {
                    group_decision d = none;
                    switch (s.event)
                    {
                    case 's':
                        l.child_started();
                        break;
                    case 'f':
                        d = l.child_finished(false);
                        break;
                    case 'F':
                        d = l.child_finished(true);
                        break;
                    case 'c':
                        d = l.close();
                        break;
                    case 'j':
                        d = l.join_started();
                        break;
                    case 'J':
                        d = l.join_cancelled();
                        break;
                    }
                    BOOST_TEST((d == s.decision));
                    BOOST_TEST(l.running() == s.running_after);
                    BOOST_TEST(l.accepts_children() == s.accepts_after);
                }
            }
        }
    }
    group_ledger l;
    l.child_started();
    BOOST_TEST(!l.join_was_cancelled());
    l.join_cancelled();
    BOOST_TEST(l.join_was_cancelled());
}
