//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_DECISIONS_HPP
#define BOOST_MUSTER_DETAIL_DECISIONS_HPP

#include <cstddef>
#include <deque>

// The decisions of the coordinating operations, as small pure functions and
// state machines: no Asio types, no handlers, no I/O. The operations feed them
// events and act on their answers; the unit tests drive them by tables,
// without an io_context.

namespace boost::muster::detail
{

// ---- wait ---------------------------------------------------------------------

// How one watched task ended.
enum class task_outcome
{
    value,     // returned
    exception, // threw something other than a cancellation
    cancelled, // ended by a cancellation
};

inline task_outcome task_outcome_of(bool failed, bool cancelled) noexcept
{
    if (cancelled)
        return task_outcome::cancelled;
    return failed ? task_outcome::exception : task_outcome::value;
}

// Whether a wait resolves when a task ends with `outcome`, leaving `waiting`
// tasks still watched. `ReturnWhen` is muster::return_when.
template <class ReturnWhen>
bool wait_resolves(ReturnWhen when, std::size_t waiting, task_outcome outcome) noexcept
{
    if (waiting == 0)
        return true;
    switch (when)
    {
    case ReturnWhen::first_completed:
        return true;
    case ReturnWhen::first_exception:
        return outcome == task_outcome::exception;
    default:
        return false;
    }
}

// ---- wait_for ---------------------------------------------------------------

// What wait_for delivers once its inner operation has completed: its result
// as is, or timed_out in place of the cancellation that the expiry caused.
// A result other than that cancellation (a value, another failure) is always
// delivered: a value that arrived despite the expiry is never dropped.
enum class timeout_verdict
{
    deliver,
    timed_out,
};

inline timeout_verdict timeout_outcome(bool expired, bool inner_aborted) noexcept
{
    return expired && inner_aborted ? timeout_verdict::timed_out
                                    : timeout_verdict::deliver;
}

// ---- timeout scopes -----------------------------------------------------------

// What a timeout scope delivers once its body has completed, as asyncio's
// Timeout.__aexit__ decides: the body's own result, unless the scope's expiry
// is what ended it -- it expired, the body ended by the cancellation, and no
// cancellation came from outside (which the scope must not swallow; an outer
// scope's expiry is such a cancellation). Then the fail form reports
// timed_out, and the move_on form reports that it moved on.
enum class scope_verdict
{
    deliver,
    timed_out,
    moved_on,
};

inline scope_verdict scope_outcome(bool fail, bool expired, bool cancelled_from_outside,
                                   bool body_aborted) noexcept
{
    if (!expired || cancelled_from_outside || !body_aborted)
        return scope_verdict::deliver;
    return fail ? scope_verdict::timed_out : scope_verdict::moved_on;
}

// ---- queues -----------------------------------------------------------------

// What a queue's decisions see: its counts and who waits.
struct queue_view
{
    std::size_t size;    // items held
    std::size_t maxsize; // 0: unbounded
    bool getters_waiting;
    bool putters_waiting;
    bool shut_down;
};

inline bool queue_full(const queue_view& q) noexcept
{
    return q.maxsize != 0 && q.size >= q.maxsize;
}

enum class put_action
{
    refuse,   // shut down
    hand_off, // to the longest-waiting get
    enqueue,  // into the queue
    wait,     // full, or earlier puts wait: strictly FIFO, no barging
};

// A put, served strictly in arrival order.
inline put_action decide_put(const queue_view& q) noexcept
{
    if (q.shut_down)
        return put_action::refuse;
    if (q.putters_waiting || (queue_full(q) && !q.getters_waiting))
        return put_action::wait;
    return q.getters_waiting ? put_action::hand_off : put_action::enqueue;
}

enum class get_action
{
    take,           // the next item
    take_and_admit, // the next item; the room it frees admits the oldest put
    refuse,         // shut down and drained
    wait,           // empty
};

inline get_action decide_get(const queue_view& q) noexcept
{
    if (q.size != 0)
        return q.putters_waiting ? get_action::take_and_admit : get_action::take;
    return q.shut_down ? get_action::refuse : get_action::wait;
}

// What one task_done() does to the unfinished count.
enum class task_done_action
{
    unmatched, // nothing unfinished: an error, the count stays 0
    counted,   // lowered, joins still wait
    all_done,  // lowered to 0: waiting joins complete
};

inline task_done_action task_done(std::size_t& unfinished) noexcept
{
    if (unfinished == 0)
        return task_done_action::unmatched;
    return --unfinished == 0 ? task_done_action::all_done : task_done_action::counted;
}

// What shutdown(immediate) does (Python 3.13): an immediate shutdown drops
// the items held and lowers the unfinished count by their number, never
// below 0; joins are released only if that count reaches 0. Every waiting
// get and put is woken in both forms.
struct shutdown_effect
{
    std::size_t dropped;
    bool release_joins;
};

inline shutdown_effect shutdown(std::size_t& unfinished, std::size_t size,
                                bool immediate) noexcept
{
    if (!immediate)
        return {0, false};
    unfinished -= size < unfinished ? size : unfinished;
    return {size, unfinished == 0};
}

// ---- as_completed -----------------------------------------------------------

// What as_completed's next yield is, as a pure state machine over task
// indices: tasks finish (finished), the deadline passes (expire), the object
// is closed (close); each answer() is one yield.
class completion_order
{
public:
    enum class kind
    {
        none,      // nothing to tell yet: the caller waits
        task,      // the task at `index`
        timed_out, // the deadline passed; one per task not yet yielded
        eof,       // every task has been yielded
        aborted,   // the object was closed
    };

