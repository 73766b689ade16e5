//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_ASIO_COMPAT_HPP
#define BOOST_MUSTER_DETAIL_ASIO_COMPAT_HPP

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/version.hpp>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace boost::muster::detail
{

// Boost 1.81 has no default completion token: an executor may name one, and
// where it does not, Muster's operations default to asio::deferred, which an
// asio::awaitable can co_await directly.
template <class Executor>
using default_token_t = std::conditional_t<
    std::is_void_v<typename asio::default_completion_token<Executor>::type>,
    asio::deferred_t, typename asio::default_completion_token<Executor>::type>;

} // namespace boost::muster::detail

// `co_await t` for a task handle `t`, an lvalue. Asio's await_transform for
// asynchronous operations keeps a reference to the operation object, of the
// decayed type and bound from `std::forward<Op>(op)`, which does not compile
// for an lvalue (in every Asio from 1.26 to 1.34). A task handle is a cheap
// copy, so for task<T, E> the awaiter holds a copy, in an object it owns
// ahead of Asio's own awaiter, and lets Asio await that copy.
namespace boost::muster
{
template <class T, class Executor>
class task;

namespace detail
{
// A task waited for once: the asynchronous operation Asio awaits.
template <class T, class Executor>
struct task_wait
{
    task<T, Executor> t;

    template <class CompletionToken>
    auto operator()(CompletionToken&& token) &&
    {
        return t.async_wait(std::forward<CompletionToken>(token));
    }
};

template <class T, class Executor>
struct task_wait_holder
{
    task_wait<T, Executor> wait;
};
} // namespace detail
} // namespace boost::muster

namespace boost::asio::detail
{

template <typename Signature, typename T, typename TaskExecutor, typename Executor>
class awaitable_async_op<Signature, muster::task<T, TaskExecutor>, Executor>
    : private muster::detail::task_wait_holder<T, TaskExecutor>,
      public awaitable_async_op<Signature, muster::detail::task_wait<T, TaskExecutor>,
                                Executor>
{
    using holder = muster::detail::task_wait_holder<T, TaskExecutor>;
    using base = awaitable_async_op<Signature, muster::detail::task_wait<T, TaskExecutor>,
                                    Executor>;

public:
    // Extra: the source location Asio passes with handler tracking enabled.
    template <typename... Extra>
    awaitable_async_op(const muster::task<T, TaskExecutor>& t,
                       awaitable_frame_base<Executor>* frame, Extra&&... extra)
        : holder{{t}},
          base(std::move(this->holder::wait), frame, std::forward<Extra>(extra)...)
    {
    }
};

} // namespace boost::asio::detail

#if BOOST_ASIO_VERSION < 102700
// Asio 1.26 (Boost 1.81): the awaitable handler for completion signatures
// void(std::exception_ptr, T) tests `*result` on a struct in resume() and does
// not compile, so `co_await op` fails for every operation with that signature
// (task::async_wait, gather, co_spawn(..., deferred)). Fixed upstream in Asio
// 1.27 ("Fix awaitable exception pointer check typos"). This more specialised
// partial specialisation for the default executor does the same with the check
// on the right member. Tested by test/unit/task.cpp (co_await async_wait()).
namespace boost::asio::detail
{

template <typename R, typename T>
class awaitable_async_op_handler<R(std::exception_ptr, T), any_io_executor>
    : public awaitable_thread<any_io_executor>
{
public:
    // Unlike Asio's handlers, which point at their own by-value parameters,
    // the results are moved into this object, which lives in the awaiting
    // coroutine's frame. g++ interleaves the operands of an expression such
    // as `co_await a.async_wait() + co_await b.async_wait()` and calls the
    // first await_resume after the second operation completed, when those
    // parameters are gone (ASan: stack-use-after-return).
    struct result_type
    {
        std::exception_ptr ex_;
        std::optional<T> value_;
    };

    awaitable_async_op_handler(awaitable_thread<any_io_executor>* h, result_type& result)
        : awaitable_thread<any_io_executor>(std::move(*h)), result_(result)
    {
    }

    void operator()(std::exception_ptr ex, T value)
    {
        result_.ex_ = std::move(ex);
        result_.value_.emplace(std::move(value));
        this->entry_point()->top_of_stack_->attach_thread(this);
        this->entry_point()->top_of_stack_->clear_cancellation_slot();
        this->pump();
    }

    static T resume(result_type& result)
    {
        if (result.ex_)
            std::rethrow_exception(std::exchange(result.ex_, nullptr));
        return std::move(*result.value_);
    }

private:
    result_type& result_;
};

} // namespace boost::asio::detail
#endif

#endif
