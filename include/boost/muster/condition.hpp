//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_CONDITION_HPP
#define BOOST_MUSTER_CONDITION_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>
#include <boost/muster/detail/permit_core.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/lock.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace boost::muster
{

/** An asynchronous condition variable bound to a @ref basic_lock, like
    `asyncio.Condition`.

    A coroutine holding the lock waits for a condition; the wait releases
    the lock while it waits and holds it again when it completes, whatever
    the way it completes (notified, cancelled, or the condition destroyed).
    Another holder of the lock changes the state and notifies.

    Use @ref condition, or @ref concurrent_condition with a
    @ref concurrent_lock.

    @par Thread safety
    As the lock it is bound to; the condition shares the lock's state.
*/
template <class Executor = asio::any_io_executor, class Mutex = null_mutex>
class basic_condition
{
    using lock_type = basic_lock<Executor, Mutex>;
    using core_type = typename lock_type::core_type;
    using list_type = typename core_type::list_type;

public:
    /// The default executor of the condition's operations.
    using executor_type = Executor;

    /// Binds the condition to `lock`, which must outlive it. Several
    /// conditions may share one lock.
    explicit basic_condition(lock_type& lock) : lock_(&lock) { register_waits(); }

    /// Binds the condition to a lock of its own (`asyncio.Condition()`),
    /// reached with @ref get_lock.
    explicit basic_condition(const executor_type& ex)
        : own_(std::in_place, ex), lock_(&*own_)
    {
        register_waits();
    }

    /// As above, on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    explicit basic_condition(ExecutionContext& ctx)
        : basic_condition(executor_type(ctx.get_executor()))
    {
    }

    basic_condition(const basic_condition&) = delete;
    basic_condition& operator=(const basic_condition&) = delete;

    /// Every waiting wait re-acquires the lock, then completes with
    /// `asio::error::operation_aborted`, as if cancelled.
    ~basic_condition()
    {
        detail::pending_service::remove(&registration_);
        core().close_condition(waits_);
    }

    /// Returns the default executor (the lock's).
    executor_type get_executor() const noexcept { return lock_->get_executor(); }

    /// The lock the condition is bound to.
    lock_type& get_lock() noexcept { return *lock_; }

    /// True while the lock is held.
    bool locked() const { return lock_->locked(); }

    /** Waits until notified (`Condition.wait`). The caller must hold the
        lock.

        This function is used to wait asynchronously. It always returns
        immediately. The lock is released once the wait is registered, and
        the wait completes only when it holds the lock again: a notified
        wait queues for the lock at the moment of the notify, behind the
        acquires already waiting.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);`. The lock is then held
        on the caller's behalf, whatever `ec` is, except for
        @ref error::not_locked (the lock was not held when the wait started;
        nothing changed) and for the lock's destruction (`operation_aborted`,
        lock gone). `ec` is `asio::error::operation_aborted` if cancelled or
        if the condition is destroyed.

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the lock's if none).

        @par Per-operation cancellation
        `terminal`, `partial` and `total`. A wait cancelled while it waits for
        a notification stops waiting and queues for the lock, last; it takes
        the lock at once if the lock is free. A wait cancelled while it
        queues for the lock goes to the back of that queue again. Either way
        it completes with `operation_aborted` holding the lock, and then, as
        asyncio does, passes a notification on to the oldest remaining wait,
        so that a notification it may have received is not lost.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_wait(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_condition_wait{{&core()}, &waits_}, token);
    }

    /** Waits until `pred()` is true (`Condition.wait_for`). The caller must
        hold the lock.

        This function always returns immediately. The operation tests `pred()`
        first and then after every notification, holding the lock each time;
        it completes with success once it is true (at once, posted, if it is
        true to begin with).

        @param pred A callable returning something convertible to `bool`,
        moved into the operation.
        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);`; `ec` as for
        @ref async_wait (@ref error::not_locked, `operation_aborted`).

        The handler is never invoked from within this function.

        @par Per-operation cancellation
        As @ref async_wait.
    */
    template <class Predicate, asio::completion_token_for<void(boost::system::error_code)>
                                   CompletionToken = detail::default_token_t<Executor>>
    auto async_wait_for(Predicate pred, CompletionToken&& token = CompletionToken())
    {
        return asio::async_compose<CompletionToken, void(boost::system::error_code)>(
            wait_for_op<Predicate>{this, std::move(pred)}, token, get_executor());
    }

    /** The coroutine form of @ref async_wait, as `await cond.wait()`.

        Throws `system_error` with @ref error::not_locked at once, changing
        nothing, if the lock is not held; with `operation_aborted` if
        cancelled (the lock is then held again).
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> wait()
    {
        if (!locked())
            throw boost::system::system_error(error::not_locked);
        co_await async_wait(asio::use_awaitable_t<AwaitableExecutor>());
    }

    /// The coroutine form of @ref async_wait_for, as
    /// `await cond.wait_for(pred)`; returns at once if `pred()` is true.
    template <class Predicate, class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> wait_for(Predicate pred)
    {
        while (!pred())
            co_await wait<AwaitableExecutor>();
    }

    /** Wakes up to `n` waits, oldest first (`Condition.notify`). The caller
        must hold the lock; the woken waits queue for it.

        @throws boost::system::system_error with @ref error::not_locked if the
        lock is not held (also for `n == 0`), changing nothing.
    */
    void notify(std::size_t n = 1)
    {
        if (auto ec = core().notify(waits_, n))
            throw boost::system::system_error(ec);
    }

    /// Wakes every wait (`Condition.notify_all`); as @ref notify.
    void notify_all() { notify(std::size_t(-1)); }

private:
    template <class Predicate>
    struct wait_for_op
    {
        basic_condition* self;
        Predicate pred;
        bool started = false;

        template <class Self>
        void operator()(Self& op, boost::system::error_code ec = {})
        {
            if (!started)
                // Every type async_wait honours, not only terminal.
                op.reset_cancellation_state(asio::enable_total_cancellation());
            if (ec)
                return op.complete(ec);
            if (pred())
            {
                if (started)
                    return op.complete(ec);
                // Never complete from inside the initiating function.
                started = true;
                return asio::post(std::move(op));
            }
            started = true;
            self->async_wait(std::move(op));
        }
    };

    core_type& core() noexcept { return lock_->core(); }

    void register_waits()
    {
        registration_.self = this;
        registration_.take_waiters = &basic_condition::take_waiters;
        detail::pending_service::add(&registration_, lock_->get_executor());
    }

    struct registration : detail::pending_service::entry
    {
        basic_condition* self = nullptr;
    };

    static void take_waiters(detail::pending_service::entry* e,
                             std::vector<detail::pending_service::orphan>& out)
    {
        basic_condition& c = *static_cast<registration*>(e)->self;
        c.core().take_condition(c.waits_, out);
    }

    std::optional<lock_type> own_;
    lock_type* lock_;
    list_type waits_;
    registration registration_;
};

/// A condition used from one thread at a time (`asyncio.Condition`).
using condition = basic_condition<>;

/// A thread-safe @ref condition, bound to a @ref concurrent_lock.
using concurrent_condition = basic_condition<asio::any_io_executor, std::mutex>;

} // namespace boost::muster

#endif
