//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_CHILD_HPP
#define BOOST_MUSTER_DETAIL_CHILD_HPP

#include <boost/muster/detail/task_state.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <exception>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

// How a coordinated child maps to a value and a failure, and how it is started
// with a given completion handler: shared by gather and the wait family.

namespace boost::muster
{

template <class T, class Executor>
class task;

namespace detail
{

template <class T>
inline constexpr bool is_error_arg_v =
    std::is_same_v<std::decay_t<T>, boost::system::error_code> ||
    std::is_same_v<std::decay_t<T>, std::exception_ptr>;

template <class... Ts>
struct values_of
{
    using type = std::tuple<std::decay_t<Ts>...>;
};

template <>
struct values_of<>
{
    using type = std::monostate;
};

template <class T>
struct values_of<T>
{
    using type = std::decay_t<T>;
};

// The value a completion signature delivers, leaving out a leading error.
template <class Sig>
struct signature_value;

template <class R>
struct signature_value<R()>
{
    using type = std::monostate;
};

template <class R, class A0, class... As>
struct signature_value<R(A0, As...)>
{
    using type = std::conditional_t<is_error_arg_v<A0>, typename values_of<As...>::type,
                                    typename values_of<A0, As...>::type>;
};

template <class V, class... Args>
V make_value_from(Args&&... args)
{
    if constexpr (sizeof...(Args) == 0)
        return V{};
    else
        return V(std::forward<Args>(args)...);
}

inline std::exception_ptr to_exception(const boost::system::error_code& ec)
{
    return std::make_exception_ptr(boost::system::system_error(ec));
}

inline std::exception_ptr to_exception(std::exception_ptr e) noexcept
{
    return e;
}

// Calls on_value(V&&) or on_failure(std::exception_ptr) for the arguments a
// completion handler received.
template <class V, class OnValue, class OnFailure, class A0, class... As>
void split_outcome(OnValue&& on_value, OnFailure&& on_failure, A0&& a0, As&&... as)
{
    if constexpr (is_error_arg_v<A0>)
    {
        if (a0)
            on_failure(to_exception(std::forward<A0>(a0)));
        else
            on_value(make_value_from<V>(std::forward<As>(as)...));
    }
    else
        on_value(make_value_from<V>(std::forward<A0>(a0), std::forward<As>(as)...));
}

template <class V, class OnValue, class OnFailure>
void split_outcome(OnValue&& on_value, OnFailure&&)
{
    on_value(V{});
}

// What is known about a child type. Three kinds: a coroutine (gather starts
// it with co_spawn and owns it), a task handle (gather only waits for it), an
// Asio asynchronous operation object (gather starts it).
template <class Child>
struct child_traits
{
};

template <class Child>
requires asio::is_async_operation<Child>::value struct child_traits<Child>
{
    using signature = typename asio::completion_signature_of<Child>::type;
    using value_type = typename signature_value<signature>::type;
    static constexpr bool is_task = false;
    static constexpr bool is_coroutine = false;

    template <class Executor, class Handler>
    static void launch(Child&& op, const Executor&, Handler&& h)
    {
        std::move(op)(std::forward<Handler>(h));
    }
};

template <class T, class AwaitableExecutor>
struct child_traits<asio::awaitable<T, AwaitableExecutor>>
{
    using signature = typename task_signature<T>::type;
    using value_type = task_value_t<T>;
    static constexpr bool is_task = false;
    static constexpr bool is_coroutine = true;

    template <class Executor, class Handler>
    static void launch(asio::awaitable<T, AwaitableExecutor>&& aw, const Executor& ex,
                       Handler&& h)
    {
        asio::co_spawn(AwaitableExecutor(ex), std::move(aw), std::forward<Handler>(h));
    }
};

template <class T, class TaskExecutor>
struct child_traits<task<T, TaskExecutor>>
{
    using signature = typename task_signature<T>::type;
    using value_type = task_value_t<T>;
    static constexpr bool is_task = true;
    static constexpr bool is_coroutine = false;

    template <class Executor, class Handler>
    static void launch(const task<T, TaskExecutor>& t, const Executor&, Handler&& h)
    {
        t.async_wait(std::forward<Handler>(h));
    }
};

template <class Child>
using child_value_t = typename child_traits<std::decay_t<Child>>::value_type;

// Something gather and wait can coordinate.
template <class Child>
concept coordinatable = requires
{
    typename child_traits<std::decay_t<Child>>::value_type;
};

} // namespace detail
} // namespace boost::muster

#endif
