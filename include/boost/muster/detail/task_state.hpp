//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_TASK_STATE_HPP
#define BOOST_MUSTER_DETAIL_TASK_STATE_HPP

#include <boost/muster/debug.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/waiter.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <exception>
#include <memory>
#include <type_traits>
#include <variant>

namespace boost::muster
{

template <class T, class Executor>
class task;

namespace detail
{

template <class T>
using task_value_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
struct task_signature
{
    using type = void(std::exception_ptr, T);
};

template <>
struct task_signature<void>
{
    using type = void(std::exception_ptr);
};

// True if `e` holds the system_error(operation_aborted) with which an Asio
// coroutine reports that an awaited operation was cancelled.
inline bool is_cancellation(const std::exception_ptr& e) noexcept
{
    if (!e)
        return false;
    try
    {
        std::rethrow_exception(e);
    }
    catch (const boost::system::system_error& ex)
    {
        return ex.code() == asio::error::operation_aborted;
    }
    catch (...)
    {
        return false;
    }
}

inline std::exception_ptr make_aborted() noexcept
{
    return std::make_exception_ptr(
        boost::system::system_error(asio::error::operation_aborted));
}

// Shared by every handle of one task and by the co_spawn completion handler,
// which keeps it alive while the coroutine runs.
template <class T, class Executor>
struct task_state
{
    using value_type = task_value_t<T>;
    using signature = typename task_signature<T>::type;
    using waiter_type = waiter<task_state>;

    explicit task_state(Executor ex) : executor(std::move(ex)) {}

    task_state(const task_state&) = delete;
    task_state& operator=(const task_state&) = delete;

    // The last reference goes: a failure that nobody saw is reported.
    ~task_state()
    {
        if constexpr (debug_reports)
            if (done && error && !cancelled && !observed)
                report_unobserved_failure(error);
    }

    Executor executor;
    asio::cancellation_signal signal;
    std::exception_ptr error;
    value_type value{};
    bool done = false;
    bool cancelled = false;
    // The coroutine was destroyed without finishing (its execution context
    // was shut down): it will never complete.
    bool abandoned = false;
    // The outcome reached someone: a waiter, result() or exception(), or the
    // group the task belongs to (debug reports only).
    mutable bool observed = false;
    waiter_list<task_state> waiters;

    void finish(std::exception_ptr e, value_type v)
    {
        cancelled = is_cancellation(e);
        error = std::move(e);
        value = std::move(v);
        done = true;
        waiters.complete_all(*this);
    }

    void abandon() noexcept
    {
        abandoned = true;
        waiters.destroy_all();
    }

    // Completes one waiter's handler: with the result, or aborted.
    template <class Handler, class WorkExecutor>
    void deliver(Handler h, const WorkExecutor& ex, bool aborted) const
    {
        if constexpr (debug_reports)
            observed = observed || !aborted;
        std::exception_ptr e = aborted ? make_aborted() : error;
        // One copy of the result per waiter.
        if constexpr (std::is_void_v<T>)
            post_completion(std::move(h), ex, std::move(e));
        else
            post_completion(std::move(h), ex, std::move(e),
                            aborted ? value_type{} : value_type(value));
    }
};

template <class T, class Executor>
class initiate_task_wait
{
public:
    using executor_type = Executor;

    explicit initiate_task_wait(std::shared_ptr<task_state<T, Executor>> state) noexcept
        : state_(std::move(state))
    {
    }

    executor_type get_executor() const noexcept { return state_->executor; }

    template <class Handler>
    void operator()(Handler&& handler) const
    {
        if (state_->done)
        {
            state_->deliver(std::forward<Handler>(handler), state_->executor, false);
            return;
        }
        state_->waiters.start(*state_, std::forward<Handler>(handler), state_->executor);
    }

private:
    std::shared_ptr<task_state<T, Executor>> state_;
};

// The co_spawn completion handler. Destroyed without being called means the
// coroutine was destroyed with its execution context: the task's waiters are
// destroyed too (as Asio destroys pending handlers at shutdown), which breaks
// the cycle task state -> waiter -> waiting coroutine -> task handle.
template <class T, class Executor>
class task_completion
{
public:
    explicit task_completion(std::shared_ptr<task_state<T, Executor>> state) noexcept
        : state_(std::move(state))
    {
    }

    task_completion(task_completion&&) noexcept = default;
    task_completion& operator=(task_completion&&) = delete;

    ~task_completion()
    {
        if (auto state = std::move(state_))
            state->abandon();
    }

    void operator()(std::exception_ptr e) requires std::is_void_v<T>
    {
        auto state = std::move(state_);
        state->finish(std::move(e), {});
    }

    template <class U>
    void operator()(std::exception_ptr e, U&& value) requires(!std::is_void_v<T>)
    {
        auto state = std::move(state_);
        state->finish(std::move(e), std::forward<U>(value));
    }

private:
    std::shared_ptr<task_state<T, Executor>> state_;
};

template <class T, class Executor>
task<T, Executor> make_task(std::shared_ptr<task_state<T, Executor>> state);

template <class Aw>
struct awaitable_traits
{
    static constexpr bool is_awaitable = false;
};

template <class T, class Executor>
struct awaitable_traits<asio::awaitable<T, Executor>>
{
    static constexpr bool is_awaitable = true;
    using value_type = T;
};

template <class Aw>
using awaitable_value_t = typename awaitable_traits<Aw>::value_type;

// A function object that makes a coroutine when called with no arguments.
template <class F>
concept awaitable_factory = std::is_invocable_v < std::decay_t<F>
& > &&awaitable_traits<std::invoke_result_t<std::decay_t<F>&>>::is_awaitable;

// Starts `aw` (an awaitable, or a function object making one) with co_spawn.
template <class T, class Executor, class Ex, class Aw>
void spawn_task(const std::shared_ptr<task_state<T, Executor>>& state, const Ex& ex,
                Aw&& aw);

} // namespace detail
} // namespace boost::muster

#endif
