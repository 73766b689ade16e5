//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_SHARED_LOCK_HPP
#define BOOST_MUSTER_SHARED_LOCK_HPP

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

#include <cstddef>
#include <mutex>

namespace boost::muster
{

/** An asynchronous readers-writer lock (beyond asyncio; Tokio's `RwLock`).

    Any number of shared holders, or one exclusive holder. Acquires of both
    kinds are served in one strict arrival order, so neither readers nor
    writers starve: a shared acquire that arrives while an exclusive one
    waits queues behind it, and an exclusive acquire waits for the shared
    holders before it, and only for them. Like @ref basic_lock it has no
    owner.

    Use @ref shared_lock, or @ref concurrent_shared_lock to share one between
    threads.

    @par Thread safety
    As @ref basic_lock.
*/
template <class Executor = asio::any_io_executor, class Mutex = null_mutex>
class basic_shared_lock
{
    using core_type = detail::permit_core<Executor, Mutex>;
    // The exclusive holder takes every permit; a shared holder takes one.
    static constexpr std::size_t all = std::size_t(-1);

public:
    /// The default executor of the lock's operations.
    using executor_type = Executor;

    /// Holds the lock (in either mode) and releases it when destroyed.
    using guard = detail::permit_guard<core_type>;

    /// Constructs an unlocked lock.
    explicit basic_shared_lock(const executor_type& ex) : core_(ex, all, all) {}

    /// Constructs an unlocked lock on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    explicit basic_shared_lock(ExecutionContext& ctx)
        : basic_shared_lock(executor_type(ctx.get_executor()))
    {
    }

    basic_shared_lock(const basic_shared_lock&) = delete;
    basic_shared_lock& operator=(const basic_shared_lock&) = delete;

    /// Completes every waiting acquire with `asio::error::operation_aborted`.
    ~basic_shared_lock() = default;

    /// Returns the default executor.
    executor_type get_executor() const noexcept { return core().executor(); }

    /// True while the lock is held, in either mode.
    bool locked() const { return core().available() != all; }

    /// True while the lock is held exclusively.
    bool locked_exclusive() const { return core().available() == 0; }

    /// Acquires the lock exclusively if that can be done at once: it is not
    /// held and nobody waits.
    bool try_acquire() { return core().try_acquire(all); }

    /// Acquires the lock shared if that can be done at once: it is not held
    /// exclusively and nobody waits.
    bool try_acquire_shared() { return core().try_acquire(1); }

    /** Releases the exclusive hold; the waiting acquires at the head of the
        queue (one exclusive, or every shared one up to the next exclusive)
        then hold it.

        @throws boost::system::system_error with @ref error::not_locked if the
        lock is not held exclusively; std::bad_alloc as @ref basic_lock::release.
    */
    void release()
    {
        if (auto ec = core().release(all, 0, 0))
            throw boost::system::system_error(ec);
    }

    /** Releases one shared hold.

        @throws boost::system::system_error with @ref error::not_locked if the
        lock is not held shared; std::bad_alloc as @ref basic_lock::release.
    */
    void release_shared()
    {
        if (auto ec = core().release(1, 1, all - 1))
            throw boost::system::system_error(ec);
    }

    /** Acquires the lock exclusively, waiting while it is held or others
        wait.

        This function is used to acquire the lock asynchronously. It always
        returns immediately.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);`. On success the lock is
        held exclusively on the caller's behalf, to be given back with
        @ref release. `ec` is `asio::error::operation_aborted` if cancelled or
        if the lock is destroyed (nothing is then held).

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the lock's if none).

        @par Per-operation cancellation
        `terminal`, `partial` and `total`, while the acquire waits: it
        completes with `operation_aborted` and holds nothing; shared acquires
        behind it may then be granted. An acquire granted before the
        cancellation arrived completes normally.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_acquire(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_acquire{{&core()}}, token, all);
    }

    /** As @ref async_acquire, but acquiring the lock shared: it waits while
        the lock is held exclusively or others wait. Give it back with
        @ref release_shared.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_acquire_shared(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_acquire{{&core()}}, token, std::size_t(1));
    }

    /// The coroutine form of @ref async_acquire; returns at once, without
    /// suspending and without a post, if it can.
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> acquire()
    {
        if (!try_acquire())
            co_await async_acquire(asio::use_awaitable_t<AwaitableExecutor>());
    }

    /// The coroutine form of @ref async_acquire_shared.
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> acquire_shared()
    {
        if (!try_acquire_shared())
            co_await async_acquire_shared(asio::use_awaitable_t<AwaitableExecutor>());
    }

    /// Acquires the lock exclusively and returns a @ref guard that releases
    /// it when destroyed.
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<guard, AwaitableExecutor> scoped_acquire()
    {
        if (!try_acquire())
            co_await async_acquire(asio::use_awaitable_t<AwaitableExecutor>());
        co_return guard(core(), all);
    }

    /// Acquires the lock shared and returns a @ref guard that releases it
    /// when destroyed.
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<guard, AwaitableExecutor> scoped_acquire_shared()
    {
        if (!try_acquire_shared())
            co_await async_acquire_shared(asio::use_awaitable_t<AwaitableExecutor>());
        co_return guard(core(), 1);
    }

private:
    core_type& core() noexcept { return core_.get(); }
    const core_type& core() const noexcept { return core_.get(); }

    detail::core_holder<core_type> core_;
};

/// A readers-writer lock used from one thread at a time.
using shared_lock = basic_shared_lock<>;

/// A thread-safe @ref shared_lock, callable from any thread.
using concurrent_shared_lock = basic_shared_lock<asio::any_io_executor, std::mutex>;

} // namespace boost::muster

#endif
