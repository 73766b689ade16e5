//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_EVENT_HPP
#define BOOST_MUSTER_EVENT_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/event_core.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/shared_core.hpp>
#include <boost/muster/null_mutex.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <mutex>

namespace boost::muster
{

/** An asynchronous event, like `asyncio.Event`: a flag that coroutines wait
    for.

    @ref set sets the flag and completes every current wait; waits that start
    while it is set complete at once (posted). @ref clear resets it, so later
    waits wait again. A wait that was present at `set()` completes even if
    `clear()` follows before it runs.

    Use @ref event, or @ref concurrent_event to share one between threads.

    @par Thread safety
    As @ref basic_lock.
*/
template <class Executor = asio::any_io_executor, class Mutex = null_mutex>
class basic_event
{
    using core_type = detail::event_core<Executor, Mutex>;

public:
    /// The default executor of the event's operations.
    using executor_type = Executor;

    /// Constructs an event that is not set.
    explicit basic_event(const executor_type& ex) : core_(ex) {}

    /// Constructs an event on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    explicit basic_event(ExecutionContext& ctx)
        : basic_event(executor_type(ctx.get_executor()))
    {
    }

    basic_event(const basic_event&) = delete;
    basic_event& operator=(const basic_event&) = delete;

    /// Completes every waiting wait with `asio::error::operation_aborted`.
    ~basic_event() = default;

    /// Returns the default executor.
    executor_type get_executor() const noexcept { return core().executor(); }

    /// True while the flag is set.
    bool is_set() const { return core().is_set(); }

    /** Sets the flag and completes every waiting wait (`Event.set`).

        @throws std::bad_alloc if a wait's completion cannot be allocated:
        the flag is set, every other wait completes, and that one is
        destroyed with its handler.
    */
    void set() { core().set(); }

    /// Resets the flag (`Event.clear`); waits that start afterwards wait.
    void clear() { core().clear(); }

    /** Waits until the flag is set (`Event.wait`).

        This function is used to wait asynchronously. It always returns
        immediately.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);`. `ec` is
        `asio::error::operation_aborted` if cancelled or if the event is
        destroyed.

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the event's if none), also
        when the flag is already set.

        @par Per-operation cancellation
        `terminal`, `partial` and `total`, while the wait waits: it completes
        with `operation_aborted`. A wait already completed by `set()` when the
        cancellation arrives completes normally.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_wait(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_wait{&core()}, token);
    }

    /** The coroutine form, as `await event.wait()`: returns at once, without
        suspending and without a post, if the flag is set. Throws
        `system_error` with `operation_aborted` if cancelled.
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> wait()
    {
        if (!is_set())
            co_await async_wait(asio::use_awaitable_t<AwaitableExecutor>());
    }

private:
    core_type& core() noexcept { return core_.get(); }
    const core_type& core() const noexcept { return core_.get(); }

    detail::core_holder<core_type> core_;
};

/// An event used from one thread at a time (`asyncio.Event`).
using event = basic_event<>;

/// A thread-safe @ref event, callable from any thread.
using concurrent_event = basic_event<asio::any_io_executor, std::mutex>;

} // namespace boost::muster

#endif
