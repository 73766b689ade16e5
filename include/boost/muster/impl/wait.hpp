//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_IMPL_WAIT_HPP
#define BOOST_MUSTER_IMPL_WAIT_HPP

#include <boost/muster/wait.hpp>

#include <boost/muster/detail/child_slot.hpp>
#include <boost/muster/detail/deadline.hpp>
#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/op_alloc.hpp>
#include <boost/muster/detail/operation.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster
{
namespace detail
{

// The state of one wait: a wait on every task (never the task itself), an
// optional deadline, and the handler. Resolving cancels the remaining waits
// and the deadline; the handler is invoked once all have come back, with the
// tasks split by done().
template <class Task, class Handler, class Given>
class wait_state
{
    using core_type = op_core<Handler, Given>;

public:
    using executor_type = typename core_type::executor_type;
    using allocator_type = typename core_type::allocator_type;

    template <class H, class Range>
    static wait_state* create(H&& h, const Given& given, Range& tasks, return_when when)
    {
        return new_op<wait_state>(h, std::forward<H>(h), given, tasks, when);
    }

    executor_type get_executor() const noexcept { return core_.get_executor(); }
    allocator_type get_allocator() const noexcept { return core_.get_allocator(); }

    void start(const Given& given,
               std::optional<std::chrono::steady_clock::duration> timeout)
    {
        ++busy_;
        try
        {
            for (std::size_t i = 0; i != tasks_.size(); ++i)
            {
                slots_[i].running = true;
                ++outstanding_; // a failed wait's handler takes it back
                tasks_[i].async_wait(
                    member_handler<wait_state, child_slot_base*, true>(this, &slots_[i]));
            }
            if (timeout && !tasks_.empty())
            {
                if (*timeout <= std::chrono::steady_clock::duration::zero())
                    resolve();
                else
                {
                    deadline_.arm(this, run_executor(core_.handler(), given),
                                  get_executor(), *timeout);
                    ++outstanding_;
                }
            }
        }
        catch (...)
        {
            // Started in part (a wait or the deadline could not be
            // allocated): what was started is stopped and waited for, the
            // handler is destroyed uninvoked, and the exception propagates.
            abandoned_ = true;
            resolve();
            --busy_;
            settle();
            throw;
        }
        if (outstanding_ != 0)
            core_.forward_cancellation(this);
        --busy_;
        if (!settle())
            core_.initiated();
    }

    asio::cancellation_slot slot_for(child_slot_base* s) noexcept
    {
        return s->signal.slot();
    }

    template <class... Args>
    void on_complete(child_slot_base* s, Args&&...)
    {
        s->running = false;
        --outstanding_;
        --waiting_tasks_;
        if (!resolved_)
        {
            const Task& t = tasks_[std::size_t(s - slots_.data())];
            if (wait_resolves(when_, waiting_tasks_,
                              task_outcome_of(t.done() && t.exception(),
                                              t.done() && t.cancelled())))
                resolve();
        }
        settle();
    }

    void on_deadline()
    {
        --outstanding_;
        if (!resolved_)
            resolve();
        settle();
    }

    void on_parent_cancellation(asio::cancellation_type_t type)
    {
        if (type == asio::cancellation_type::none)
            return;
        if (!resolved_)
            resolve();
        settle();
    }

    void on_abandoned(child_slot_base*) noexcept { abandon(); }
    void on_deadline_abandoned() noexcept { abandon(); }

private:
    using task_allocator =
        typename std::allocator_traits<allocator_type>::template rebind_alloc<Task>;
    using slot_allocator = typename std::allocator_traits<
        allocator_type>::template rebind_alloc<child_slot_base>;

    template <class U, class H2, class... A>
    friend U* new_op(const H2&, A&&...);

    template <class H, class Range>
    wait_state(H&& h, const Given& given, Range& tasks, return_when when)
        : core_(std::forward<H>(h), given),
          tasks_(std::ranges::begin(tasks), std::ranges::end(tasks),
                 task_allocator(core_.get_allocator())),
          slots_(tasks_.size(), slot_allocator(core_.get_allocator())),
          waiting_tasks_(tasks_.size()), when_(when)
    {
    }

    // The condition is met: stop waiting for the rest (the tasks run on).
    void resolve()
    {
        resolved_ = true;
        ++busy_;
        for (auto& s : slots_)
            if (s.running)
                s.signal.emit(asio::cancellation_type::terminal);
        if (deadline_.disarm())
            --outstanding_;
        --busy_;
    }

    void abandon() noexcept
    {
        abandoned_ = true;
        --outstanding_;
        if (outstanding_ == 0 && busy_ == 0)
        {
            core_.abandon();
            destroy();
        }
    }

    void destroy() noexcept { delete_op(this, allocator_type(get_allocator())); }

    // Completes once nothing is outstanding; returns whether the state is gone.
    bool settle()
    {
        if (busy_ != 0 || outstanding_ != 0)
            return false;
        if (abandoned_)
        {
            core_.abandon();
            destroy();
            return true;
        }
        wait_result<Task> result;
        for (auto& t : tasks_)
            (t.done() ? result.done : result.pending).push_back(std::move(t));
        core_.complete([this] { destroy(); }, std::move(result));
        return true;
    }

    core_type core_;
    std::vector<Task, task_allocator> tasks_;
    std::vector<child_slot_base, slot_allocator> slots_;
    deadline<wait_state*> deadline_;
    std::size_t outstanding_ = 0;
    std::size_t waiting_tasks_;
    return_when when_;
    int busy_ = 0;
    bool resolved_ = false;
    bool abandoned_ = false;
};

template <class Executor>
struct initiate_wait : initiation_base<Executor>
{
    template <class Handler, class Range>
    void operator()(Handler&& handler, Range&& tasks, return_when when,
                    std::optional<std::chrono::steady_clock::duration> timeout) const
    {
        if constexpr (check_executor<std::decay_t<Handler>, Executor>())
        {
            using state_type =
                wait_state<task_of_t<Range>, std::decay_t<Handler>, Executor>;
            state_type::create(std::forward<Handler>(handler), this->given(), tasks, when)
                ->start(this->given(), timeout);
        }
    }
};

template <class Executor, class Range>
auto make_wait(Executor ex, Range&& tasks, return_when when,
               std::optional<std::chrono::steady_clock::duration> timeout)
{
    using signature = void(wait_result<task_of_t<Range>>);
    // The tasks are copied into the operation: handles are cheap, and the
    // caller's range need not outlive it.
    std::vector<task_of_t<Range>> copy(std::ranges::begin(tasks),
                                       std::ranges::end(tasks));
    return asio::async_initiate<const asio::deferred_t&, signature>(
        initiate_wait<Executor>{{std::move(ex)}}, asio::deferred, std::move(copy), when,
        timeout);
}

} // namespace detail
} // namespace boost::muster

#endif
