//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_WAIT_STATE_HPP
#define BOOST_MUSTER_DETAIL_WAIT_STATE_HPP

#include <boost/muster/detail/gather_state.hpp>
#include <boost/muster/detail/handler.hpp>
#include <boost/muster/detail/op_alloc.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace boost::muster
{

/// When @ref wait returns, as `asyncio.wait`'s `return_when`.
enum class return_when
{
    /// When every task is done (or on timeout / cancellation).
    all_completed,
    /// When any task is done.
    first_completed,
    /// When any task fails with an exception other than cancellation, or when
    /// every task is done if none does.
    first_exception,
};

/** What @ref wait completes with: the tasks that are done and those still
    pending when it returned, each in input order. Use with structured
    bindings: `auto [done, pending] = co_await muster::wait(...);`
*/
template <class Task>
struct wait_result
{
    std::vector<Task> done;
    std::vector<Task> pending;
};

namespace detail
{

// The state of one wait: a wait on every task (never the task itself), an
// optional timer, and the handler. Resolving cancels the remaining waits and
// the timer; the handler is invoked once all have come back, with the tasks
// split by done().
template <class Task, class Handler, class DefaultExecutor>
class wait_state
{
public:
    using executor_type = asio::associated_executor_t<Handler, DefaultExecutor>;

    template <class H, class Range>
    static wait_state* create(H&& h, const DefaultExecutor& ex, Range& tasks,
                              return_when when)
    {
        return new_op<wait_state>(h, std::forward<H>(h), ex, tasks, when);
    }

    executor_type get_executor() const noexcept { return work_.get_executor(); }

    void start(std::optional<std::chrono::steady_clock::duration> timeout)
    {
        ++busy_;
        for (std::size_t i = 0; i != tasks_.size(); ++i)
        {
            slots_[i].running = true;
            ++outstanding_;
            tasks_[i].async_wait(
                member_handler<wait_state, child_slot_base*, true>(this, &slots_[i]));
        }
        if (timeout && !tasks_.empty())
        {
            if (*timeout <= std::chrono::steady_clock::duration::zero())
                resolve();
            else
            {
                timer_.emplace(get_executor());
                timer_->expires_after(*timeout);
                ++outstanding_;
                timer_->async_wait(member_handler<wait_state, timer_id, true>(this, {}));
            }
        }
        auto slot = asio::get_associated_cancellation_slot(handler_);
        if (outstanding_ != 0 && slot.is_connected())
            slot.template emplace<parent_cancellation>(this);
        --busy_;
        settle(true);
    }

    asio::cancellation_slot slot_for(child_slot_base* s) noexcept
    {
        return s->signal.slot();
    }
    asio::cancellation_slot slot_for(timer_id) noexcept { return {}; }

    template <class... Args>
    void on_complete(child_slot_base* s, Args&&...)
    {
        s->running = false;
        --outstanding_;
        --waiting_tasks_;
        if (!resolved_)
        {
            const Task& t = tasks_[std::size_t(s - slots_.data())];
            bool resolves = waiting_tasks_ == 0;
            if (when_ == return_when::first_completed)
                resolves = resolves || t.done();
            else if (when_ == return_when::first_exception)
                resolves = resolves || (t.done() && t.exception() && !t.cancelled());
            if (resolves)
                resolve();
        }
        settle(false);
    }

    void on_complete(timer_id, const boost::system::error_code& ec)
    {
        --outstanding_;
        if (!ec && !resolved_)
            resolve();
        settle(false);
    }

    void on_abandoned() noexcept
    {
        abandoned_ = true;
        --outstanding_;
        if (outstanding_ == 0 && busy_ == 0)
            destroy(get_allocator());
    }

private:
    using allocator_type = op_allocator_t<wait_state, Handler>;
    using work_type = asio::executor_work_guard<executor_type>;

    struct parent_cancellation
    {
        explicit parent_cancellation(wait_state* s) noexcept : state(s) {}
        wait_state* state;
        void operator()(asio::cancellation_type_t type)
        {
            if (type == asio::cancellation_type::none)
                return;
            if (!state->resolved_)
                state->resolve();
            state->settle(false);
        }
    };

    template <class U, class H2, class... A>
    friend U* new_op(const H2&, A&&...);

    template <class H, class Range>
    wait_state(H&& h, const DefaultExecutor& ex, Range& tasks, return_when when)
        : handler_(std::forward<H>(h)), work_(handler_executor(handler_, ex)),
          tasks_(std::ranges::begin(tasks), std::ranges::end(tasks)),
          slots_(tasks_.size()), waiting_tasks_(tasks_.size()), when_(when)
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
        if (timer_)
            timer_->cancel();
        --busy_;
    }

    allocator_type get_allocator() const noexcept
    {
        return op_allocator<wait_state>(handler_);
    }

    void destroy(allocator_type alloc) noexcept { delete_op(this, alloc); }

    void settle(bool in_initiation)
    {
        if (busy_ != 0 || outstanding_ != 0)
            return;
        allocator_type alloc = get_allocator();
        if (abandoned_)
            return destroy(alloc);
        asio::get_associated_cancellation_slot(handler_).clear();
        wait_result<Task> result;
        for (auto& t : tasks_)
            (t.done() ? result.done : result.pending).push_back(std::move(t));
        Handler h(std::move(handler_));
        work_type work(std::move(work_));
        destroy(alloc);
        auto bound = asio::append(std::move(h), std::move(result));
        if (in_initiation)
            asio::post(work.get_executor(), std::move(bound));
        else
            asio::dispatch(work.get_executor(), std::move(bound));
    }

    Handler handler_;
    work_type work_;
    std::vector<Task> tasks_;
    std::vector<child_slot_base> slots_;
    std::optional<asio::steady_timer> timer_;
    std::size_t outstanding_ = 0;
    std::size_t waiting_tasks_;
    return_when when_;
    int busy_ = 0;
    bool resolved_ = false;
    bool abandoned_ = false;
};

} // namespace detail
} // namespace boost::muster

#endif
