//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_WAIT_HPP
#define BOOST_MUSTER_WAIT_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/deadline_service.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/task_range.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <chrono>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster
{

/// When @ref boost::muster::wait "wait" returns, as `asyncio.wait`'s `return_when`.
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

template <class Executor, class Range>
auto make_wait(Executor ex, Range&& tasks, return_when when,
               std::optional<std::chrono::steady_clock::duration> timeout);

} // namespace detail

/** Waits for a set of tasks until a condition holds, like `asyncio.wait`.

    This function returns at once an asynchronous operation object; `co_await`
    it, or call it with a completion token. Starting it waits for every task
    in `tasks` (it never cancels or otherwise changes a task).

    @param tasks A range of @ref task handles of one type (copied).
    @param when When to complete: @ref return_when::all_completed,
    `first_completed`, or `first_exception` (the first task that failed with
    something other than cancellation; if none does, when all are done).

    @par Completion
    When the condition holds, or the timeout expires, or the wait is
    cancelled, with signature
    @code
    void(muster::wait_result<Task> r); // r.done, r.pending
    @endcode
    listing the tasks that are done and those still running, each in input
    order. Pending tasks keep running: to stop them, cancel them. `wait`
    gives tasks, not results: read them with `t.result()`. An empty set
    completes at once (posted) with two empty lists; tasks already done when
    the wait starts count as done.

    @par Handler
    Never invoked from within the function that starts the wait; invoked on
    its associated executor. State is allocated with the handler's associated
    allocator.

    @par Per-operation cancellation
    Any cancellation type (terminal, partial, total) ends the wait early, as
    a timeout does: it completes normally with what is done. No task is
    cancelled.

    @par Errors
    None of its own: the wait reports tasks, and a task's failure is read
    from the task. Starting it throws `std::bad_alloc` if its state cannot
    be allocated.

    @par Thread safety
    Use a single-threaded executor or a strand for the handler and the tasks.
*/
template <detail::task_range Range>
auto wait(Range&& tasks, return_when when)
{
    return detail::make_wait(detail::no_executor{}, std::forward<Range>(tasks), when,
                             std::nullopt);
}

/** As above, returning early when `timeout` expires; pending tasks are not
    cancelled (`asyncio.wait(..., timeout=...)`). A timeout of zero or less
    returns with the tasks already done.
*/
template <detail::task_range Range, class Rep, class Period>
auto wait(Range&& tasks, return_when when, std::chrono::duration<Rep, Period> timeout)
{
    return detail::make_wait(detail::no_executor{}, std::forward<Range>(tasks), when,
                             detail::deadline_service::duration_of(timeout));
}

/// As above, with the timer on `ex`, for handlers with no associated executor.
template <detail::executor_like Executor, detail::task_range Range>
auto wait(const Executor& ex, Range&& tasks, return_when when)
{
    return detail::make_wait(ex, std::forward<Range>(tasks), when, std::nullopt);
}

/// As above, with a timeout.
template <detail::executor_like Executor, detail::task_range Range, class Rep,
          class Period>
auto wait(const Executor& ex, Range&& tasks, return_when when,
          std::chrono::duration<Rep, Period> timeout)
{
    return detail::make_wait(ex, std::forward<Range>(tasks), when,
                             detail::deadline_service::duration_of(timeout));
}

} // namespace boost::muster

#include <boost/muster/impl/wait.hpp>

#endif
