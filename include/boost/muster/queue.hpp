//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_QUEUE_HPP
#define BOOST_MUSTER_QUEUE_HPP

#include <boost/muster/detail/asio_compat.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/queue_core.hpp>
#include <boost/muster/detail/ring_buffer.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster
{

namespace detail
{

// A sequence of items taken from the front (FIFO) or the back (LIFO).
//
// Every container of a queue offers the same steps. A push or a replace is
// planned first (a priority container makes its comparisons there, and may
// throw), then committed (only moves, which cannot throw), so that the queue
// can post a completion between the two and undo nothing. `pop` changes
// nothing if it throws; `unpop` never throws.
template <template <class> class Sequence, bool FromFront>
struct sequence_order
{
    template <class T>
    class container
    {
    public:
        struct plan
        {
        };

        explicit container(const sequence_order&) noexcept {}

        plan plan_push(const T&) const noexcept { return {}; }
        plan plan_replace(const T&) const noexcept { return {}; }

        // Requires room for one more item (reserve_one).
        void commit_push(plan, T&& v) noexcept { items_.push_back(std::move(v)); }

        void push(T&& v)
        {
            reserve_one();
            commit_push({}, std::move(v));
        }

        T pop() noexcept
        {
            if constexpr (FromFront)
            {
                T v(std::move(items_.front()));
                items_.pop_front();
                return v;
            }
            else
            {
                T v(std::move(items_.back()));
                items_.pop_back();
                return v;
            }
        }

        // Takes the next item and adds `v` in one step (a get that admits a
        // waiting put); the room the item frees is where `v` goes.
        T commit_replace(plan, T&& v) noexcept
        {
            T next = pop();
            items_.push_back(std::move(v));
            return next;
        }

        std::size_t size() const noexcept { return items_.size(); }
        void clear() noexcept { items_.clear(); }

        // Room for one more push that cannot fail for lack of memory.
        void reserve_one()
        {
            if constexpr (FromFront)
                items_.reserve_one();
            else if (items_.size() == items_.capacity())
                items_.reserve(items_.size() < 8 ? 16 : 2 * items_.size());
        }

        // Undoes a pop: `v` is the next item again. Requires the room the
        // pop freed, or reserve_one.
        void unpop(T&& v) noexcept
        {
            if constexpr (FromFront)
                items_.push_front(std::move(v));
            else
                items_.push_back(std::move(v));
        }

    private:
        Sequence<T> items_;
    };
};

template <class T>
using vector_of = std::vector<T>;

} // namespace detail

/// Ordering policy of @ref queue, first in, first out (`asyncio.Queue`).
struct fifo_order : detail::sequence_order<detail::ring_buffer, true>
{
};

/// Ordering policy of @ref lifo_queue, last in, first out (`asyncio.LifoQueue`).
struct lifo_order : detail::sequence_order<detail::vector_of, false>
{
};

/** Ordering policy of @ref priority_queue, smallest first by `Compare`, as
    Python's heapq (`asyncio.PriorityQueue`). Items that compare equivalent
    come out in no particular order, as with heapq.

    The comparator is stored: the queue's container holds a copy of the one
    given here, so a stateful comparator works. Pass one at construction,
    `priority_queue<T, Cmp> q(ex, maxsize, cmp)`, or let it be
    default-constructed.
*/
template <class Compare = std::less<>>
struct priority_order
{
    /// A default-constructed comparator.
    priority_order() = default;

    /// Orders by `c` (implicit, so a queue can be constructed from a comparator).
    priority_order(Compare c) noexcept(std::is_nothrow_move_constructible_v<Compare>)
        : compare(std::move(c))
    {
    }

    /// The comparator every queue made with this policy copies.
    [[no_unique_address]] Compare compare{};

    // A binary heap, smallest on top, in which every comparison is made
    // before any item moves: a comparator that throws leaves the heap as it
    // was. Moves then go along one path only (the way Python's heapq sifts),
    // so T's move must not throw; basic_queue checks that.
    template <class T>
    class container
    {
        static_assert(
            std::is_nothrow_move_assignable_v<T>,
            "boost::muster::priority_queue: the item type's move assignment must "
            "be noexcept, since the heap moves items along a path that could not "
            "be undone half-way; hold such items by std::unique_ptr");

    public:
        // Where the item being added comes to rest.
        struct plan
        {
            std::size_t hole;
        };

        explicit container(const priority_order& order) : compare_(order.compare) {}

        plan plan_push(const T& v)
        {
            std::size_t hole = items_.size();
            while (hole != 0)
            {
                std::size_t parent = (hole - 1) / 2;
                if (!compare_(v, items_[parent]))
                    break;
                hole = parent;
            }
            return {hole};
        }

        // Requires room for one more item (reserve_one).
        void commit_push(plan p, T&& v) noexcept
        {
            std::size_t n = items_.size();
            if (p.hole == n)
            {
                items_.push_back(std::move(v));
                return;
            }
            // Each item on the path from the end up to the hole moves down one level.
            std::size_t q = (n - 1) / 2;
            items_.push_back(std::move(items_[q]));
            while (q != p.hole)
            {
                std::size_t parent = (q - 1) / 2;
                items_[q] = std::move(items_[parent]);
                q = parent;
            }
            items_[p.hole] = std::move(v);
        }

        void push(T&& v)
        {
            plan p = plan_push(v);
            reserve_one();
            commit_push(p, std::move(v));
        }

        T pop()
        {
            std::size_t last = items_.size() - 1;
            std::size_t hole = sink(items_[last], last);
            T top(std::move(items_[0]));
            if (last != 0)
            {
                lift_path(hole);
                items_[hole] = std::move(items_[last]);
            }
            items_.pop_back();
            return top;
        }

        // heapreplace: the top is taken and `v` sinks from the root.
        plan plan_replace(const T& v) { return {sink(v, items_.size())}; }

        T commit_replace(plan p, T&& v) noexcept
        {
            T top(std::move(items_[0]));
            lift_path(p.hole);
            items_[p.hole] = std::move(v);
            return top;
        }

        std::size_t size() const noexcept { return items_.size(); }
        void clear() noexcept { items_.clear(); }

        void reserve_one()
        {
            if (items_.size() == items_.capacity())
                items_.reserve(items_.size() < 8 ? 16 : 2 * items_.size());
        }

        // Puts back an item just taken. If the comparator throws, the item
        // goes on top without comparisons: it was the smallest when taken, so
        // only an item added since, smaller still, can come out after it.
        void unpop(T&& v) noexcept
        {
            plan p{0};
            try
            {
                p = plan_push(v);
            }
            catch (...)
            {
            }
            commit_push(p, std::move(v));
        }

    private:
        // Where `v` comes to rest sinking from the root of the first `n` items.
        std::size_t sink(const T& v, std::size_t n)
        {
            std::size_t hole = 0;
            for (;;)
            {
                std::size_t child = 2 * hole + 1;
                if (child >= n)
                    return hole;
                if (child + 1 < n && compare_(items_[child + 1], items_[child]))
                    ++child;
                if (!compare_(items_[child], v))
                    return hole;
                hole = child;
            }
        }

        // The root's item has been moved out: each item on the path from the
        // root down to `hole` moves up one level, leaving `hole` free.
        void lift_path(std::size_t hole) noexcept
        {
            std::size_t path[std::numeric_limits<std::size_t>::digits];
            std::size_t depth = 0;
            for (std::size_t q = hole; q != 0; q = (q - 1) / 2)
                path[depth++] = q;
            while (depth != 0)
            {
                std::size_t q = path[--depth];
                items_[(q - 1) / 2] = std::move(items_[q]);
            }
        }

        [[no_unique_address]] Compare compare_;
        std::vector<T> items_;
    };
};

/** An asynchronous queue, like `asyncio.Queue`, for coroutines and any other
    Asio completion handlers.

    Use the aliases @ref queue (FIFO), @ref priority_queue and
    @ref lifo_queue, or their thread-safe forms @ref concurrent_queue,
    @ref concurrent_priority_queue and @ref concurrent_lifo_queue. Producers put items,
   suspending while a bounded queue is full; consumers get them, suspending while it is
   empty. Waiters are served strictly in arrival order, with direct hand-off: a put to a
   queue with waiting getters gives the item to the longest-waiting one; a get from a full
   queue admits the longest-waiting putter's item. `task_done()` / `async_join()` count
   the items put that have not been processed, and `shutdown()` ends the queue as in
   Python 3.13.

    @tparam T The item type; move-only types work. Default-constructible, for
    the value of a failed get. Its move constructor must be `noexcept` (and,
    for a @ref priority_queue, its move assignment too), as those of almost
    every standard type are (not libstdc++'s `std::deque`): the queue moves
    items while handing them to waiters, where a move that throws could not
    be undone. A type that does not qualify is refused at compile time; hold
    it by `std::unique_ptr`.
    @tparam Order @ref fifo_order, @ref lifo_order or @ref priority_order.
    @tparam Executor The default executor for handlers with none.
    @tparam Mutex @ref null_mutex (the default) for a queue used from one
    thread at a time; `std::mutex` for a queue shared between threads.

    @par Thread safety
    Distinct objects: safe. Shared objects: with @ref null_mutex, unsafe (use
    the queue from the thread running its executor, or a strand); with
    `std::mutex`, every member function except the destructor may be called
    from any thread at the same time. In both cases every handler runs on its
    own associated executor, and per-operation cancellation must be emitted on
    that executor (as Asio requires of every operation).
*/
template <class T, class Order = fifo_order, class Executor = asio::any_io_executor,
          class Mutex = null_mutex>
class basic_queue
{
    static_assert(
        std::is_nothrow_move_constructible_v<T>,
        "boost::muster::basic_queue: the item type's move constructor must be "
        "noexcept, since a move that throws while an item passes from a queue to "
        "a waiter could not be undone; hold such items by std::unique_ptr");

    using core_type = detail::queue_core<T, Order, Executor, Mutex>;

public:
    /// The item type.
    using value_type = T;

    /// The default executor of the queue's operations.
    using executor_type = Executor;

    /** Constructs an empty queue.

        @param ex The default executor for completion handlers that have none.
        @param maxsize The most items the queue holds; 0 (the default) means
        unbounded.
        @param order The ordering policy, copied into the queue; for a
        @ref priority_queue, a comparator converts to it.
    */
    explicit basic_queue(const executor_type& ex, std::size_t maxsize = 0,
                         const Order& order = Order())
        : core_(ex, maxsize, order)
    {
    }

    /// Constructs an empty queue on `ctx.get_executor()`.
    template <detail::context_like ExecutionContext>
    explicit basic_queue(ExecutionContext& ctx, std::size_t maxsize = 0,
                         const Order& order = Order())
        : basic_queue(executor_type(ctx.get_executor()), maxsize, order)
    {
    }

    basic_queue(const basic_queue&) = delete;
    basic_queue& operator=(const basic_queue&) = delete;

    /// Completes every pending operation with `asio::error::operation_aborted`
    /// (the item of a pending put is destroyed). No other call on the queue
    /// may run at the same time.
    ~basic_queue() = default;

    /// Returns the default executor.
    executor_type get_executor() const noexcept { return core().executor(); }

    /// The number of items in the queue (`qsize()`).
    std::size_t size() const { return core().size(); }

    /// True if the queue holds no item.
    bool empty() const { return core().size() == 0; }

    /// True if the queue is bounded and holds `maxsize()` items.
    bool full() const { return core().full(); }

    /// The bound given at construction; 0 means unbounded.
    std::size_t maxsize() const noexcept { return core().maxsize(); }

    /// Items put and not yet marked done with `task_done()`.
    std::size_t unfinished_tasks() const { return core().unfinished_tasks(); }

    /// True once `shutdown()` was called.
    bool is_shut_down() const { return core().is_shut_down(); }

    /** Puts an item, waiting while the queue is full.

        This function is used to add an item asynchronously. It always returns
        immediately. The item is added (or handed to the longest-waiting get)
        as soon as there is room and every earlier put has been served.

        @param value The item, moved into the operation.
        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);`. `ec` is
        @ref error::shut_down if the queue is, or is then, shut down (the item
        is not added), `asio::error::operation_aborted` if cancelled or if the
        queue is destroyed.

        Regardless of whether the put completes immediately or not, the handler
        is never invoked from within this function: it runs as if by
        `asio::post` on its associated executor (the queue's if none).

        @throws std::bad_alloc if its completion cannot be posted (the
        handler is then not invoked). The item is then not added, except
        when it went at once to a waiting get: that get has it, and the
        queue counts it.

        @par Per-operation cancellation
        `terminal`, `partial` and `total`, while the put waits: it completes
        with `operation_aborted` and its item is never added.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_put(T value, CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_put{&core()}, token, std::move(value));
    }

    /** Gets an item, waiting while the queue is empty.

        This function is used to remove an item asynchronously. It always
        returns immediately. Gets are served in arrival order.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec, T item);`. `ec` is
        @ref error::shut_down once the queue is shut down and empty,
        `asio::error::operation_aborted` if cancelled or if the queue is
        destroyed; `item` is then value-initialised.

        The handler is never invoked from within this function: it runs as if
        by `asio::post` on its associated executor (the queue's if none).

        @par Per-operation cancellation
        `terminal`, `partial` and `total`, while the get waits: it completes
        with `operation_aborted` and no item is lost -- an item that arrives
        later stays queued or goes to the next get. A get that was already
        given an item delivers it.
    */
    template <asio::completion_token_for<void(boost::system::error_code, T)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_get(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code, T)>(
            typename core_type::initiate_get{&core()}, token);
    }

    /** Waits until every item put has been marked done (`Queue.join`).

        This function always returns immediately. The join completes at once
        (posted) if `unfinished_tasks()` is 0, otherwise when `task_done()`
        brings it to 0, or when an immediate shutdown does.

        @param token The completion token, for a handler called as if by
        `void handler(boost::system::error_code ec);` (`ec` is
        `operation_aborted` if cancelled or if the queue is destroyed).

        The handler is never invoked from within this function.

        @par Per-operation cancellation
        `terminal`, `partial` and `total`: this join completes with
        `operation_aborted`; the queue is unaffected.
    */
    template <asio::completion_token_for<void(boost::system::error_code)>
                  CompletionToken = detail::default_token_t<Executor>>
    auto async_join(CompletionToken&& token = CompletionToken())
    {
        return asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            typename core_type::initiate_join{&core()}, token);
    }

    /** The coroutine form of a put, as `await queue.put(item)` in Python.

        Adds the item at once, without suspending the caller and without a
        post, when there is room and no earlier put waits; otherwise waits as
        @ref async_put does. Throws `system_error` with @ref error::shut_down
        if the queue is shut down, `operation_aborted` if cancelled.
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> put(T value)
    {
        auto ec = core().try_put(std::move(value)); // moves only on success
        if (!ec)
            co_return;
        if (ec != error::queue_full)
            throw boost::system::system_error(ec);
        co_await async_put(std::move(value), asio::use_awaitable_t<AwaitableExecutor>());
    }

    /** The coroutine form of a get, as `await queue.get()` in Python.

        Returns an item at once, without suspending and without a post, when
        the queue holds one; otherwise waits as @ref async_get does. Throws
        `system_error` with @ref error::shut_down once the queue is shut down
        and empty, `operation_aborted` if cancelled (no item is lost).
    */
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<T, AwaitableExecutor> get()
    {
        auto item = core().try_get();
        if (item)
            co_return std::move(*item);
        if (item.error() != error::queue_empty)
            throw boost::system::system_error(item.error());
        co_return co_await async_get(asio::use_awaitable_t<AwaitableExecutor>());
    }

    /// The coroutine form of @ref async_join, returning at once if nothing is
    /// unfinished.
    template <class AwaitableExecutor = asio::any_io_executor>
    asio::awaitable<void, AwaitableExecutor> join()
    {
        if (unfinished_tasks() == 0)
            co_return;
        co_await async_join(asio::use_awaitable_t<AwaitableExecutor>());
    }

    /** Puts an item if that can be done at once, reporting every refusal
        as an error code.

        @returns An empty error_code if the item was added (then `value` was
        moved from); @ref error::queue_full or @ref error::shut_down otherwise
        (then `value` is untouched).

        @throws std::bad_alloc if the item goes to a waiting get whose
        completion cannot be allocated, or if the queue must grow and cannot;
        whatever a priority queue's comparator throws. Then nothing changed:
        `value`, the queue and its waiters are as they were (the strong
        guarantee).
    */
    boost::system::error_code try_put(T&& value)
    {
        return core().try_put(std::move(value));
    }

    /// As above, copying the item.
    boost::system::error_code try_put(const T& value)
    {
        T copy(value);
        return try_put(std::move(copy));
    }

    /** Gets an item if there is one, reporting an empty or shut-down queue
        as an error code.

        @returns The item; or @ref error::queue_empty, or @ref error::shut_down
        if the queue is shut down and empty.

        @throws std::bad_alloc if the room it frees admits a waiting put
        whose completion cannot be allocated; whatever a priority queue's
        comparator throws. Then nothing was taken, and a waiting put still
        waits first (the strong guarantee).
    */
    boost::system::result<T> try_get() { return core().try_get(); }

    /** Puts an item at once (`Queue.put_nowait`).

        @throws boost::system::system_error with @ref error::queue_full or
        @ref error::shut_down; the item is then not added.
    */
    void put_nowait(T value)
    {
        if (auto ec = try_put(std::move(value)))
            throw boost::system::system_error(ec);
    }

    /** Gets an item at once (`Queue.get_nowait`).

        @throws boost::system::system_error with @ref error::queue_empty, or
        @ref error::shut_down if the queue is shut down and empty.
    */
    T get_nowait() { return try_get().value(); }

    /** Marks one item taken with a get as processed (`Queue.task_done`).

        When every item put has been marked done, waiting joins complete.

        @throws boost::system::system_error with @ref error::unmatched_task_done
        if called more times than items were put.
    */
    void task_done() { core().task_done(); }

    /** Shuts the queue down, as Python 3.13's `Queue.shutdown`.

        Afterwards every put fails with @ref error::shut_down; gets still
        return the remaining items, then fail with it. Waiting puts and gets
        complete with `shut_down` (a waiting get only waits on an empty queue).
        With `immediate`, the remaining items are discarded at once, the
        unfinished count is lowered by their number (never below 0), and
        waiting joins complete if it reaches 0. Calling it again is harmless;
        a later immediate shutdown still discards.
    */
    void shutdown(bool immediate = false) { core().shutdown(immediate); }

