//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_AS_COMPLETED_HPP
#define BOOST_MUSTER_AS_COMPLETED_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/gather_state.hpp>
#include <boost/muster/detail/waiter.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/task.hpp>
#include <boost/muster/wait.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <ranges>
#include <utility>
#include <vector>

namespace boost::muster {
namespace detail {

// Shared by the as_completed object and the waits it started on the tasks.
template <class Task>
struct as_completed_state
{
    using executor_type = typename Task::executor_type;
    using waiter_type = waiter<as_completed_state>;

    as_completed_state(std::vector<Task> ts)
        : tasks(std::move(ts)), slots(tasks.size()), unyielded(tasks.size())
    {
    }

    ~as_completed_state() { waiters.destroy_all(); }

    std::vector<Task> tasks;
    std::vector<child_slot_base> slots;
    std::deque<std::size_t> ready; // done, not yet yielded, in completion order
    std::size_t unyielded;         // tasks not yet yielded (done or not)
    std::optional<asio::steady_timer> timer;
    waiter_list<as_completed_state> waiters;
    bool timed_out = false;
    bool closed = false;

    void on_task(std::size_t i)
    {
        slots[i].running = false;
        if (timed_out || closed)
            return;
        ready.push_back(i);
        serve();
    }

    void on_timer(const boost::system::error_code& ec)
    {
        if (ec || closed)
            return;
        // Tasks done before the deadline are still yielded first; every
        // other yield reports timed_out. Nothing is cancelled but our waits.
        timed_out = true;
        stop_waiting();
        serve();
    }

    void close()
    {
        closed = true;
        stop_waiting();
        if (timer)
            timer->cancel();
        waiters.abort_all(*this);
    }

    // Completes pending async_next calls while there is something to tell.
    void serve()
    {
        while (!waiters.empty() && (!ready.empty() || timed_out || unyielded == 0))
        {
            waiter_type* w = waiters.pop_front();
            w->fn(w, this, waiter_event::complete);
        }
    }

    void stop_waiting()
    {
        for (auto& s : slots)
            if (s.running)
                s.signal.emit(asio::cancellation_type::terminal);
    }

    template <class Handler, class Executor>
    void deliver(Handler h, const Executor& ex, bool aborted)
    {
        boost::system::error_code ec;
        Task t;
        if (aborted)
            ec = asio::error::operation_aborted;
        else if (!ready.empty())
        {
            t = tasks[ready.front()];
            ready.pop_front();
            --unyielded;
        }
        else if (timed_out && unyielded > 0)
        {
            ec = error::timed_out;
            --unyielded;
        }
        else
            ec = asio::error::eof;
        asio::post(ex, asio::append(std::move(h), ec, std::move(t)));
    }
};

template <class Task>
struct as_completed_wait_handler
{
    std::shared_ptr<as_completed_state<Task>> state;
    std::size_t index;

    using cancellation_slot_type = asio::cancellation_slot;
    cancellation_slot_type get_cancellation_slot() const noexcept
    {
        return state->slots[index].signal.slot();
    }

    template <class... Args>
    void operator()(Args&&...)
    {
        state->on_task(index);
    }
};

template <class Task>
struct initiate_as_completed_next
{
    as_completed_state<Task>* state;

    using executor_type = typename Task::executor_type;
    executor_type get_executor() const noexcept { return default_executor(); }

    executor_type default_executor() const noexcept
    {
        if (state->tasks.empty())
            return executor_type();
        return state->tasks.front().get_executor();
    }

    template <class Handler>
    void operator()(Handler&& handler) const
    {
        auto& s = *state;
        if (!s.ready.empty() || s.timed_out || s.unyielded == 0 || s.closed)
        {
            auto ex = asio::get_associated_executor(handler, default_executor());
            s.deliver(std::forward<Handler>(handler), ex, s.closed);
            return;
        }
        s.waiters.start(s, std::forward<Handler>(handler), default_executor());
    }
};

template <class Task>
struct as_completed_wait_handler;

} // namespace detail

template <class Task>
class as_completed_t;

namespace detail {
template <class Task>
as_completed_t<Task> make_as_completed(std::vector<Task>,
                                       std::optional<std::chrono::steady_clock::duration>);
} // namespace detail

/** The tasks of a set in the order they complete, like `asyncio.as_completed`.

    Made by @ref as_completed. Each call of @ref async_next yields the next
    task to complete (or one that had already completed and was not yet
    yielded), until every task has been yielded.

    Move-only. Destroying it completes pending `async_next` calls with
    `asio::error::operation_aborted` and stops watching the tasks (which run
    on).

    @par Thread safety
    Distinct objects: safe. Shared objects: unsafe; use it from the thread
    running the tasks' executor.
*/
template <class Task>
class as_completed_t
{
public:
    /// The type of the task handles yielded.
    using task_type = Task;

