//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_WAIT_FOR_HPP
#define BOOST_MUSTER_WAIT_FOR_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/deadline_service.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/wait_for_state.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/is_executor.hpp>

#include <chrono>
#include <type_traits>
#include <utility>

namespace boost::muster
{
namespace detail
{

template <class Child>
using wait_for_signature_t = typename child_traits<std::decay_t<Child>>::signature;

template <class Child>
concept timeoutable =
    coordinatable<Child> && timeout_signature<wait_for_signature_t<Child>>::valid;

template <class Executor, class Child, class Rep, class Period>
auto make_wait_for(Executor ex, Child&& child,
                   std::chrono::duration<Rep, Period> timeout);

} // namespace detail

/** Bounds an awaitable or asynchronous operation by a timeout, like
    `asyncio.wait_for`.

    This function returns at once an asynchronous operation object; `co_await`
    it, or call it with a completion token. Starting it starts `child` (a
    coroutine is spawned, an operation initiated, a task waited for) and a
    deadline (one timer per execution context serves every deadline).

    @param child An `asio::awaitable<T>`, a @ref task, or an Asio asynchronous
    operation object whose completion signature starts with a
    `boost::system::error_code` or `std::exception_ptr` (a socket read, a timer
    wait, a queue get, a @ref gather).
    @param timeout How long to wait; any `std::chrono::duration`, rounded up to
    the steady clock's resolution.

    @par Completion
    With the child's own signature (`void(std::exception_ptr, T)` for a
    coroutine or task). If the child completes first, its result, as is. If
    the timeout expires first, the child is cancelled (terminal) and waited
    for: if it then still completed successfully, its result is delivered --
    a value already taken, such as a queue item, is never dropped; if it
    reports the cancellation (`operation_aborted`), the error becomes
    @ref error::timed_out (an `error_code`, or a `system_error` in the
    `exception_ptr`); any other failure is delivered as is. In a coroutine,
    `co_await wait_for(...)` returns the value or throws.

    A timeout of zero or less times out at once: a coroutine child is not even
    started; an operation is started and cancelled immediately.

    @par Handler
    Never invoked from within the function that starts the operation; invoked
    on its associated executor as soon as the child completes (the deadline
    is removed then). Coroutine children run on that executor. State is
    allocated with the handler's associated allocator.

    @par Per-operation cancellation
    A cancellation on the handler's slot is forwarded, with the same type, to
    the child; the result is then the child's own (typically
    `operation_aborted`, not `timed_out`).

    @par Thread safety
    Use a single-threaded executor or a strand for the handler; the child
    runs on it.
*/
template <detail::timeoutable Child, class Rep, class Period>
auto wait_for(Child&& child, std::chrono::duration<Rep, Period> timeout)
{
    return detail::make_wait_for(detail::no_executor{}, std::forward<Child>(child),
                                 timeout);
}

/// As above, with the timer and a coroutine child on `ex`.
template <detail::executor_like Executor, detail::timeoutable Child, class Rep,
          class Period>
auto wait_for(const Executor& ex, Child&& child,
              std::chrono::duration<Rep, Period> timeout)
{
    return detail::make_wait_for(ex, std::forward<Child>(child), timeout);
}

} // namespace boost::muster

#include <boost/muster/impl/wait_for.hpp>

#endif
