//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_SEMAPHORE_HPP
#define BOOST_MUSTER_SEMAPHORE_HPP

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
#include <type_traits>

namespace boost::muster
{

/** An asynchronous counting semaphore, like `asyncio.Semaphore` (or, with
    `Bounded`, `asyncio.BoundedSemaphore`).

    It holds a number of permits. An acquire takes one (or `n`), waiting
    while too few are free; a release returns them. Acquires are served in
    strict arrival order, as Tokio's and Go's weighted semaphores do: one that
    arrives while others wait queues behind them even if enough permits are
    free, and a large request at the head is never overtaken by smaller ones
    behind it, so nobody starves.

    Use @ref semaphore and @ref bounded_semaphore, or their thread-safe forms
    @ref concurrent_semaphore and @ref concurrent_bounded_semaphore.

    @tparam Executor The default executor for handlers with none.
    @tparam Mutex @ref null_mutex (the default) for a semaphore used from one
    thread at a time; `std::mutex` for one shared between threads.
    @tparam Bounded If true, a release that would raise the free permits
    above the initial value fails, and so does an acquire of more than it.

    @par Thread safety
    As @ref basic_lock.
*/
template <class Executor = asio::any_io_executor, class Mutex = null_mutex,
          bool Bounded = false>
class basic_semaphore
{
    using core_type = detail::permit_core<Executor, Mutex>;

public:
    /// The default executor of the semaphore's operations.
    using executor_type = Executor;

    /// Holds permits and returns them when destroyed; see @ref scoped_acquire.
    using guard = detail::permit_guard<core_type>;

    /** Constructs a semaphore with `initial` free permits (0 is valid: every
        acquire then waits for a release).
    */
    explicit basic_semaphore(const executor_type& ex, std::size_t initial = 1)
        : core_(ex, initial, Bounded ? initial : std::size_t(-1))
    {
    }

    /// Constructs a semaphore on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    explicit basic_semaphore(ExecutionContext& ctx, std::size_t initial = 1)
        : basic_semaphore(executor_type(ctx.get_executor()), initial)
    {
    }

    basic_semaphore(const basic_semaphore&) = delete;
    basic_semaphore& operator=(const basic_semaphore&) = delete;

    /// Completes every waiting acquire with `asio::error::operation_aborted`.
    ~basic_semaphore() = default;

    /// Returns the default executor.
    executor_type get_executor() const noexcept { return core().executor(); }

    /// The number of free permits.
    std::size_t value() const { return core().available(); }

    /// True if an acquire of one permit would wait: none is free, or others
    /// wait already (`Semaphore.locked`).
    bool locked() const { return core().would_wait(1); }

    /** Takes `n` permits if that can be done at once.

        @returns true if `n` were free and no acquire waited (they are then
        taken); false otherwise, changing nothing.
    */
    bool try_acquire(std::size_t n = 1) { return core().try_acquire(n); }

    /** Returns `n` permits (`Semaphore.release`), granting the waiting
        acquires they satisfy, oldest first.

        @throws boost::system::system_error with @ref error::too_many_releases
        if a bounded semaphore would rise above its initial value (or any
        would overflow `std::size_t`); nothing changes then. std::bad_alloc if
        a granted acquire's completion cannot be allocated: the permits are
        then returned and that acquire still waits first.
    */
    void release(std::size_t n = 1)
    {
        if (auto ec = core().release(n))
            throw boost::system::system_error(ec);
    }

    /** Acquires one permit, waiting while none is free or others wait.

        This function is used to acquire a permit asynchronously. It always
        returns immediately.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);`. On success the permit
        is taken on the caller's behalf, to be given back with @ref release.
        `ec` is `asio::error::operation_aborted` if cancelled or if the
        semaphore is destroyed (no permit is then taken).

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the semaphore's if none).

        @par Per-operation cancellation
        `terminal`, `partial` and `total`, while the acquire waits: it
        completes with `operation_aborted` and takes no permit; the waiters
        behind it may then be granted. An acquire granted before the
        cancellation arrived completes normally, holding its permits.
    */
    template <class CompletionToken = detail::default_token_t<Executor>>
    requires(
        !std::is_integral_v<std::decay_t<CompletionToken>> &&
        asio::completion_token_for<
            CompletionToken,
            void(boost::system::error_code)>) auto async_acquire(CompletionToken&& token =
                                                                     CompletionToken())
    {
        return async_acquire(1, std::forward<CompletionToken>(token));
    }

    /** As the overload above, for `n` permits taken together, waiting while
        fewer are free or others wait (all or nothing; beyond asyncio).

        @param n How many permits; `ec` is @ref error::request_too_large if a
        bounded semaphore can never hold `n` permits.
        @param token As the overload above.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_acquire(std::size_t n, CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_acquire{{&core()}}, token, n);
    }

    /** The coroutine form of an acquire of `n` permits, as
        `await sem.acquire()`.

        Returns at once, without suspending and without a post, if the permits
        are free and nobody waits; otherwise waits as @ref async_acquire does.
        Throws `system_error` with `operation_aborted` if cancelled, or
        @ref error::request_too_large.
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> acquire(std::size_t n = 1)
    {
        if (!try_acquire(n))
            co_await async_acquire(n, asio::use_awaitable_t<AwaitableExecutor>());
    }

    /** Acquires `n` permits and returns a @ref guard that returns them when
        destroyed: the `async with sem:` form. As @ref acquire.
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<guard, AwaitableExecutor> scoped_acquire(std::size_t n = 1)
    {
        if (!try_acquire(n))
            co_await async_acquire(n, asio::use_awaitable_t<AwaitableExecutor>());
        co_return guard(core(), n);
    }

private:
    core_type& core() noexcept { return core_.get(); }
    const core_type& core() const noexcept { return core_.get(); }

    detail::core_holder<core_type> core_;
};

/// A semaphore used from one thread at a time (`asyncio.Semaphore`).
using semaphore = basic_semaphore<>;

/// A thread-safe @ref semaphore, callable from any thread.
using concurrent_semaphore = basic_semaphore<asio::any_io_executor, std::mutex>;

} // namespace boost::muster

#endif