    struct answer_type
    {
        kind what;
        std::size_t index = 0;
        friend bool operator==(const answer_type&, const answer_type&) = default;
    };

    explicit completion_order(std::size_t tasks) : unyielded_(tasks) {}

    // The task at `index` finished. Ignored once expired or closed: what
    // finishes after the deadline is reported as timed out.
    void finished(std::size_t index)
    {
        if (!expired_ && !closed_)
            ready_.push_back(index);
    }

    void expire() noexcept
    {
        if (!closed_)
            expired_ = true;
    }
    void close() noexcept { closed_ = true; }

    bool expired() const noexcept { return expired_; }
    bool closed() const noexcept { return closed_; }
    std::size_t remaining() const noexcept { return unyielded_; }

    // Whether next() would tell something now.
    bool ready() const noexcept
    {
        return closed_ || !ready_.empty() || expired_ || unyielded_ == 0;
    }

    // The next yield, left in place.
    answer_type peek() const noexcept
    {
        if (closed_)
            return {kind::aborted};
        if (!ready_.empty())
            return {kind::task, ready_.front()};
        if (unyielded_ == 0)
            return {kind::eof};
        if (expired_)
            return {kind::timed_out};
        return {kind::none};
    }

    // Takes `a`, the answer peek() gave, as yielded.
    void consume(const answer_type& a) noexcept
    {
        if (a.what == kind::task)
        {
            ready_.pop_front();
            --unyielded_;
        }
        else if (a.what == kind::timed_out)
            --unyielded_;
    }

    // The next yield, consumed.
    answer_type next()
    {
        answer_type a = peek();
        consume(a);
        return a;
    }

private:
    std::deque<std::size_t> ready_; // done, not yet yielded, in completion order
    std::size_t unyielded_;
    bool expired_ = false;
    bool closed_ = false;
};

// ---- permits (lock, semaphore, bounded_semaphore, shared_lock) --------------

// The permits of a semaphore-like primitive, handed out strictly in arrival
// order: an acquire that arrives while others wait queues behind them, even
// if enough permits are free, and the oldest waiter is served first even if
// a smaller request behind it could be (so a large request is never starved).
class permit_ledger
{
public:
    // `available` permits free now; releases may never raise them above
    // `bound` (a lock: 1; a bounded semaphore: its initial value).
    constexpr permit_ledger(std::size_t available, std::size_t bound) noexcept
        : available_(available), bound_(bound)
    {
    }

    std::size_t available() const noexcept { return available_; }

    // A request that could never be granted: more than the bound.
    bool impossible(std::size_t n) const noexcept { return n > bound_; }

    // Whether a request of `n` arriving now is granted at once (and the
    // permits taken): only if nobody waits and enough are free.
    bool try_take(std::size_t n, bool others_wait) noexcept
    {
        if (others_wait || n > available_)
            return false;
        available_ -= n;
        return true;
    }

