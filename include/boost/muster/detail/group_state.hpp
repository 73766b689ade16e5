//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_GROUP_STATE_HPP
#define BOOST_MUSTER_DETAIL_GROUP_STATE_HPP

#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/task_state.hpp>
#include <boost/muster/detail/waiter.hpp>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

namespace boost::muster
{

class task_group_error;

namespace detail
{

std::exception_ptr make_group_error(std::vector<std::exception_ptr> errors);

// A running child of a group: its link in the group's list, and the signal
// that cancels it. It lives in the child's task state.
struct group_hook
{
    group_hook* prev = nullptr;
    group_hook* next = nullptr;
    asio::cancellation_signal* cancel_signal = nullptr;
};

template <class T, class Executor>
struct group_task_state final : task_state<T, Executor>, group_hook
{
    explicit group_task_state(Executor ex) : task_state<T, Executor>(std::move(ex))
    {
        cancel_signal = &this->signal;
    }
};

template <class List, class Owner>
struct group_join_cancellation;

// What a task group owns: its running children, the failures seen, and the
// joins waiting. Shared by the group object and every child's completion,
// so that a child finishing after the group object is gone finds it. Used
// from one thread at a time, as task handles are.
template <class Executor>
class group_state : public std::enable_shared_from_this<group_state<Executor>>
{
public:
    explicit group_state(Executor ex) : executor(std::move(ex)) {}

    group_state(const group_state&) = delete;
    group_state& operator=(const group_state&) = delete;

    Executor executor;

    std::size_t running() const noexcept { return decision_.running(); }
    bool accepts_children() const noexcept { return decision_.accepts_children(); }

    void add(group_hook* h) noexcept
    {
        // While children run, the group keeps itself alive: the children
        // refer to it by a plain pointer, and one reference counts for all.
        if (decision_.running() == 0)
            busy_self_ = this->shared_from_this();
        h->prev = tail_;
        h->next = nullptr;
        (tail_ ? tail_->next : head_) = h;
        tail_ = h;
        decision_.child_started();
    }

    // A child finished. A failure other than cancellation is recorded and
    // cancels the others; the joins complete once nothing runs.
    void child_done(group_hook* h, const std::exception_ptr& e, bool cancelled)
    {
        idle_release release{this};
        unlink(h);
        const bool failure = e && !cancelled;
        const group_decision d = decision_.child_finished(failure);
        if (failure)
            errors_.push_back(e);
        if (d == group_decision::cancel_children)
            cancel_children();
        complete_if_done();
    }

    // A child destroyed without finishing: its execution context is shutting
    // down. It leaves, and nothing completes. Once no child is left, the
    // joins are destroyed too, uninvoked, as Asio destroys pending handlers:
    // that breaks the cycle group -> join -> waiting coroutine -> group.
    void child_abandoned(group_hook* h) noexcept
    {
        idle_release release{this};
        unlink(h);
        decision_.child_abandoned();
        abandoned_ = true;
        if (decision_.running() == 0)
            joiners_.destroy_all();
    }

    // The group object goes: a group that had children and was never joined
    // is reported (not at shutdown, where everything pending goes).
    void report_if_unjoined() const noexcept
    {
        if constexpr (debug_reports)
            if (decision_.unjoined() && !abandoned_)
                report_unjoined_group(decision_.running(), errors_.size(),
                                      errors_.empty() ? std::exception_ptr()
                                                      : errors_.front());
    }

    // Cancels every running child and accepts no more (cancel(), or the
    // group object destroyed). Cancellations are not failures.
    //
    // The caller may be one of the children, running: the cancellations are
    // emitted from a posted function, when no child runs. (A coroutine that
    // cancels itself while it runs and then ends without having suspended
    // makes Asio's co_spawn throw from the io_context.)
    void close()
    {
        // At shutdown the children are being destroyed, not cancelled.
        if (decision_.close() != group_decision::cancel_children || abandoned_)
            return;
        try
        {
            asio::post(executor,
                       [self = this->shared_from_this()] { self->cancel_children(); });
        }
        catch (...)
        {
            cancel_children(); // no memory to post: at once, then
        }
    }

    template <class Handler, class DefaultExecutor>
    void start_join(Handler&& handler, const DefaultExecutor& ex)
    {
        if (decision_.join_started() == group_decision::complete_joins)
        {
            deliver(std::forward<Handler>(handler), ex, false);
            return;
        }
        joiners_.template start<group_join_cancellation<waiters, group_state>>(
            *this, std::forward<Handler>(handler), ex);
    }

