//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_TASK_GROUP_HPP
#define BOOST_MUSTER_TASK_GROUP_HPP

#include <boost/muster/detail/group_state.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/task.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster
{

/** The failures of a task group's children, like Python's `ExceptionGroup`.

    What @ref basic_task_group::async_join reports when children failed: every
    failure other than cancellation, in the order the children ended.
    Cancellations (of the siblings the first failure cancelled, or of a child
    cancelled through its own handle) are not failures.
*/
class task_group_error : public std::exception
{
public:
    /// Holds `errors`, which must not be empty.
    explicit task_group_error(std::vector<std::exception_ptr> errors)
        : errors_(std::move(errors)), what_(describe(errors_))
    {
    }

    /// Every failure, in the order the children ended.
    const std::vector<std::exception_ptr>& exceptions() const noexcept { return errors_; }

    /// "2 children of a task_group failed; the first: ..."
    const char* what() const noexcept override { return what_.c_str(); }

private:
    static std::string describe(const std::vector<std::exception_ptr>& errors)
    {
        std::string first = "an exception not derived from std::exception";
        try
        {
            if (!errors.empty())
                std::rethrow_exception(errors.front());
        }
        catch (const std::exception& e)
        {
            first = e.what();
        }
        catch (...)
        {
        }
        return std::to_string(errors.size()) +
               (errors.size() == 1 ? " child of a task_group failed: "
                                   : " children of a task_group failed; the first: ") +
               first;
    }

    std::vector<std::exception_ptr> errors_;
    std::string what_;
};

namespace detail
{

inline std::exception_ptr make_group_error(std::vector<std::exception_ptr> errors)
{
    return std::make_exception_ptr(task_group_error(std::move(errors)));
}

} // namespace detail

/** A set of coroutines that run concurrently and are joined together, like
    `asyncio.TaskGroup`.

    @ref spawn starts a child as a @ref task; @ref async_join waits until
    every child has ended. The first child that fails (with anything but
    cancellation) cancels the others, and the join reports every failure as
    a @ref task_group_error. No child outlives a completed join.

    @code
    muster::task_group g(co_await asio::this_coro::executor);
    auto a = g.spawn(fetch("a"));
    auto b = g.spawn(fetch("b"));
    co_await g.join(); // throws task_group_error if a or b failed
    use(a.result(), b.result());
    @endcode

    Destroying the group while children run cancels them (terminal); they
    end on their own afterwards and must not use the group then. Prefer
    @ref with_task_group, which joins on every way out.

    @par Thread safety
    Distinct objects: safe. Shared objects: unsafe. Use the group, like its
    tasks, from the thread that runs its executor (or a strand).
*/
template <class Executor = asio::any_io_executor>
class basic_task_group
{
    using state_type = detail::group_state<Executor>;

public:
    /// The executor the children run on.
    using executor_type = Executor;

    /// Constructs an empty group whose children run on `ex`.
    explicit basic_task_group(const executor_type& ex)
        : state_(std::make_shared<state_type>(ex))
    {
    }

    /// Constructs an empty group on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    explicit basic_task_group(ExecutionContext& ctx)
        : basic_task_group(executor_type(ctx.get_executor()))
    {
    }

    basic_task_group(const basic_task_group&) = delete;
    basic_task_group& operator=(const basic_task_group&) = delete;

    /// Cancels the children still running (terminal); see the class.
    ~basic_task_group()
    {
        state_->report_if_unjoined();
        try
        {
            state_->close();
        }
        catch (...)
        {
            // A child's cancellation handler threw; the others were
            // cancelled before it. A destructor cannot report it.
        }
    }

    /// Returns the executor the children run on.
    executor_type get_executor() const noexcept { return state_->executor; }

    /// The number of children still running.
    std::size_t running() const noexcept { return state_->running(); }

    /** True while @ref spawn accepts children: until the first failure, a
        cancelled join, @ref cancel, or a completed join.
    */
    bool accepts_children() const noexcept { return state_->accepts_children(); }

    /** Starts `aw` as a child and returns its task (`TaskGroup.create_task`).

        The coroutine is started with `asio::co_spawn` on the group's
        executor, as @ref create_task does. A child may spawn further children
        into the group while it runs; the join waits for them too.

        @throws boost::system::system_error with @ref error::task_group_closed
        if the group no longer accepts children (after a failure, a cancelled
        join, @ref cancel, or a completed join): `aw` is destroyed without
        having run. `std::bad_alloc` if the task cannot be allocated.
    */
    template <class T, class AwaitableExecutor>
    requires std::is_constructible_v<AwaitableExecutor, const Executor&>
        task<T, AwaitableExecutor> spawn(asio::awaitable<T, AwaitableExecutor> aw)
    {
        return start<T, AwaitableExecutor>(std::move(aw));
    }

    /// As above, with a function object that returns the coroutine; it is
    /// kept alive while the coroutine runs, so lambda captures are safe.
    template <detail::awaitable_factory F>
    auto spawn(F&& f)
    {
        using aw_type = std::invoke_result_t<std::decay_t<F>&>;
        return start<detail::awaitable_value_t<aw_type>, typename aw_type::executor_type>(
            std::forward<F>(f));
    }

    /** Cancels every running child (terminal) and accepts no more.

        The group stops accepting children at once; the cancellations are
        delivered from a posted function, so that a child may call this on
        its own group. Cancelled children are not failures: a join then
        completes without error unless a child failed. Does nothing once the
        group finished.
    */
    void cancel() { state_->close(); }

    /** Waits until every child has ended (`async with TaskGroup()`'s exit).

        This function always returns immediately. The join completes when no
        child runs, at once (posted) if none does. The group then accepts no
        more children.

        @param token The completion token, for a handler called as if by
        `void handler(std::exception_ptr e);`. `e` is null if no child failed;
        a @ref task_group_error holding every failure otherwise, also if the
        join was cancelled (failures take priority, as in asyncio); a
        `system_error` of `asio::error::operation_aborted` if the join was
        cancelled and no child failed.

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the group's if none).

        @par Per-operation cancellation
        `terminal` and `partial`: the join cancels every running child
        (terminal), waits until they have all ended -- their clean-up may
        itself await -- and then completes with `operation_aborted`, or with
        the @ref task_group_error if a child failed. The group accepts no more
        children. A coroutine that is already cancelled when it awaits
        @ref join is not suspended at all (Asio throws at once); see
        @ref with_task_group, which always waits. `total` is not honoured: cancelling
        the children is a side effect.
    */
    template <asio::completion_token_for<void(std::exception_ptr)> CompletionToken =
                  detail::default_token_t<Executor>>
    auto async_join(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(std::exception_ptr)>(
            initiate_join{state_}, token);
    }

    /// The coroutine form of @ref async_join, returning when every child has
    /// ended, throwing the @ref task_group_error if any failed.
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> join()
    {
        co_await async_join(asio::use_awaitable_t<AwaitableExecutor>());
    }

private:
    class initiate_join
    {
    public:
        using executor_type = Executor;
        explicit initiate_join(std::shared_ptr<state_type> s) noexcept
            : state_(std::move(s))
        {
        }
        executor_type get_executor() const noexcept { return state_->executor; }

        template <class Handler>
        void operator()(Handler&& handler) const
        {
            state_->start_join(std::forward<Handler>(handler), state_->executor);
        }

    private:
        std::shared_ptr<state_type> state_;
    };

    template <class T, class AwaitableExecutor, class Aw>
    task<T, AwaitableExecutor> start(Aw&& aw)
    {
        if (!state_->accepts_children())
            throw boost::system::system_error(error::task_group_closed);
        using child_state = detail::group_task_state<T, AwaitableExecutor>;
        auto child = std::make_shared<child_state>(AwaitableExecutor(state_->executor));
        state_->add(child.get());
        // The completion is constructed before co_spawn is called; if the
        // spawn fails, its destruction takes the child out of the group.
        asio::co_spawn(state_->executor, std::forward<Aw>(aw),
                       asio::bind_cancellation_slot(
                           child->signal.slot(),
                           detail::group_task_completion<T, AwaitableExecutor, Executor>(
                               child, state_.get())));
        return detail::make_task(
            std::shared_ptr<detail::task_state<T, AwaitableExecutor>>(std::move(child)));
    }

    std::shared_ptr<state_type> state_;
};

/// A task group whose children run on an `asio::any_io_executor`.
using task_group = basic_task_group<>;

/** Runs `body` with a new task group and joins the group on every way out,
    like `async with asyncio.TaskGroup() as tg:` (Trio's nursery).

    `body` is called with the group and returns an `asio::awaitable<void>`;
    it runs as one of the group's children, so a failing child cancels the
    body too, and a body that throws fails the group: its exception is in the
    @ref task_group_error, with the children's. Returns when the body and
    every child have ended; throws the @ref task_group_error if any failed,
    or `operation_aborted` if this coroutine was cancelled (after the
    children have ended).

    @code
    co_await muster::with_task_group([&](muster::task_group& g) -> asio::awaitable<void> {
        g.spawn(serve(acceptor));
        co_await g.spawn(run_clients());
    });
    @endcode
*/
template <class F>
requires std::is_invocable_r_v<asio::awaitable<void>, F&, task_group&>
    asio::awaitable<void> with_task_group(F body)
{
    // The join is always waited for, also once this coroutine is cancelled
    // (Asio would otherwise throw at the co_await, leaving the children
    // running on a destroyed group).
    co_await asio::this_coro::throw_if_cancelled(false);
    task_group group(co_await asio::this_coro::executor);
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none)
        throw boost::system::system_error(asio::error::operation_aborted); // body not run
    group.spawn([&group, &body]() { return body(group); });
    co_await group.join();
}

} // namespace boost::muster

#endif
