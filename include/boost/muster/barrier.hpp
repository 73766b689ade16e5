//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_BARRIER_HPP
#define BOOST_MUSTER_BARRIER_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/barrier_core.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/shared_core.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/null_mutex.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <mutex>
#include <stdexcept>

namespace boost::muster
{

/** An asynchronous barrier, like Python 3.11's `asyncio.Barrier`.

    Parties wait until `parties()` of them have arrived; then all of them
    complete, and the barrier fills again from empty. Each completes with its
    index: the number of parties that were waiting when it arrived (so the
    last one has index `parties() - 1`). A cancelled party leaves, lowering
    the count without breaking the barrier, so indices may repeat.

    @ref reset fails the waiting parties with @ref error::broken_barrier and
    leaves the barrier usable; @ref abort fails them and every later wait.

    Use @ref barrier, or @ref concurrent_barrier to share one between threads.

    @par Thread safety
    As @ref basic_lock.
*/
template <class Executor = asio::any_io_executor, class Mutex = null_mutex>
class basic_barrier
{
    using core_type = detail::barrier_core<Executor, Mutex>;

public:
    /// The default executor of the barrier's operations.
    using executor_type = Executor;

    /** Constructs a barrier for `parties` parties.

        @throws std::invalid_argument if `parties` is 0 (asyncio: ValueError).
    */
    basic_barrier(const executor_type& ex, std::size_t parties)
        : core_(ex, checked(parties))
    {
    }

    /// Constructs a barrier on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    basic_barrier(ExecutionContext& ctx, std::size_t parties)
        : basic_barrier(executor_type(ctx.get_executor()), parties)
    {
    }

    basic_barrier(const basic_barrier&) = delete;
    basic_barrier& operator=(const basic_barrier&) = delete;

    /// Completes every waiting party with `asio::error::operation_aborted`.
    ~basic_barrier() = default;

    /// Returns the default executor.
    executor_type get_executor() const noexcept { return core().executor(); }

    /// The number of parties needed to pass the barrier.
    std::size_t parties() const noexcept { return core().parties(); }

    /// The number of parties waiting now.
    std::size_t n_waiting() const { return core().waiting(); }

    /// True once @ref abort was called.
    bool broken() const { return core().broken(); }

    /** Waits until `parties()` parties have arrived (`Barrier.wait`).

        This function is used to wait asynchronously. It always returns
        immediately.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec, std::size_t index);`.
        `index` is the number of parties that were waiting when this one
        arrived. `ec` is @ref error::broken_barrier if the barrier was reset
        or aborted while it waited, or was aborted before it arrived;
        `asio::error::operation_aborted` if cancelled or if the barrier is
        destroyed.

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the barrier's if none),
        also for the last party.

        @par Per-operation cancellation
        `terminal`, `partial` and `total`, while the party waits: it leaves
        (the count drops by one, the barrier is not broken) and completes with
        `operation_aborted`.
    */
    template <asio::completion_token_for<void(boost::system::error_code, std::size_t)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_wait(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken,
                                    void(boost::system::error_code, std::size_t)>(
            typename core_type::initiate_wait{&core()}, token);
    }

    /** The coroutine form, as `await barrier.wait()`: returns this party's
        index. The last party returns at once, without suspending and without
        a post. Throws `system_error` with @ref error::broken_barrier or
        `operation_aborted`.
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<std::size_t, AwaitableExecutor> wait()
    {
        if (auto index = core().try_arrive_last())
            co_return *index;
        co_return co_await async_wait(asio::use_awaitable_t<AwaitableExecutor>());
    }

    /// Fails every waiting party with @ref error::broken_barrier; the barrier
    /// then fills again from empty (`Barrier.reset`).
    void reset() noexcept { core().break_waiters(false); }

    /// Breaks the barrier for good: every waiting party and every later wait
    /// fails with @ref error::broken_barrier (`Barrier.abort`).
    void abort() noexcept { core().break_waiters(true); }

private:
    static std::size_t checked(std::size_t parties)
    {
        if (parties == 0)
            throw std::invalid_argument("muster::barrier: parties must be at least 1");
        return parties;
    }

    core_type& core() noexcept { return core_.get(); }
    const core_type& core() const noexcept { return core_.get(); }

    detail::core_holder<core_type> core_;
};

/// A barrier used from one thread at a time (`asyncio.Barrier`).
using barrier = basic_barrier<>;

/// A thread-safe @ref barrier, callable from any thread.
using concurrent_barrier = basic_barrier<asio::any_io_executor, std::mutex>;

} // namespace boost::muster

#endif