    /// The executor of the first task: the default for handlers.
    using executor_type = typename Task::executor_type;

    /// The completion signature of @ref async_next.
    using signature = void(boost::system::error_code, Task);

    as_completed_t(as_completed_t&& o) noexcept = default;
    as_completed_t& operator=(as_completed_t&& o) noexcept
    {
        close();
        state_ = std::move(o.state_);
        return *this;
    }

    ~as_completed_t() { close(); }

    /// How many tasks (or timeouts) are still to be yielded.
    std::size_t remaining() const noexcept { return state_ ? state_->unyielded : 0; }

    /** Waits for the next task to complete.

        This function is used to get the tasks in the order they finish. It
        always returns immediately.

        @param token The completion token, for a handler called as if by
        @code
        void handler(boost::system::error_code ec, Task t);
        @endcode
        `ec` is clear and `t` is a done task; or @ref error::timed_out once
        the deadline passed (one per task not yet yielded, after those that
        finished before it); or `asio::error::eof` when every task has been
        yielded; or `asio::error::operation_aborted` if cancelled. Without a
        token, `co_await s.async_next()` returns the task or throws.

        The handler is never invoked from within this function; it runs as
        if by `asio::post` on its associated executor (the first task's if it
        has none). Several calls may be outstanding; they are served in
        order.

        @par Per-operation cancellation
        `terminal`, `partial` and `total` cancellation complete this call with
        `operation_aborted`; nothing is lost: the task it would have yielded
        goes to the next call.
    */
    template <asio::completion_token_for<signature> CompletionToken =
                  detail::default_token_t<executor_type>>
    auto async_next(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, signature>(
            detail::initiate_as_completed_next<Task>{state_.get()}, token);
    }

private:
    template <class T>
    friend as_completed_t<T> detail::make_as_completed(
        std::vector<T>, std::optional<std::chrono::steady_clock::duration>);

    explicit as_completed_t(std::shared_ptr<detail::as_completed_state<Task>> s) noexcept
        : state_(std::move(s))
    {
    }

    void close()
    {
        if (auto s = std::move(state_))
            s->close();
    }

    std::shared_ptr<detail::as_completed_state<Task>> state_;
};

namespace detail {

template <class Task>
as_completed_t<Task>
make_as_completed(std::vector<Task> tasks,
                  std::optional<std::chrono::steady_clock::duration> timeout)
{
    auto state = std::make_shared<as_completed_state<Task>>(std::move(tasks));
    for (std::size_t i = 0; i != state->tasks.size(); ++i)
    {
        state->slots[i].running = true;
        state->tasks[i].async_wait(as_completed_wait_handler<Task>{state, i});
    }
    if (timeout && !state->tasks.empty())
    {
        state->timer.emplace(state->tasks.front().get_executor());
        state->timer->expires_after(*timeout);
        state->timer->async_wait([state](const boost::system::error_code& ec)
                                 { state->on_timer(ec); });
    }
    return as_completed_t<Task>(std::move(state));
}

} // namespace detail

/** Yields tasks in the order they complete, like `asyncio.as_completed`.

    Starts watching every task at once (the handles are copied) and returns an
    object whose `async_next` yields them as they complete:
    @code
    auto order = muster::as_completed(tasks);
    while (order.remaining() > 0)
        use(co_await order.async_next());
    @endcode

    Nothing is ever cancelled: tasks run on whatever happens to the object.
*/
template <detail::task_range Range>
auto as_completed(Range&& tasks)
{
    return detail::make_as_completed(
        std::vector<detail::task_of_t<Range>>(std::ranges::begin(tasks),
                                              std::ranges::end(tasks)),
        std::nullopt);
}

/** As above, with a deadline: once `timeout` has passed, every task not yet
    yielded is reported as @ref error::timed_out, after the tasks that had
    completed before it. Nothing is cancelled. The timer runs on the first
    task's executor.
*/
template <detail::task_range Range, class Rep, class Period>
auto as_completed(Range&& tasks, std::chrono::duration<Rep, Period> timeout)
{
    return detail::make_as_completed(
        std::vector<detail::task_of_t<Range>>(std::ranges::begin(tasks),
                                              std::ranges::end(tasks)),
        std::chrono::ceil<std::chrono::steady_clock::duration>(timeout));
}

} // namespace boost::muster

#endif
