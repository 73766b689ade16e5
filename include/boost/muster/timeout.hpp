//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_TIMEOUT_HPP
#define BOOST_MUSTER_TIMEOUT_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/deadline_service.hpp>
#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/wait_for_state.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace boost::muster
{

namespace detail
{
template <bool Fail, class Body>
struct scope_mode;
} // namespace detail

/** The deadline of a running timeout scope, as its body sees it (asyncio's
    `Timeout` object, Trio's `CancelScope`).

    A scope made by @ref fail_after, @ref fail_at, @ref move_on_after or
    @ref move_on_at passes a reference to its `timeout_scope` to the body. It
    stays valid until the body has completed. It is neither copyable nor
    movable.

    @par Thread safety
    Use it from the body, on the executor the body runs on.
*/
class timeout_scope
{
public:
    /// The clock of the deadline.
    using clock = std::chrono::steady_clock;

    timeout_scope(const timeout_scope&) = delete;
    timeout_scope& operator=(const timeout_scope&) = delete;

    /** Returns the deadline (asyncio: `when()`): `clock::time_point::max()`
        if the scope has none.
    */
    clock::time_point deadline() const noexcept { return deadline_; }

    /** Returns whether the deadline has passed and cancelled the body
        (asyncio: `expired()`). It becomes true the moment the scope fires,
        while the body is still running: the body's pending operation is
        cancelled then, and the body sees `expired()` in its handler of the
        cancellation. An outer scope firing does not make it true.
    */
    bool expired() const noexcept { return expired_; }

    /** Moves the deadline to `when` (asyncio: `reschedule(when)`).

        A later or an earlier time point both count; one already past expires
        as soon as the executor runs, cancelling the operation the body awaits
        then (or the next one). `clock::time_point::max()` removes
        the deadline.

        @throws boost::system::system_error with @ref error::scope_expired
        if the scope has already expired (asyncio: RuntimeError); the
        deadline is then unchanged. Otherwise what arming the deadline throws
        (`std::bad_alloc`); the scope then has no deadline.
    */
    void reschedule(clock::time_point when) { reschedule_(owner_, when); }

    /** Moves the deadline to `d` from now; as @ref reschedule otherwise.
        A duration too long for the clock means no deadline.
    */
    template <class Rep, class Period>
    void reschedule_after(std::chrono::duration<Rep, Period> d)
    {
        reschedule(
            detail::deadline_service::after(detail::deadline_service::duration_of(d)));
    }

private:
    template <bool Fail, class Body>
    friend struct detail::scope_mode;

    timeout_scope() = default;

    void (*reschedule_)(void*, clock::time_point) = nullptr;
    void* owner_ = nullptr;
    clock::time_point deadline_ = clock::time_point::max();
    bool expired_ = false;
};

namespace detail
{

// The coroutine a body makes: body(scope), or body().
template <class Body, bool WithScope = std::is_invocable_v<Body&, timeout_scope&>>
struct scope_child
{
    using type = std::invoke_result_t<Body&, timeout_scope&>;
};

template <class Body>
struct scope_child<Body, false>
{
    using type = std::invoke_result_t<Body&>;
};

template <class Body>
using scope_child_t = typename scope_child<std::decay_t<Body>>::type;

template <class Body>
concept scope_body = requires
{
    typename scope_child_t<Body>;
}
&&child_traits<scope_child_t<Body>>::is_coroutine;

// What the move_on forms complete with, from the body's own signature:
// whether the body ran to its end, or its value if it has one.
template <class Sig>
struct moved_on_signature;

template <>
struct moved_on_signature<void(std::exception_ptr)>
{
    using type = void(std::exception_ptr, bool);
};

template <class Value>
struct moved_on_signature<void(std::exception_ptr, Value)>
{
    using type = void(std::exception_ptr, std::optional<Value>);
};

template <bool Fail, class Child>
using scope_signature_t = std::conditional_t<
    Fail, typename child_traits<Child>::signature,
    typename moved_on_signature<typename child_traits<Child>::signature>::type>;

// wait_for_state's mode for a timeout scope: it owns the body (a lambda's
// captures must outlive the coroutine it makes) and the scope the body sees.
template <bool Fail, class Body>
struct scope_mode
{
    static constexpr bool is_scope = true;
    static constexpr bool fail = Fail;
    using time_point = timeout_scope::clock::time_point;

    explicit scope_mode(Body&& b) : body(std::move(b)) {}

    void connect(void* owner, void (*reschedule)(void*, time_point), time_point when)
    {
        scope.owner_ = owner;
        scope.reschedule_ = reschedule;
        scope.deadline_ = when;
    }

    auto make_child()
    {
        if constexpr (std::is_invocable_v<Body&, timeout_scope&>)
            return body(scope);
        else
            return body();
    }

    time_point deadline() const noexcept { return scope.deadline_; }
    void set_deadline(time_point when) noexcept { scope.deadline_ = when; }
    void expire() noexcept { scope.expired_ = true; }

    // The handler's arguments from the body's result, (exception, value...).
    template <class... Args>
    static auto deliver(scope_verdict verdict,
                        std::tuple<std::exception_ptr, Args...>&& r)
    {
        if constexpr (Fail)
        {
            if (verdict == scope_verdict::timed_out)
                return timeout_signature<void(std::exception_ptr, Args...)>::timed_out();
            return std::move(r);
        }
        else if constexpr (sizeof...(Args) == 0)
        {
            using result = std::tuple<std::exception_ptr, bool>;
            if (verdict == scope_verdict::moved_on)
                return result(nullptr, false);
            std::exception_ptr e = std::get<0>(std::move(r));
            bool ran = !e;
            return result(std::move(e), ran);
        }
        else
        {
            using value = std::tuple_element_t<0, std::tuple<Args...>>;
            using result = std::tuple<std::exception_ptr, std::optional<value>>;
            if (verdict == scope_verdict::moved_on)
                return result();
            std::exception_ptr e = std::get<0>(std::move(r));
            if (e)
                return result(std::move(e), std::nullopt);
            return result(nullptr, std::optional<value>(std::get<1>(std::move(r))));
        }
    }

    Body body;
    timeout_scope scope;
};

// A deadline as given: a time point, or a duration from when the operation
// starts.
struct scope_deadline
{
    timeout_scope::clock::time_point at;
    timeout_scope::clock::duration after;
    bool relative;

    timeout_scope::clock::time_point resolve() const noexcept
    {
        return relative ? deadline_service::after(after) : at;
    }
};

inline scope_deadline deadline_at(timeout_scope::clock::time_point when) noexcept
{
    return {when, {}, false};
}

template <class Rep, class Period>
scope_deadline deadline_after(std::chrono::duration<Rep, Period> d) noexcept
{
    return {{}, deadline_service::duration_of(d), true};
}

template <class Executor, bool Fail>
struct initiate_timeout_scope : initiation_base<Executor>
{
    template <class Handler, class Body>
    void operator()(Handler&& handler, Body&& body, scope_deadline when) const
    {
        if constexpr (check_executor<std::decay_t<Handler>, Executor>())
        {
            using body_type = std::decay_t<Body>;
            using state_type =
                wait_for_state<scope_child_t<body_type>, std::decay_t<Handler>, Executor,
                               scope_mode<Fail, body_type>>;
            state_type::create(std::forward<Handler>(handler), this->given(),
                               body_type(std::forward<Body>(body)))
                ->start_scope(when.resolve());
        }
    }
};

template <bool Fail, class Executor, class Body>
auto make_timeout_scope(Executor ex, scope_deadline when, Body&& body)
{
    return asio::async_initiate<const asio::deferred_t&,
                                scope_signature_t<Fail, scope_child_t<Body>>>(
        initiate_timeout_scope<Executor, Fail>{{std::move(ex)}}, asio::deferred,
        std::forward<Body>(body), when);
}

} // namespace detail

/** Runs a coroutine body under a deadline that bounds all of it, like
    `async with asyncio.timeout_at(when)` (Trio: `fail_at`).

    This function returns at once an asynchronous operation object; `co_await`
    it, or call it with a completion token. Starting it arms the deadline and
    spawns the coroutine that `body` makes: `body(scope)` with the scope's
    @ref timeout_scope (which the body may query and reschedule), or `body()`.
    When the deadline passes first, the body's pending operation is cancelled
    (`terminal`), and the body is waited for.

    @param when The deadline; `timeout_scope::clock::time_point::max()` for
    none (asyncio: `timeout(None)`). A time already past expires as soon as
    the executor runs: the body's pending operation, or the next one it
    awaits, is cancelled.
    @param body A function object returning an `asio::awaitable<T>`, invocable
    with a `timeout_scope&` or with nothing. It is moved (or copied) into the
    operation and lives until the coroutine has completed, so a lambda's
    captures stay valid for the coroutine.

    @par Completion
    With signature `void(std::exception_ptr, T)` (`void(std::exception_ptr)`
    for `T = void`): what the body returned or threw. If the expiry ended the
    body -- it expired, and the body then ended with `operation_aborted` --
    the exception is a `system_error` of @ref error::timed_out instead. A body
    that catches the cancellation and returns delivers its value, with
    `expired()` true; a body that throws anything else delivers that, as does
    a `body` that throws instead of making its coroutine. In a coroutine,
    `co_await fail_at(...)` returns the value or throws.

    @par Handler
    Never invoked from within the function that starts the operation; invoked
    on its associated executor once the body has completed (the deadline is
    removed then). The body runs on that executor. State is allocated with
    the handler's associated allocator.

    @par Per-operation cancellation
    A cancellation on the handler's slot is forwarded, with the same type, to
    the body (a coroutine reacts to `terminal` only, unless it resets its
    cancellation state). A `terminal` one is never mistaken for the scope's
    expiry: once it came, a body that ends with `operation_aborted` delivers
    `operation_aborted`, even if the scope has expired as well. This is how an outer
   scope's expiry reaches an inner one: the inner body ends with a cancellation, the inner
    scope reports it as such with `expired()` false, and the outer scope
    reports @ref error::timed_out. An inner deadline later than the outer
    one therefore never extends it.

    @par Thread safety
    Use a single-threaded executor or a strand for the handler; the body runs
    on it. With `ex`, the body and the handler must still run on the same
    thread or strand (a handler without an executor of its own completes on
    `ex`): the scope is used from both.
*/
template <detail::scope_body Body>
auto fail_at(timeout_scope::clock::time_point when, Body&& body)
{
    return detail::make_timeout_scope<true>(
        detail::no_executor{}, detail::deadline_at(when), std::forward<Body>(body));
}

/// As above, with the body and the deadline on `ex`.
template <detail::executor_like Executor, detail::scope_body Body>
auto fail_at(const Executor& ex, timeout_scope::clock::time_point when, Body&& body)
{
    return detail::make_timeout_scope<true>(ex, detail::deadline_at(when),
                                            std::forward<Body>(body));
}

/** As @ref fail_at, with the deadline `timeout` from now, like
    `async with asyncio.timeout(delay)` (Trio: `fail_after`). A timeout of
    zero or less expires at once (see `when` above); one too long for the
    clock means no deadline.
*/
template <detail::scope_body Body, class Rep, class Period>
auto fail_after(std::chrono::duration<Rep, Period> timeout, Body&& body)
{
    return detail::make_timeout_scope<true>(
        detail::no_executor{}, detail::deadline_after(timeout), std::forward<Body>(body));
}

/// As above, with the body and the deadline on `ex`.
template <detail::executor_like Executor, detail::scope_body Body, class Rep,
          class Period>
auto fail_after(const Executor& ex, std::chrono::duration<Rep, Period> timeout,
                Body&& body)
{
    return detail::make_timeout_scope<true>(ex, detail::deadline_after(timeout),
                                            std::forward<Body>(body));
}

/** Runs a coroutine body under a deadline, and moves on quietly when it
    passes (Trio: `move_on_at`).

    This function returns at once an asynchronous operation object; `co_await`
    it, or call it with a completion token. It runs `body` as @ref fail_at
    does, with the same deadline, cancellation and handler rules; only the
    completion differs.

    @param when The deadline; `timeout_scope::clock::time_point::max()` for
    none.
    @param body A function object returning an `asio::awaitable<T>`, invocable
    with a `timeout_scope&` or with nothing.

    @par Completion
    With signature `void(std::exception_ptr, std::optional<T>)`
    (`void(std::exception_ptr, bool)` for `T = void`). If the expiry ended the
    body (it expired, and the body then ended with `operation_aborted`), a
    null exception and an empty optional (`false`): the scope moved on.
    Otherwise what the body threw, or its value in the optional (`true`). In a
    coroutine, `co_await move_on_at(...)` returns the optional (the `bool`),
    or throws what the body threw.

    @par Handler
    Never invoked from within the function that starts the operation; invoked
    on its associated executor once the body has completed.

    @par Per-operation cancellation
    As for fail_at(): forwarded to the body; a `terminal` one is never
    mistaken for the expiry, so a cancellation from outside still ends the
    scope with `operation_aborted`.

    @par Thread safety
    Use a single-threaded executor or a strand for the handler; the body runs
    on it.
*/
template <detail::scope_body Body>
auto move_on_at(timeout_scope::clock::time_point when, Body&& body)
{
    return detail::make_timeout_scope<false>(
        detail::no_executor{}, detail::deadline_at(when), std::forward<Body>(body));
}

/// As above, with the body and the deadline on `ex`.
template <detail::executor_like Executor, detail::scope_body Body>
auto move_on_at(const Executor& ex, timeout_scope::clock::time_point when, Body&& body)
{
    return detail::make_timeout_scope<false>(ex, detail::deadline_at(when),
                                             std::forward<Body>(body));
}

/** As @ref move_on_at, with the deadline `timeout` from now (Trio:
    `move_on_after`). A timeout of zero or less expires at once; one too
    long for the clock means no deadline.
*/
template <detail::scope_body Body, class Rep, class Period>
auto move_on_after(std::chrono::duration<Rep, Period> timeout, Body&& body)
{
    return detail::make_timeout_scope<false>(
        detail::no_executor{}, detail::deadline_after(timeout), std::forward<Body>(body));
}

/// As above, with the body and the deadline on `ex`.
template <detail::executor_like Executor, detail::scope_body Body, class Rep,
          class Period>
auto move_on_after(const Executor& ex, std::chrono::duration<Rep, Period> timeout,
                   Body&& body)
{
    return detail::make_timeout_scope<false>(ex, detail::deadline_after(timeout),
                                             std::forward<Body>(body));
}

} // namespace boost::muster

#endif
