//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_SHIELD_HPP
#define BOOST_MUSTER_SHIELD_HPP

#include <boost/muster/detail/operation.hpp>
#include <boost/muster/task.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>

#include <type_traits>
#include <utility>

namespace boost::muster
{

namespace detail
{

template <class Given>
struct initiate_shield : initiation_base<Given>
{
    template <class Handler, class T, class AwaitableExecutor>
    void operator()(Handler&& handler, asio::awaitable<T, AwaitableExecutor> aw) const
    {
        if constexpr (check_executor<std::decay_t<Handler>, Given>())
        {
            auto t =
                muster::create_task(run_executor(handler, this->given()), std::move(aw));
            t.async_wait(std::forward<Handler>(handler));
        }
    }
};

} // namespace detail

/** Runs a coroutine that a cancellation of its waiter does not stop, like
    `asyncio.shield`.

    This function always returns immediately: it returns an asynchronous
    operation, as Asio's functions do with `asio::deferred`, when no token is
    given. When started, the operation starts `aw` as a @ref task on the
    handler's associated executor (or `ex`) and waits for it.

    @param aw The coroutine; it is moved into the operation.
    @param token The completion token, for a handler called as if by
    `void handler(std::exception_ptr e, T value);` (`void handler(std::exception_ptr e);`
    for `T = void`): what the coroutine threw, or null, and its value. In a
    coroutine, `co_await shield(aw)` returns the value or throws.

    The handler is never invoked from within this function: it runs as if by
    `asio::post` on its associated executor.

    @par Per-operation cancellation
    `terminal`, `partial` and `total` end the wait only: it completes at once
    (posted) with a `system_error` of `asio::error::operation_aborted`, and
    the coroutine runs on to its end, unobserved. A timeout around the
    operation (@ref wait_for) therefore reports `error::timed_out` without
    stopping the coroutine. To read the result later, start the coroutine as
    a task and shield the task instead.

    @par Errors
    Those of the coroutine; `operation_aborted` when the wait is cancelled.

    @par Thread safety
    As for a @ref task, use a single-threaded executor or a strand.
*/
template <class T, class AwaitableExecutor,
          class CompletionToken = detail::default_token_t<AwaitableExecutor>>
auto shield(asio::awaitable<T, AwaitableExecutor> aw,
            CompletionToken&& token = CompletionToken())
{
    return asio::async_initiate<CompletionToken,
                                typename detail::task_signature<T>::type>(
        detail::initiate_shield<detail::no_executor>{}, token, std::move(aw));
}

/// As above, with the coroutine started on `ex`, for handlers with no
/// associated executor.
template <detail::executor_like Executor, class T, class AwaitableExecutor,
          class CompletionToken = detail::default_token_t<AwaitableExecutor>>
auto shield(const Executor& ex, asio::awaitable<T, AwaitableExecutor> aw,
            CompletionToken&& token = CompletionToken())
{
    return asio::async_initiate<CompletionToken,
                                typename detail::task_signature<T>::type>(
        detail::initiate_shield<Executor>{{ex}}, token, std::move(aw));
}

/** As above, for a task that is already running: waits for it, and a
    cancellation of the wait leaves the task running, with its result kept
    for whoever reads it later (`t.result()`, or another wait). This is what
    `t.async_wait(token)` does; `shield(t)` says so where it is used.
*/
template <class T, class Executor,
          class CompletionToken = detail::default_token_t<Executor>>
auto shield(const task<T, Executor>& t, CompletionToken&& token = CompletionToken())
{
    return t.async_wait(std::forward<CompletionToken>(token));
}

} // namespace boost::muster

#endif
