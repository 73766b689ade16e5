//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_LOCK_HPP
#define BOOST_MUSTER_LOCK_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/permit_core.hpp>
#include <boost/muster/detail/permit_guard.hpp>
#include <boost/muster/detail/shared_core.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/null_mutex.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <mutex>

namespace boost::muster
{

template <class Executor, class Mutex>
class basic_condition;

/** An asynchronous mutual-exclusion lock, like `asyncio.Lock`.

    At most one holder at a time; acquirers wait in strict arrival order
    (nobody barges past a waiter, not even with @ref try_acquire). The lock
    has no owner, as in asyncio: any code may @ref release it.

    Use @ref lock, or @ref concurrent_lock to share one between threads.

    @tparam Executor The default executor for handlers with none.
    @tparam Mutex @ref null_mutex (the default) for a lock used from one
    thread at a time; `std::mutex` for one shared between threads.

    @par Thread safety
    Distinct objects: safe. Shared objects: with @ref null_mutex, unsafe; with
    `std::mutex`, every member function except the destructor may be called
    from any thread at the same time. Every handler runs on its own
    associated executor, and per-operation cancellation must be emitted on
    that executor.
*/
template <class Executor = asio::any_io_executor, class Mutex = null_mutex>
class basic_lock
{
    using core_type = detail::permit_core<Executor, Mutex>;
    friend class basic_condition<Executor, Mutex>;

public:
    /// The default executor of the lock's operations.
    using executor_type = Executor;

    /// Holds the lock and releases it when destroyed; see @ref scoped_acquire.
    using guard = detail::permit_guard<core_type>;

    /// Constructs an unlocked lock.
    explicit basic_lock(const executor_type& ex) : core_(ex, 1, 1) {}

    /// Constructs an unlocked lock on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    explicit basic_lock(ExecutionContext& ctx)
        : basic_lock(executor_type(ctx.get_executor()))
    {
    }

    basic_lock(const basic_lock&) = delete;
    basic_lock& operator=(const basic_lock&) = delete;

    /// Completes every waiting acquire with `asio::error::operation_aborted`.
    /// A @ref basic_condition bound to the lock must be destroyed first.
    ~basic_lock() = default;

    /// Returns the default executor.
    executor_type get_executor() const noexcept { return core().executor(); }

    /// True while the lock is held.
    bool locked() const { return core().available() == 0; }

    /** Acquires the lock if that can be done at once.

        @returns true if the lock was free and nobody waited for it (it is
        then held); false otherwise, changing nothing.
    */
    bool try_acquire() { return core().try_acquire(1); }

    /** Releases the lock (`Lock.release`). The longest-waiting acquire, if
        any, then holds it.

        @throws boost::system::system_error with @ref error::not_locked if the
        lock is not held; std::bad_alloc if the next acquire's completion
        cannot be allocated (the lock is then free, and that acquire still
        waits first).
    */
    void release()
    {
        if (auto ec = core().release(1, 0, 0))
            throw boost::system::system_error(ec);
    }

    /** Acquires the lock, waiting while it is held or others wait.

        This function is used to acquire the lock asynchronously. It always
        returns immediately. Acquires are served in arrival order.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);`. On success the lock is
        held on the caller's behalf, to be given back with @ref release. `ec`
        is `asio::error::operation_aborted` if cancelled or if the lock is
        destroyed; the lock is then not held on the caller's behalf.

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the lock's if none).

        @par Per-operation cancellation
        `terminal`, `partial` and `total`, while the acquire waits: it
        completes with `operation_aborted` and never holds the lock. An
        acquire granted before the cancellation arrived completes normally,
        holding the lock.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_acquire(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_acquire{{&core()}}, token, std::size_t(1));
    }

    /** The coroutine form of an acquire, as `await lock.acquire()`.

        Returns at once, without suspending and without a post, if the lock is
        free and nobody waits; otherwise waits as @ref async_acquire does.
        Throws `system_error` with `operation_aborted` if cancelled.
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> acquire()
    {
        if (!try_acquire())
            co_await async_acquire(asio::use_awaitable_t<AwaitableExecutor>());
    }

    /** Acquires the lock and returns a @ref guard that releases it when
        destroyed: the `async with lock:` form.

        As @ref acquire. The guard may be moved; it releases exactly once.
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<guard, AwaitableExecutor> scoped_acquire()
    {
        if (!try_acquire())
            co_await async_acquire(asio::use_awaitable_t<AwaitableExecutor>());
        co_return guard(core(), 1);
    }

private:
    core_type& core() noexcept { return core_.get(); }
    const core_type& core() const noexcept { return core_.get(); }

    detail::core_holder<core_type> core_;
};

/// A lock used from one thread at a time (`asyncio.Lock`); see @ref basic_lock.
using lock = basic_lock<>;

/// A thread-safe @ref lock, callable from any thread.
using concurrent_lock = basic_lock<asio::any_io_executor, std::mutex>;

} // namespace boost::muster

#endif
