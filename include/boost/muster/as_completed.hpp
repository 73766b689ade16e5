//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_AS_COMPLETED_HPP
#define BOOST_MUSTER_AS_COMPLETED_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/deadline_service.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/task_range.hpp>
#include <boost/muster/error.hpp>

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

// The shared state and the initiation of async_next (impl/as_completed.hpp).
template <class Task>
struct as_completed_state;

template <class Task>
struct initiate_as_completed_next;

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

template <class Range>
auto task_vector(Range&& tasks);

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

#include <boost/muster/impl/as_completed.hpp>

#endif
