//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_AS_COMPLETED_HPP
#define BOOST_MUSTER_AS_COMPLETED_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/child_slot.hpp>
#include <boost/muster/detail/deadline.hpp>
#include <boost/muster/detail/deadline_service.hpp>
#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>
#include <boost/muster/detail/task_range.hpp>
#include <boost/muster/detail/waiter.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/task.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <ranges>
#include <utility>
#include <vector>

namespace boost::muster
{
namespace detail
{

// Shared by the as_completed object, the waits it started on the tasks and
// its deadline. The decisions are completion_order's.
template <class Task>
struct as_completed_state : std::enable_shared_from_this<as_completed_state<Task>>
{
    using executor_type = typename Task::executor_type;
    using waiter_type = waiter<as_completed_state>;
    using answer = completion_order::answer_type;

    as_completed_state(std::vector<Task> ts, std::optional<executor_type> ex)
        : tasks(std::move(ts)), slots(tasks.size()), order(tasks.size()),
          executor(ex              ? std::move(ex)
                   : tasks.empty() ? std::nullopt
                                   : std::optional(tasks.front().get_executor()))
    {
    }

    ~as_completed_state()
    {
        pending_service::remove(&registration);
        waiters.destroy_all();
    }

    // Known to the executor's context, so that its shutdown destroys pending
    // async_next calls (which may own the as_completed object itself).
    struct registration_type : pending_service::entry
    {
        as_completed_state* self = nullptr;
    };
    registration_type registration;

    void register_with_context()
    {
        if (!executor)
            return;
        registration.self = this;
        registration.take_waiters =
            [](pending_service::entry* e, std::vector<pending_service::orphan>& out)
        { static_cast<registration_type*>(e)->self->waiters.take_all(out); };
        pending_service::add(&registration, *executor);
    }

    std::vector<Task> tasks;
    std::vector<child_slot_base> slots;
    completion_order order;
    // Where handlers without an executor of their own complete, and where the
    // deadline runs: the executor given, else the first task's.
    std::optional<executor_type> executor;
    deadline<std::shared_ptr<as_completed_state>> timer;
    waiter_list<as_completed_state> waiters;

    void on_task(std::size_t i)
    {
        slots[i].running = false;
        order.finished(i);
        serve();
    }

    // Tasks done before the deadline are still yielded first; every other
    // yield reports timed_out. Nothing is cancelled but our waits.
    void on_deadline()
    {
        if (order.closed())
            return;
        order.expire();
        stop_waiting();
        serve();
    }

    void on_deadline_abandoned() noexcept {}

    void close()
    {
        order.close();
        stop_waiting();
        timer.disarm();
        waiters.abort_all(*this);
    }

    // Completes pending async_next calls while there is something to tell.
    void serve()
    {
        while (!waiters.empty() && order.ready())
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
        answer a = aborted ? answer{completion_order::kind::aborted} : order.next();
        deliver_answer(std::move(h), ex, a);
    }

