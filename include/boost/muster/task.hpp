//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_TASK_HPP
#define BOOST_MUSTER_TASK_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/config.hpp>
#include <boost/muster/detail/task_state.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/is_executor.hpp>

#include <concepts>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace boost::muster
{

/** A handle to a coroutine that runs on its own, like `asyncio.Task`.

    Made by @ref create_task, which starts the coroutine at once. The handle is
    cheap to copy; all copies refer to the same task. Dropping every handle
    does not stop the task: it runs to its end.

    @tparam T The coroutine's result type; `void` is allowed.
    @tparam Executor The executor the coroutine runs on, the executor of its
    `asio::awaitable<T, Executor>`.

    @par Thread safety
    Distinct objects: safe. Shared objects (and copies of one handle): unsafe;
    use a task's handles from the thread that runs its executor (or a strand).

    @since 0.1
*/
template <class T = void, class Executor = asio::any_io_executor>
class task
{
    using state_type = detail::task_state<T, Executor>;

public:
    /// The coroutine's result type.
    using value_type = T;

    /// The executor the coroutine runs on.
    using executor_type = Executor;

    /// The completion signature of @ref async_wait.
    using signature = typename state_type::signature;

    /// Constructs an empty handle: `valid()` is false, and no other member may
    /// be called until a task is assigned.
    task() noexcept = default;

    /// Returns true if this handle refers to a task.
    bool valid() const noexcept { return state_ != nullptr; }

    /// Returns the executor the task's coroutine runs on.
    executor_type get_executor() const noexcept { return state_->executor; }

    /// Returns true once the coroutine has finished, with a value, an
    /// exception, or cancelled (`asyncio.Task.done`).
    bool done() const noexcept { return state_->done; }

    /** Returns true if the task has finished by cancellation.

        That is: its coroutine ended with a `boost::system::system_error` whose
        code is `asio::error::operation_aborted`, which is how an Asio
        coroutine reports that an operation it awaited was cancelled
        (`asyncio.Task.cancelled`). A task that caught the cancellation and
        returned normally is not cancelled.
    */
    bool cancelled() const noexcept { return state_->cancelled; }

    /** Requests cancellation of the running coroutine.

        Emits `type` into the coroutine's cancellation slot; the operation it
        is suspended on (a timer wait, a socket read, another Muster
        operation) then completes with `asio::error::operation_aborted`, which
        surfaces in the coroutine as a thrown `system_error`. Unless the
        coroutine changed its cancellation filter with
        `asio::this_coro::reset_cancellation_state`, it honours only
        `cancellation_type::terminal`, Asio's default for coroutines.

        The task is not done when this returns: wait for it to see the
        outcome. Returns false, doing nothing, if the task is already done
        (`asyncio.Task.cancel`).
    */
    bool cancel(asio::cancellation_type_t type = asio::cancellation_type::terminal)
    {
        if (state_->done || state_->abandoned)
            return false;
        state_->signal.emit(type);
        return true;
    }

    /** Returns the task's result, or throws its failure.

        @returns `T const&` (nothing for `task<void>`), valid while a handle to
        the task exists.

        @throws boost::system::system_error with @ref error::task_not_done if
        the task has not finished; otherwise whatever the coroutine threw
        (`asio::error::operation_aborted` if it was cancelled).
    */
    decltype(auto) result() const
    {
        check_done();
        if constexpr (debug_reports)
            state_->observed = true;
        if (state_->error)
            std::rethrow_exception(state_->error);
        if constexpr (!std::is_void_v<T>)
            return static_cast<const T&>(state_->value);
    }

    /** Returns what the task failed with, or a null pointer if it succeeded.

        A cancelled task returns its `operation_aborted` exception.

        @throws boost::system::system_error with @ref error::task_not_done if
        the task has not finished.
    */
    std::exception_ptr exception() const
    {
        check_done();
        if constexpr (debug_reports)
            state_->observed = true;
        return state_->error;
    }

    /** Waits for the task to finish.

        This function is used to wait asynchronously for the task's coroutine
        to end. It always returns immediately. Any number of waits may be
        outstanding on one task; each completes with its own copy of the
        result. A task that is already done completes the wait at once,
        through a post.

        @param token The completion token used to produce a completion handler,
        which is called as if by:
        @code
        void handler(std::exception_ptr e, T value); // T = void: handler(e)
        @endcode
        `e` is what the coroutine threw, or null (a cancelled coroutine threw
        a `system_error` of `asio::error::operation_aborted`); `value` is the
        result, or value-initialised if `e` is set. The default token is the executor's
        default, else `asio::deferred`, so `co_await t.async_wait()` works in
        an `asio::awaitable` and returns the value or throws the failure.

        Regardless of whether the wait completes immediately or not, the
        handler is never invoked from within this function. It is invoked as
        if by `asio::post` on its associated executor (the task's executor if
        it has none), and outstanding work is tracked on that executor while
        the wait is pending. The wait state is allocated with the handler's
        associated allocator.

        @par Per-operation cancellation
        `terminal`, `partial` and `total` cancellation end this wait only: it
        completes with `e` holding a `system_error` of
        `asio::error::operation_aborted`, and the task keeps running (use
        @ref cancel to stop the task itself).

        @par Requirements
        `T` is copy-constructible (every waiter gets a copy) and
        default-constructible (as for `asio::co_spawn`).
    */
    template <asio::completion_token_for<signature> CompletionToken =
                  detail::default_token_t<Executor>>
    auto async_wait(CompletionToken&& token = CompletionToken()) const
    {
        static_assert(std::is_void_v<T> || std::is_copy_constructible_v<T>,
                      "task<T>::async_wait delivers a copy of the result to every "
                      "waiter, so T must be copy-constructible; wrap a move-only "
                      "result in std::shared_ptr");
        return asio::async_initiate<CompletionToken, signature>(
            detail::initiate_task_wait<T, Executor>{state_}, token);
    }

    /** Makes the task an asynchronous operation: `co_await t` waits for it.

        Equivalent to `async_wait(token)`; it lets a task be awaited directly
        in an `asio::awaitable` (`T v = co_await t;`, `asyncio`'s `await t`),
        a named handle as well as a temporary, and passed wherever an Asio
        asynchronous operation is accepted.
    */
    template <asio::completion_token_for<signature> CompletionToken>
    auto operator()(CompletionToken&& token) const
    {
        return async_wait(std::forward<CompletionToken>(token));
    }

    /// Two handles are equal if they refer to the same task.
    friend bool operator==(const task&, const task&) noexcept = default;

private:
    template <class U, class E>
    friend task<U, E> detail::make_task(std::shared_ptr<detail::task_state<U, E>>);

    explicit task(std::shared_ptr<state_type> state) noexcept : state_(std::move(state))
    {
    }

    void check_done() const
    {
        if (!state_->done)
            throw boost::system::system_error(error::task_not_done);
    }

    std::shared_ptr<state_type> state_;
};

/** Starts a coroutine as a task, like `asyncio.create_task`.

    The coroutine is started with `asio::co_spawn` on `ex` and runs on its own;
    the returned handle observes, cancels and waits for it. As with `co_spawn`,
    when this is called from a thread that is running `ex`, the coroutine runs
    at once up to its first suspension; otherwise it starts when `ex` next
    runs handlers.

    @param ex The executor to run the coroutine on (or, in the overload below,
    an execution context such as an `asio::io_context`).
    @param aw The coroutine. Its executor type must be constructible from `ex`.

    @returns A handle to the running task.
*/
template <class Executor, class T, class AwaitableExecutor>
requires(asio::execution::is_executor<Executor>::value ||
         asio::is_executor<Executor>::value) &&
    std::is_constructible_v<AwaitableExecutor, const Executor&> task<
        T, AwaitableExecutor> create_task(const Executor& ex,
                                          asio::awaitable<T, AwaitableExecutor> aw)
{
    auto state =
        std::make_shared<detail::task_state<T, AwaitableExecutor>>(AwaitableExecutor(ex));
    detail::spawn_task(state, ex, std::move(aw));
    return detail::make_task(std::move(state));
}

/** Starts a coroutine made by a function object as a task.

    Like the overload above, but `f` is a function object taking no arguments
    and returning an `asio::awaitable`. The task keeps `f` alive until the
    coroutine ends, so a lambda coroutine may use its captures safely:
    @code
    auto t = muster::create_task(ex, [&conn]() -> asio::awaitable<int> {
        co_return co_await conn.read_header();
    });
    @endcode
    (Calling such a lambda and passing the awaitable it returns would leave
    the coroutine with dangling captures, as with `asio::co_spawn`.)
*/
template <class Executor, class F>
requires(asio::execution::is_executor<Executor>::value ||
         asio::is_executor<Executor>::value) &&
    detail::awaitable_factory<F> auto create_task(const Executor& ex, F&& f)
{
    using aw_type = std::invoke_result_t<std::decay_t<F>&>;
    using T = detail::awaitable_value_t<aw_type>;
    using AwaitableExecutor = typename aw_type::executor_type;
    auto state =
        std::make_shared<detail::task_state<T, AwaitableExecutor>>(AwaitableExecutor(ex));
    detail::spawn_task(state, ex, std::forward<F>(f));
    return detail::make_task(std::move(state));
}

/// Starts a coroutine (or a function object making one) as a task on
/// `ctx.get_executor()`; see above.
template <class ExecutionContext, class Aw>
requires std::is_convertible_v<ExecutionContext&, asio::execution_context&>
auto create_task(ExecutionContext& ctx, Aw&& aw)
    -> decltype(muster::create_task(ctx.get_executor(), std::forward<Aw>(aw)))
{
    return muster::create_task(ctx.get_executor(), std::forward<Aw>(aw));
}

} // namespace boost::muster

#include <boost/muster/impl/task.hpp>

#endif
