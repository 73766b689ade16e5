//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_GATHER_HPP
#define BOOST_MUSTER_GATHER_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/result.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/is_executor.hpp>

#include <exception>
#include <iterator>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster
{

/// The type of @ref return_exceptions.
struct return_exceptions_t
{
    explicit return_exceptions_t() = default;
};

/** Selects the gather that never fails, like `return_exceptions=True`.

    Passed first to @ref gather, it makes gather report every child's outcome
    as a @ref result, cancel nothing when a child fails, and wait for all.
*/
inline constexpr return_exceptions_t return_exceptions{};

namespace detail
{

// Instantiated by starting a named gather (`co_await g`), which would have to
// consume children it does not own: says what to write instead.
template <class CompletionToken>
void refuse_lvalue_start()
{
    static_assert(always_false<CompletionToken>,
                  "muster::gather: a gather operation is started once and consumes "
                  "its children, so it cannot be started as an lvalue. Write "
                  "co_await std::move(g) (or std::move(g)(token)).");
}

// Starts the children (impl/gather.hpp).
template <class Executor, bool ReturnExceptions, class... Children>
struct initiate_gather;

template <class Executor, bool ReturnExceptions, class Range>
struct initiate_gather_range;

template <bool ReturnExceptions, class... Vs>
using fixed_gather_signature =
    std::conditional_t<ReturnExceptions, void(std::tuple<result<Vs>...>),
                       void(std::exception_ptr, std::tuple<Vs...>)>;

template <bool ReturnExceptions, class V>
using range_gather_signature =
    std::conditional_t<ReturnExceptions, void(std::vector<result<V>>),
                       void(std::exception_ptr, std::vector<V>)>;

} // namespace detail

/** A gather over a fixed set of children, ready to be started.

    Returned by @ref gather. It is an asynchronous operation: `co_await` it in
    an `asio::awaitable`, or call it (as an rvalue) with a completion token.
    It owns the children until it is started; starting it consumes them.
*/
template <bool ReturnExceptions, class Executor, class... Children>
class gather_operation
{
public:
    /// The completion signature.
    using signature = detail::fixed_gather_signature<ReturnExceptions,
                                                     detail::child_value_t<Children>...>;

    template <class... Cs>
    explicit gather_operation(Executor ex, Cs&&... children)
        : ex_(std::move(ex)), children_(std::forward<Cs>(children)...)
    {
    }

    /// Starts the gather; see @ref gather.
    template <asio::completion_token_for<signature> CompletionToken>
    auto operator()(CompletionToken&& token) &&
    {
        using initiation =
            detail::initiate_gather<Executor, ReturnExceptions, Children...>;
        return asio::async_initiate<CompletionToken, signature>(initiation{{ex_}}, token,
                                                                std::move(children_));
    }

    /// A gather starts once and consumes its children: start it as an rvalue.
    template <asio::completion_token_for<signature> CompletionToken>
    auto operator()(CompletionToken&&) &
    {
        detail::refuse_lvalue_start<CompletionToken>();
    }

private:
    Executor ex_;
    std::tuple<Children...> children_;
};

/** A gather over a range of children, ready to be started; see
    @ref gather_operation. It holds a reference to an lvalue range, and owns an
    rvalue one, until it is started.
*/
template <bool ReturnExceptions, class Executor, class Range>
class gather_range_operation
{
    using child_type = std::ranges::range_value_t<std::remove_reference_t<Range>>;

public:
    /// The completion signature.
    using signature = detail::range_gather_signature<ReturnExceptions,
                                                     detail::child_value_t<child_type>>;

    template <class R>
    explicit gather_range_operation(Executor ex, R&& range)
        : ex_(std::move(ex)), range_(std::forward<R>(range))
    {
    }

    /// Starts the gather; see @ref gather.
    template <asio::completion_token_for<signature> CompletionToken>
    auto operator()(CompletionToken&& token) &&
    {
        using initiation =
            detail::initiate_gather_range<Executor, ReturnExceptions, Range>;
        return asio::async_initiate<CompletionToken, signature>(
            initiation{{ex_}}, token, std::forward<Range>(range_));
    }

    /// A gather starts once and consumes its children: start it as an rvalue.
    template <asio::completion_token_for<signature> CompletionToken>
    auto operator()(CompletionToken&&) &
    {
        detail::refuse_lvalue_start<CompletionToken>();
    }

private:
    Executor ex_;
    Range range_;
};

namespace detail
{

template <class R>
concept child_range = std::ranges::forward_range<std::remove_reference_t<R>> &&
    coordinatable<std::ranges::range_value_t<std::remove_reference_t<R>>> &&
    !coordinatable<R>;

template <bool RE, class Executor, class... Children>
auto make_gather(Executor ex, Children&&... children)
{
    return gather_operation<RE, Executor, std::decay_t<Children>...>(
        std::move(ex), std::forward<Children>(children)...);
}

template <bool RE, class Executor, class Range>
auto make_gather_range(Executor ex, Range&& range)
{
    // An lvalue range is referenced, an rvalue one moved into the operation.
    return gather_range_operation<RE, Executor, Range>(std::move(ex),
                                                       std::forward<Range>(range));
}

} // namespace detail

/** Runs awaitables concurrently and collects every result in order, like
    `asyncio.gather`.

    This function returns at once an asynchronous operation object; nothing
    starts until it is `co_await`-ed or called with a completion token. Then
    every child starts: a coroutine (`asio::awaitable<T>`) is spawned with
    `asio::co_spawn`; an Asio asynchronous operation object (such as
    `timer.async_wait(asio::deferred)`, `sock.async_read_some(buf,
    asio::deferred)`, or another Muster operation) is initiated; a
    @ref task is waited for. Children may be mixed freely.

    Results are delivered in argument order, whatever the order of completion.
    A child's value is what its completion delivers: `T` for an
    `awaitable<T>` or `task<T>`, `std::monostate` for `void`; for an
    operation with signature `void(E, X)` it is `X`, for `void(E)` or
    `void()` `std::monostate`, for `void(E, X, Y...)` `std::tuple<X, Y...>`,
    where a set `E` (an `error_code` or `exception_ptr`) is a failure.

    @par Completion
    When every child has finished. With signature
    @code
    void(std::exception_ptr e, std::tuple<R...> values);
    @endcode
    `e` is null and `values` holds the results; or `e` is the first failure
    (an error_code failure becomes a `boost::system::system_error`) and
    `values` is value-initialised. On the first failure, gather requests
    terminal cancellation of every child it started that is still running,
    waits for all of them, then completes: it never leaves orphans. (This is
    what `asyncio.TaskGroup` does; `asyncio.gather` lets siblings run on.)
    Tasks passed in are owned by someone else: gather stops waiting for them
    but does not cancel them.

    In a coroutine, `co_await gather(a, b)` returns the tuple or throws the
    failure.

    @param children The awaitables, tasks or operations; moved into the
    returned object.

    @par Executor
    Coroutine children run on the handler's associated executor (in a
    coroutine: its own), and gather's bookkeeping runs there too. A handler
    with no associated executor is a compile-time error; use the overload
    taking an executor first.

    @par Handler
    Never invoked from within the function that starts the gather; invoked on
    its associated executor, whose work is tracked while the gather runs. The
    gather's state is allocated with the handler's associated allocator.

    @par Per-operation cancellation
    A cancellation emitted on the handler's slot is forwarded, with the same
    type, to every running child (to a task child: to gather's wait for it,
    which ends that wait, not the task). The gather completes once every child
    finished, with whatever they report (typically `operation_aborted` as the
    failure). Coroutines honour only terminal cancellation unless they change
    their filter.

    @par Errors
    The failure reported is a child's: what a coroutine threw, or a
    `system_error` holding an operation's `error_code` (`operation_aborted`
    after a cancellation). Starting the gather throws `std::bad_alloc` if its
    state cannot be allocated; nothing is started then.

    @par Thread safety
    Use a single-threaded executor or a strand for the gather's handler.
*/
template <class... Children>
requires(detail::coordinatable<Children>&&...) auto gather(Children&&... children)
{
    return detail::make_gather<false>(detail::no_executor{},
                                      std::forward<Children>(children)...);
}

/** As above, with coroutine children running on `ex` (an executor, or an
    execution context's executor).
*/
template <detail::executor_like Executor, class... Children>
requires(detail::coordinatable<Children>&&...) auto gather(const Executor& ex,
                                                           Children&&... children)
{
    return detail::make_gather<false>(ex, std::forward<Children>(children)...);
}

/// As above, on `ctx.get_executor()`.
template <detail::context_like Context, class... Children>
requires(detail::coordinatable<Children>&&...) auto gather(Context& ctx,
                                                           Children&&... children)
{
    return detail::make_gather<false>(ctx.get_executor(),
                                      std::forward<Children>(children)...);
}

/** As above, for a runtime-sized range of children of one type.

    The completion signature is
    `void(std::exception_ptr, std::vector<R>)`. The range's elements are moved
    from (coroutines, operations) or copied (tasks) when the gather starts;
    an lvalue range must live until then. Its cost per child does not grow
    with the number of children. An empty range completes at once (posted)
    with an empty vector.
*/
template <detail::child_range Range>
auto gather(Range&& range)
{
    return detail::make_gather_range<false>(detail::no_executor{},
                                            std::forward<Range>(range));
}

/// As above, with coroutine children running on `ex`.
template <detail::executor_like Executor, detail::child_range Range>
auto gather(const Executor& ex, Range&& range)
{
    return detail::make_gather_range<false>(ex, std::forward<Range>(range));
}

/// As above, on `ctx.get_executor()`.
template <detail::context_like Context, detail::child_range Range>
auto gather(Context& ctx, Range&& range)
{
    return detail::make_gather_range<false>(ctx.get_executor(),
                                            std::forward<Range>(range));
}

/** As above (any form), but gathering every outcome and never failing, like
    `asyncio.gather(..., return_exceptions=True)`.

    The completion signature is
    `void(std::tuple<result<R>...>)` (ranges: `void(std::vector<result<R>>)`),
    holding each child's value or failure in argument order; a failing child
    cancels nothing; the gather completes when all children finished.
    Cancelling it still forwards the cancellation to the running children.
*/
template <class... Children>
requires(detail::coordinatable<Children>&&...) auto gather(return_exceptions_t,
                                                           Children&&... children)
{
    return detail::make_gather<true>(detail::no_executor{},
                                     std::forward<Children>(children)...);
}

/// As above, with coroutine children running on `ex`.
template <detail::executor_like Executor, class... Children>
requires(detail::coordinatable<Children>&&...) auto gather(return_exceptions_t,
                                                           const Executor& ex,
                                                           Children&&... children)
{
    return detail::make_gather<true>(ex, std::forward<Children>(children)...);
}

/// As above, on `ctx.get_executor()`.
template <detail::context_like Context, class... Children>
requires(detail::coordinatable<Children>&&...) auto gather(return_exceptions_t,
                                                           Context& ctx,
                                                           Children&&... children)
{
    return detail::make_gather<true>(ctx.get_executor(),
                                     std::forward<Children>(children)...);
}

/// As above, for a range of children.
template <detail::child_range Range>
auto gather(return_exceptions_t, Range&& range)
{
    return detail::make_gather_range<true>(detail::no_executor{},
                                           std::forward<Range>(range));
}

/// As above, with coroutine children running on `ex`.
template <detail::executor_like Executor, detail::child_range Range>
auto gather(return_exceptions_t, const Executor& ex, Range&& range)
{
    return detail::make_gather_range<true>(ex, std::forward<Range>(range));
}

/// As above, on `ctx.get_executor()`.
template <detail::context_like Context, detail::child_range Range>
auto gather(return_exceptions_t, Context& ctx, Range&& range)
{
    return detail::make_gather_range<true>(ctx.get_executor(),
                                           std::forward<Range>(range));
}

} // namespace boost::muster

#include <boost/muster/impl/gather.hpp>

#endif