private:
    core_type& core() noexcept { return core_.get(); }
    const core_type& core() const noexcept { return core_.get(); }

    detail::core_holder<core_type> core_;
};

/// A first-in, first-out queue (`asyncio.Queue`); see @ref basic_queue.
template <class T, class Executor = asio::any_io_executor>
using queue = basic_queue<T, fifo_order, Executor>;

/// A queue that returns the smallest item first (`asyncio.PriorityQueue`).
template <class T, class Compare = std::less<>, class Executor = asio::any_io_executor>
using priority_queue = basic_queue<T, priority_order<Compare>, Executor>;

/// A last-in, first-out queue (`asyncio.LifoQueue`).
template <class T, class Executor = asio::any_io_executor>
using lifo_queue = basic_queue<T, lifo_order, Executor>;

/// A thread-safe @ref queue, callable from any thread; see @ref basic_queue.
template <class T, class Executor = asio::any_io_executor>
using concurrent_queue = basic_queue<T, fifo_order, Executor, std::mutex>;

/// A thread-safe @ref priority_queue.
template <class T, class Compare = std::less<>, class Executor = asio::any_io_executor>
using concurrent_priority_queue =
    basic_queue<T, priority_order<Compare>, Executor, std::mutex>;

/// A thread-safe @ref lifo_queue.
template <class T, class Executor = asio::any_io_executor>
using concurrent_lifo_queue = basic_queue<T, lifo_order, Executor, std::mutex>;

} // namespace boost::muster

#endif