    // Whether the oldest waiter's request of `n` is granted now (and taken).
    bool take_head(std::size_t n) noexcept { return try_take(n, false); }

    // Gives back permits taken by a grant that could not be delivered.
    void untake(std::size_t n) noexcept { available_ += n; }

    // Returns `n` permits; false, changing nothing, if that would exceed the
    // bound (a release without a matching acquire).
    bool release(std::size_t n) noexcept
    {
        if (n > bound_ - available_)
            return false;
        available_ += n;
        return true;
    }

private:
    std::size_t available_;
    std::size_t bound_;
};

// ---- barrier ----------------------------------------------------------------

// asyncio.Barrier's accounting. A party's index is the number of parties
// waiting when it arrives; the arrival that makes `parties` releases them
// all, and the barrier fills again from 0. A cancelled waiter leaves, lowering
// the count without breaking the barrier, so indices may repeat.
class barrier_state
{
public:
    enum class arrival
    {
        refuse,  // broken (aborted): the wait fails at once
        wait,    // waits for the others
        release, // the last party: every waiter is released, and so is this one
    };

    struct arrive_result
    {
        arrival action;
        std::size_t index;
    };

    explicit constexpr barrier_state(std::size_t parties) noexcept : parties_(parties) {}

    std::size_t parties() const noexcept { return parties_; }
    std::size_t waiting() const noexcept { return waiting_; }
    bool broken() const noexcept { return broken_; }

    arrive_result arrive() noexcept
    {
        if (broken_)
            return {arrival::refuse, 0};
        std::size_t index = waiting_;
        if (index + 1 >= parties_)
        {
            waiting_ = 0;
            return {arrival::release, index};
        }
        ++waiting_;
        return {arrival::wait, index};
    }

    // A waiting party was cancelled.
    void leave() noexcept
    {
        if (waiting_ != 0)
            --waiting_;
    }

    // reset(): the waiters fail with broken_barrier; the barrier fills anew.
    void reset() noexcept { waiting_ = 0; }

    // abort(): the waiters and every later arrival fail.
    void abort() noexcept
    {
        waiting_ = 0;
        broken_ = true;
    }

private:
    std::size_t parties_;
    std::size_t waiting_ = 0;
    bool broken_ = false;
};

// What a task group does next (see group_ledger).
enum class group_decision
{
    none,
    cancel_children, // cancel every running child (terminal)
    complete_joins,  // nothing runs: complete the joins
};

// A task group's accounting: how many children run, and whether the group
// still accepts children. The first failure, cancel() and a cancelled join
// close it (its children are cancelled once); a completed join finishes it.
// Either way it accepts no more children.
class group_ledger
{
public:
    std::size_t running() const noexcept { return running_; }
    bool accepts_children() const noexcept { return !closing_ && !finished_; }
    bool join_was_cancelled() const noexcept { return join_cancelled_; }

    void child_started() noexcept
    {
        ++running_;
        had_children_ = true;
    }

    // Whether the group had children and no join has completed: what the
    // debug report of a group destroyed unjoined checks.
    bool unjoined() const noexcept { return had_children_ && !finished_; }

    // A child ended; `failure` if with something other than cancellation.
    group_decision child_finished(bool failure) noexcept
    {
        --running_;
        return failure ? close() : group_decision::none;
    }

    // A child was destroyed without ending (shutdown of its context).
    void child_abandoned() noexcept { --running_; }

    group_decision close() noexcept
    {
        if (closing_ || finished_)
            return group_decision::none;
        closing_ = true;
        return running_ ? group_decision::cancel_children : group_decision::none;
    }

    group_decision join_started() noexcept
    {
        return finish_if_idle() ? group_decision::complete_joins : group_decision::none;
    }

    group_decision join_cancelled() noexcept
    {
        join_cancelled_ = true;
        return close();
    }

    // True, and finished from now on, if no child runs.
    bool finish_if_idle() noexcept
    {
        if (running_ != 0)
            return false;
        finished_ = true;
        return true;
    }

private:
    std::size_t running_ = 0;
    bool closing_ = false;
    bool finished_ = false;
    bool join_cancelled_ = false;
    bool had_children_ = false;
};

} // namespace boost::muster::detail

#endif
