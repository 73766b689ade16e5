//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_BOUNDED_GATHER_HPP
#define BOOST_MUSTER_BOUNDED_GATHER_HPP

#include <boost/muster/detail/operation.hpp>
#include <boost/muster/gather.hpp>
#include <boost/muster/result.hpp>
#include <boost/muster/task_group.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace boost::muster
{

namespace detail
{

// The ranges a bounded gather takes: begin/end found as by a range-for
// loop, elements that are awaitables. (Written without <ranges>, which
// clang 14 cannot compile from libstdc++ 12.)
template <class Range>
using bounded_iterator_t = decltype(std::begin(std::declval<Range&>()));

template <class Range>
using bounded_awaitable_t =
    std::remove_cvref_t<decltype(*std::declval<bounded_iterator_t<Range>&>())>;

template <class Range>
using bounded_value_t = task_value_t<awaitable_value_t<bounded_awaitable_t<Range>>>;

template <class Range>
concept awaitable_range = requires(Range& r)
{
    std::begin(r) != std::end(r);
    ++std::declval<bounded_iterator_t<Range>&>();
}
&&awaitable_traits<bounded_awaitable_t<Range>>::is_awaitable;

template <bool ReturnExceptions, class Range>
using bounded_element_t =
    std::conditional_t<ReturnExceptions, result<bounded_value_t<Range>>,
                       bounded_value_t<Range>>;

// How the operation holds the range: an lvalue by reference, an rvalue moved
// in.
template <class Range>
class held_range
{
public:
    explicit held_range(Range&& r) : r_(std::forward<Range>(r)) {}
    auto& get() noexcept
    {
        if constexpr (std::is_lvalue_reference_v<Range>)
            return r_.get();
        else
            return r_;
    }

private:
    std::conditional_t<std::is_lvalue_reference_v<Range>,
                       std::reference_wrapper<std::remove_reference_t<Range>>,
                       std::remove_cvref_t<Range>>
        r_;
};

template <bool ReturnExceptions, class Range>
using bounded_signature_t = void(std::exception_ptr,
                                 std::vector<bounded_element_t<ReturnExceptions, Range>>);

// The body of a bounded gather: `limit` runners in a task group pull the
// next awaitable from the range, so at most `limit` run and the range is
// read lazily, one element per start.
template <bool ReturnExceptions, class Range>
asio::awaitable<std::vector<bounded_element_t<ReturnExceptions, Range>>>
run_bounded(std::size_t limit, held_range<Range> held)
{
    using element_type = bounded_element_t<ReturnExceptions, Range>;
    // Every way out below waits for the runners: a cancellation must not
    // make a co_await throw before the join.
    co_await asio::this_coro::throw_if_cancelled(false);
    auto ex = co_await asio::this_coro::executor;
    {
        auto state = co_await asio::this_coro::cancellation_state;
        if (state.cancelled() != asio::cancellation_type::none)
            throw boost::system::system_error(asio::error::operation_aborted);
    }

    auto& range = held.get();
    auto it = std::begin(range);
    auto end = std::end(range);
    // The results, in input order: one element per awaitable started, set
    // when it completes. A sized range is reserved for at once.
    std::vector<element_type> results;
    if constexpr (requires { std::size(range); })
        results.reserve(static_cast<std::size_t>(std::size(range)));
    std::exception_ptr first_failure;
    task_group group(ex);

    // Stops the gather: the other runners are cancelled, nothing new starts.
    auto fail = [&](std::exception_ptr e)
    {
        if (!first_failure)
            first_failure = std::move(e);
        group.cancel();
    };
    // A runner takes the next awaitable while the group accepts children:
    // after a failure, a cancelled join or a failing range it stops.
    auto runner = [&]() -> asio::awaitable<void>
    {
        while (group.accepts_children())
        {
            std::size_t i = 0;
            std::optional<bounded_awaitable_t<Range>> aw;
            try
            {
                if (it == end)
                    co_return;
                aw.emplace(std::move(*it)); // an element of a container is moved from
                ++it;
                i = results.size();
                results.emplace_back();
            }
            catch (...)
            {
                fail(std::current_exception()); // the range itself failed
                co_return;
            }
            try
            {
                if constexpr (std::is_void_v<
                                  awaitable_value_t<bounded_awaitable_t<Range>>>)
                    co_await std::move(*aw);
                else
                {
                    auto value = co_await std::move(*aw);
                    results[i] = element_type(std::move(value));
                }
            }
            catch (...)
            {
                if constexpr (ReturnExceptions)
                    results[i] = element_type(std::current_exception());
                else
                {
                    fail(std::current_exception());
                    co_return;
                }
            }
        }
    };
    try
    {
        // A runner may finish, or fail, inside spawn: the loop checks again.
        for (std::size_t k = 0; k != limit && group.accepts_children(); ++k)
            group.spawn(runner);
    }
    catch (...)
    {
        fail(std::current_exception()); // a runner could not be started
    }
    std::exception_ptr joined;
    try
    {
        co_await group.join();
    }
    catch (...)
    {
        joined = std::current_exception(); // cancelled, typically
    }
    if (first_failure)
        std::rethrow_exception(first_failure);
    if (joined)
        std::rethrow_exception(joined);
    co_return results;
}

template <bool ReturnExceptions, class Given>
struct initiate_bounded_gather : initiation_base<Given>
{
    template <class Handler, class Range>
    void operator()(Handler&& handler, std::size_t limit, held_range<Range> held) const
    {
        if constexpr (check_executor<std::decay_t<Handler>, Given>())
            asio::co_spawn(run_executor(handler, this->given()),
                           run_bounded<ReturnExceptions, Range>(limit, std::move(held)),
                           std::forward<Handler>(handler));
    }
};

template <bool ReturnExceptions, class Given, class Range, class CompletionToken>
auto start_bounded(Given given, std::size_t limit, Range&& range, CompletionToken&& token)
{
    if (limit == 0)
        throw std::invalid_argument(
            "muster::bounded_gather: the limit must be at least 1");
    return asio::async_initiate<CompletionToken,
                                bounded_signature_t<ReturnExceptions, Range>>(
        initiate_bounded_gather<ReturnExceptions, Given>{{std::move(given)}}, token,
        limit, held_range<Range>(std::forward<Range>(range)));
}

} // namespace detail

/** Runs a range of awaitables with at most `limit` of them at once, and
    collects every result in input order (Go's `errgroup.SetLimit`, folly's
    `collectAllWindowed`).

    This function always returns immediately: without a token it returns an
    asynchronous operation, as Asio's functions do with `asio::deferred`.
    When started, it takes the awaitables from `range` one at a time, as a
    running one finishes, so the range is read lazily and may be larger than
    memory allows to start at once (a `std::views::transform` over a million
    indices, or any range whose iterator makes the awaitable when
    dereferenced): what runs at a time is at most `limit` coroutines.
    `limit == 1` runs them one after the other.

    @param limit How many run at once; at least 1.
    @param range A range (anything a range-for loop takes) of
    `asio::awaitable<T>`, `T`
    default-constructible (as for `asio::co_spawn`): viewed if an lvalue (it
    must live until the operation completes; its elements are moved from),
    moved into the operation if an rvalue. The results of a sized range are
    reserved for at once; otherwise the result vector grows as awaitables
    start.
    @param token The completion token, for a handler called as if by
    `void handler(std::exception_ptr e, std::vector<T> values);` (`T` is
    `std::monostate` for `void`). `e` is null and `values` holds every result
    in input order; or `e` is the first failure, as for @ref gather, and the
    running awaitables are then cancelled and waited for, and no more are
    started.

    The handler is never invoked from within this function: it runs on its
    associated executor, as by `asio::co_spawn`, and the awaitables run there.

    @par Per-operation cancellation
    `terminal`: the running awaitables are cancelled and waited for, no more
    are started, and `e` is `operation_aborted`.

    @par Errors
    The first failure of an awaitable, or what the range threw when the next
    element was taken (then, too, the running awaitables are cancelled and
    waited for). Starting the operation throws `std::invalid_argument` if
    `limit` is 0.

    @par Thread safety
    The range is read from the handler's executor only; use a single-threaded
    executor or a strand.
*/
template <detail::awaitable_range Range,
          class CompletionToken = detail::default_token_t<asio::any_io_executor>>
auto bounded_gather(std::size_t limit, Range&& range,
                    CompletionToken&& token = CompletionToken())
{
    return detail::start_bounded<false>(detail::no_executor{}, limit,
                                        std::forward<Range>(range),
                                        std::forward<CompletionToken>(token));
}

/// As above, with the awaitables run on `ex`, for handlers with no associated
/// executor.
template <detail::executor_like Executor, detail::awaitable_range Range,
          class CompletionToken = detail::default_token_t<Executor>>
auto bounded_gather(const Executor& ex, std::size_t limit, Range&& range,
                    CompletionToken&& token = CompletionToken())
{
    return detail::start_bounded<false>(ex, limit, std::forward<Range>(range),
                                        std::forward<CompletionToken>(token));
}

/** As above, but collecting every outcome, never failing, like
    `gather(return_exceptions, ...)`: `values` is a
    `std::vector<result<T>>`, one per awaitable in input order, and a
    failure cancels nothing. `e` is set only if the operation was cancelled
    (`operation_aborted`; the awaitables not yet started are then never
    started) or reading the range threw.
*/
template <detail::awaitable_range Range,
          class CompletionToken = detail::default_token_t<asio::any_io_executor>>
auto bounded_gather(return_exceptions_t, std::size_t limit, Range&& range,
                    CompletionToken&& token = CompletionToken())
{
    return detail::start_bounded<true>(detail::no_executor{}, limit,
                                       std::forward<Range>(range),
                                       std::forward<CompletionToken>(token));
}

/// As above, with the awaitables run on `ex`.
template <detail::executor_like Executor, detail::awaitable_range Range,
          class CompletionToken = detail::default_token_t<Executor>>
auto bounded_gather(return_exceptions_t, const Executor& ex, std::size_t limit,
                    Range&& range, CompletionToken&& token = CompletionToken())
{
    return detail::start_bounded<true>(ex, limit, std::forward<Range>(range),
                                       std::forward<CompletionToken>(token));
}

} // namespace boost::muster

#endif