    // A join was cancelled: the children are cancelled and waited for, and
    // then every join completes with operation_aborted.
    void cancel_join()
    {
        if (decision_.join_cancelled() == group_decision::cancel_children)
            cancel_children();
        complete_if_done();
    }

    // Completes one join's handler (waiter_list's owner interface). Failures
    // take priority over the join's cancellation, as in CPython.
    template <class Handler, class WorkExecutor>
    void deliver(Handler h, const WorkExecutor& ex, bool aborted) const
    {
        std::exception_ptr e;
        if (!errors_.empty())
            e = make_group_error(errors_);
        else if (aborted || decision_.join_was_cancelled())
            e = make_aborted();
        post_completion(std::move(h), ex, std::move(e));
    }

private:
    using waiters = waiter_list<group_state>;

    // Drops the group's reference to itself once no child runs, as the last
    // thing a member function does (it may destroy the group).
    struct idle_release
    {
        group_state* group;
        ~idle_release()
        {
            if (group->decision_.running() == 0)
                auto gone = std::move(group->busy_self_);
        }
    };

    void unlink(group_hook* h) noexcept
    {
        (h->prev ? h->prev->next : head_) = h->next;
        (h->next ? h->next->prev : tail_) = h->prev;
        h->prev = h->next = nullptr;
    }

    void cancel_children()
    {
        // A child's cancellation completes later, through its executor; the
        // next link is read first all the same, in case one ends at once.
        for (group_hook* h = head_; h;)
        {
            group_hook* next = h->next;
            h->cancel_signal->emit(asio::cancellation_type::terminal);
            h = next;
        }
    }

    void complete_if_done()
    {
        if (!joiners_.empty() && decision_.finish_if_idle())
            joiners_.complete_all(*this);
    }

    group_hook* head_ = nullptr;
    group_hook* tail_ = nullptr;
    group_ledger decision_;
    bool abandoned_ = false;
    std::vector<std::exception_ptr> errors_;
    waiters joiners_;
    std::shared_ptr<group_state> busy_self_;
};

// The cancellation handler of a join: it does not end the join at once but
// cancels the children, whose ends complete it.
template <class List, class Owner>
struct group_join_cancellation
{
    group_join_cancellation(List*, Owner* o, typename List::node*) noexcept : owner(o) {}

    Owner* owner;

    void operator()(asio::cancellation_type_t type)
    {
        using ct = asio::cancellation_type;
        // Total cancellation promises no side effect; cancelling the
        // children is one, so only terminal and partial are honoured.
        if ((type & (ct::terminal | ct::partial)) == ct::none)
            return;
        Owner* o = owner; // completing the join destroys this object
        o->cancel_join();
    }
};

// The co_spawn completion handler of a group's child: it finishes the task,
// then tells the group. Destroyed without being called, the coroutine was
// destroyed with its execution context.
template <class T, class Executor, class GroupExecutor>
class group_task_completion
{
public:
    group_task_completion(std::shared_ptr<group_task_state<T, Executor>> state,
                          group_state<GroupExecutor>* group) noexcept
        : state_(std::move(state)), group_(group)
    {
    }

    group_task_completion(group_task_completion&&) noexcept = default;
    group_task_completion& operator=(group_task_completion&&) = delete;

    ~group_task_completion()
    {
        if (auto state = std::move(state_))
        {
            group_->child_abandoned(state.get());
            state->abandon();
        }
    }

    void operator()(std::exception_ptr e) requires std::is_void_v<T>
    {
        finish(std::move(e), std::monostate{});
    }

    template <class U>
    void operator()(std::exception_ptr e, U&& value) requires(!std::is_void_v<T>)
    {
        finish(std::move(e), std::forward<U>(value));
    }

private:
    // The group learns first, so that a failure cancels the siblings before
    // any of them that waits for this task sees it: they see their own
    // cancellation instead, as in CPython.
    template <class V>
    void finish(std::exception_ptr e, V&& value)
    {
        auto state = std::move(state_);
        auto* group = group_;
        const bool cancelled = is_cancellation(e);
        // The group reports the failure (its join, or its debug report).
        if constexpr (debug_reports)
            state->observed = true;
        try
        {
            group->child_done(state.get(), e, cancelled);
        }
        catch (...)
        {
            // A join's completion could not be posted; the task still ends.
            state->finish(std::move(e), std::forward<V>(value));
            throw;
        }
        state->finish(std::move(e), std::forward<V>(value));
    }

    std::shared_ptr<group_task_state<T, Executor>> state_;
    // Kept alive by its own reference while children run (group_state::add).
    group_state<GroupExecutor>* group_;
};

} // namespace detail
} // namespace boost::muster

#endif