    template <class Handler, class Executor>
    void deliver_answer(Handler h, const Executor& ex, answer a)
    {
        boost::system::error_code ec;
        Task t;
        switch (a.what)
        {
        case completion_order::kind::task:
            t = tasks[a.index];
            break;
        case completion_order::kind::timed_out:
            ec = error::timed_out;
            break;
        case completion_order::kind::eof:
            ec = asio::error::eof;
            break;
        default:
            ec = asio::error::operation_aborted;
            break;
        }
        post_completion(std::move(h), ex, ec, std::move(t));
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
    executor_type get_executor() const noexcept
    {
        return state && state->executor ? *state->executor : executor_type();
    }

    template <class Handler>
    void operator()(Handler&& handler) const
    {
        using handler_type = std::decay_t<Handler>;
        constexpr bool has_own = has_executor_v<handler_type, no_executor>;
        if (!has_own && !(state && state->executor))
            throw boost::system::system_error(state ? error::no_executor
                                                    : error::moved_from);
        if (!state)
        {
            // Moved from: there is an executor to complete on.
            post_completion(std::forward<Handler>(handler), get_executor(),
                            boost::system::error_code(error::moved_from), Task());
            return;
        }
        auto& s = *state;
        if (s.order.ready())
        {
            s.deliver_answer(std::forward<Handler>(handler), get_executor(),
                             s.order.next());
            return;
        }
        s.waiters.start(s, std::forward<Handler>(handler), get_executor());
    }
};

} // namespace detail

template <class Task>
class as_completed_t;

namespace detail
{
template <class Task>
as_completed_t<Task>
    make_as_completed(std::vector<Task>, std::optional<typename Task::executor_type>,
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

    /// How many tasks (or timeouts) are still to be yielded; 0 for a
    /// moved-from object.
    std::size_t remaining() const noexcept
    {
        return state_ ? state_->order.remaining() : 0;
    }

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
        if by `asio::post` on its associated executor (if it has none: the
        executor given to @ref as_completed, else the first task's). Several
        calls may be outstanding; they are served in order. On a moved-from
        object the handler completes with @ref error::moved_from.

        @throws boost::system::system_error with @ref error::no_executor if
        the handler has no associated executor and the object has none (no
        executor given and no task), or with @ref error::moved_from if,
        moved from, it has nowhere to complete.

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
    friend as_completed_t<T>
        detail::make_as_completed(std::vector<T>,
                                  std::optional<typename T::executor_type>,
                                  std::optional<std::chrono::steady_clock::duration>);

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

namespace detail
{

template <class Task>
as_completed_t<Task>
make_as_completed(std::vector<Task> tasks, std::optional<typename Task::executor_type> ex,
                  std::optional<std::chrono::steady_clock::duration> timeout)
{
    auto state =
        std::make_shared<as_completed_state<Task>>(std::move(tasks), std::move(ex));
    state->register_with_context();
    for (std::size_t i = 0; i != state->tasks.size(); ++i)
    {
        state->slots[i].running = true;
        state->tasks[i].async_wait(as_completed_wait_handler<Task>{state, i});
    }
    if (timeout && !state->tasks.empty())
        state->timer.arm(state, *state->executor, *timeout);
    return as_completed_t<Task>(std::move(state));
}

template <class Range>
auto task_vector(Range&& tasks)
{
    return std::vector<task_of_t<Range>>(std::ranges::begin(tasks),
                                         std::ranges::end(tasks));
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
    return detail::make_as_completed(detail::task_vector(tasks), std::nullopt,
                                     std::nullopt);
}

/** As above, with a deadline: once `timeout` has passed, every task not yet
    yielded is reported as @ref error::timed_out, after the tasks that had
    completed before it. Nothing is cancelled. The deadline runs on the first
    task's executor.
*/
template <detail::task_range Range, class Rep, class Period>
auto as_completed(Range&& tasks, std::chrono::duration<Rep, Period> timeout)
{
    return detail::make_as_completed(detail::task_vector(tasks), std::nullopt,
                                     detail::deadline_service::duration_of(timeout));
}

/** As above, with `ex` as the executor of handlers that have none and of the
    deadline: an empty set then still completes a plain callback's
    `async_next` with `eof`.
*/
template <detail::executor_like Executor, detail::task_range Range>
auto as_completed(const Executor& ex, Range&& tasks)
{
    using task_type = detail::task_of_t<Range>;
    return detail::make_as_completed(detail::task_vector(tasks),
                                     typename task_type::executor_type(ex), std::nullopt);
}

/// As above, with a deadline.
template <detail::executor_like Executor, detail::task_range Range, class Rep,
          class Period>
auto as_completed(const Executor& ex, Range&& tasks,
                  std::chrono::duration<Rep, Period> timeout)
{
    using task_type = detail::task_of_t<Range>;
    return detail::make_as_completed(detail::task_vector(tasks),
                                     typename task_type::executor_type(ex),
                                     detail::deadline_service::duration_of(timeout));
}

} // namespace boost::muster

#endif
