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

inline task_outcome task_outcome_of(bool /*done*/, bool failed, bool cancelled) noexcept
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

    // The next yield, consumed.
    answer_type next()
    {
        if (closed_)
            return {kind::aborted};
        if (!ready_.empty())
        {
            std::size_t i = ready_.front();
            ready_.pop_front();
            --unyielded_;
            return {kind::task, i};
        }
        if (unyielded_ == 0)
            return {kind::eof};
        if (expired_)
        {
            --unyielded_;
            return {kind::timed_out};
        }
        return {kind::none};
    }

private:
    std::deque<std::size_t> ready_; // done, not yet yielded, in completion order
    std::size_t unyielded_;
    bool expired_ = false;
    bool closed_ = false;
};

} // namespace boost::muster::detail

#endif
