//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_QUEUE_CORE_HPP
#define BOOST_MUSTER_DETAIL_QUEUE_CORE_HPP

#include <boost/muster/debug.hpp>
#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>
#include <boost/muster/detail/shared_core.hpp>
#include <boost/muster/detail/waiter.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/null_mutex.hpp>

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace boost::muster::detail
{

// The state and the operations of a basic_queue. Every member that touches
// the state takes `mutex_` (a null_mutex for the single-threaded queues).
// Waiters complete through a finisher posted to their handler's executor,
// posted under the lock, so that a post that fails can be undone before
// anyone sees the change.
//
// A concurrent core is allocated on the heap and reference-counted: the queue
// holds one reference and every waiting operation one, so a cancellation
// emitted after the queue's destruction still finds the state it locks.
template <class T, class Order, class Executor, class Mutex>
class queue_core
    : public waiter_owner<queue_core<T, Order, Executor, Mutex>, Executor, Mutex>
{
    using base = waiter_owner<queue_core, Executor, Mutex>;
    using base::executor_;
    using base::mutex_;

public:
    using typename base::lock_type;

    struct getter_kind
    {
    };
    struct putter_kind
    {
    };
    struct joiner_kind
    {
    };
    using item_waiter = waiter<queue_core, std::optional<T>>;

    queue_core(const Executor& ex, std::size_t maxsize, const Order& order)
        : base(ex), maxsize_(maxsize), items_(order)
    {
    }

    // The queue is being destroyed: every pending operation is aborted.
    void close() noexcept
    {
        std::size_t items = 0, waiting = 0;
        {
            lock_type lock(mutex_);
            if constexpr (debug_reports)
            {
                items = items_.size();
                waiting = getters_.count() + putters_.count() + joiners_.count();
            }
            this->finish_all(getters_, waiter_event::abort);
            this->finish_all(putters_, waiter_event::abort);
            this->finish_all(joiners_, waiter_event::abort);
        }
        // Outside the lock: the hook may use the library.
        if constexpr (debug_reports)
            if (items != 0 || waiting != 0)
                report_abandoned_queue(items, waiting);
    }

    // The execution context shuts down: every waiting operation is taken
    // out, to be destroyed with its handler.
    void take_waiters(std::vector<pending_service::orphan>& out)
    {
        lock_type lock(mutex_);
        getters_.take_all(out);
        putters_.take_all(out);
        joiners_.take_all(out);
    }

    // ---- observers ---------------------------------------------------------

    std::size_t maxsize() const noexcept { return maxsize_; }

    std::size_t size() const
    {
        lock_type lock(mutex_);
        return items_.size();
    }

    bool full() const
    {
        lock_type lock(mutex_);
        return queue_full(view());
    }

    std::size_t unfinished_tasks() const
    {
        lock_type lock(mutex_);
        return unfinished_;
    }

    bool is_shut_down() const
    {
        lock_type lock(mutex_);
        return shut_down_;
    }

    // ---- immediate operations ----------------------------------------------

    // Throws only if the completion of a waiting get cannot be posted
    // (std::bad_alloc from its handler's allocator), if the queue cannot
    // grow, or if a priority queue's comparator throws; then the queue and
    // `value` are as they were.
    boost::system::error_code try_put(T&& value)
    {
        lock_type lock(mutex_);
        switch (decide_put(view()))
        {
        case put_action::refuse:
            return error::shut_down;
        case put_action::wait:
            return error::queue_full;
        default:
            admit(std::move(value));
            return {};
        }
    }

    boost::system::result<T> try_get()
    {
        lock_type lock(mutex_);
        switch (decide_get(view()))
        {
        case get_action::refuse:
            return boost::system::error_code(error::shut_down);
        case get_action::wait:
            return boost::system::error_code(error::queue_empty);
        default:
            return take();
        }
    }

    void task_done()
    {
        lock_type lock(mutex_);
        switch (detail::task_done(unfinished_))
        {
        case task_done_action::unmatched:
            throw boost::system::system_error(error::unmatched_task_done);
        case task_done_action::all_done:
            joiners_.complete_all(*this);
            break;
        case task_done_action::counted:
            break;
        }
    }

    void shutdown(bool immediate)
    {
        lock_type lock(mutex_);
        shut_down_ = true;
        auto effect = detail::shutdown(unfinished_, items_.size(), immediate);
        if (effect.dropped != 0)
            items_.clear();
        // Every list is woken even if one completion cannot be posted.
        std::exception_ptr first;
        auto wake = [&](auto& list)
        {
            try
            {
                list.complete_all(*this);
            }
            catch (...)
            {
                if (!first)
                    first = std::current_exception();
            }
        };
        if (effect.release_joins)
            wake(joiners_);
        wake(getters_);
        wake(putters_);
        if (first)
            std::rethrow_exception(first);
    }

    // ---- asynchronous operations -------------------------------------------

    struct initiation_base
    {
        queue_core* self;
        using executor_type = Executor;
        executor_type get_executor() const noexcept { return self->executor_; }
    };

    // The immediate paths post the caller's handler, which allocates. They
    // make that the last step that can fail for lack of memory, or undo what
    // they did before it: a failure to post leaves no item lost or
    // duplicated.
    struct initiate_put : initiation_base
    {
        template <class Handler>
        void operator()(Handler&& h, T value) const
        {
            queue_core& q = *this->self;
            lock_type lock(q.mutex_);
            put_action action = decide_put(q.view());
            if (action == put_action::refuse)
                return q.post(std::forward<Handler>(h),
                              boost::system::error_code(error::shut_down));
            if (action == put_action::wait)
            {
                q.putters_.start(q, std::forward<Handler>(h), q.executor_)
                    ->payload.emplace(std::move(value));
                return;
            }
            if (action == put_action::hand_off)
            {
                // Handed to the longest-waiting get first; if this put's own
                // completion then cannot be posted, the item stays delivered.
                q.admit(std::move(value));
                return q.post(std::forward<Handler>(h), boost::system::error_code());
            }
            // Every step that can fail (growing, the comparator, the post)
            // comes before the item is added, which then cannot fail.
            q.items_.reserve_one();
            auto plan = q.items_.plan_push(value);
            q.post(std::forward<Handler>(h), boost::system::error_code());
            q.items_.commit_push(plan, std::move(value));
            ++q.unfinished_;
        }
    };

    struct initiate_get : initiation_base
    {
        template <class Handler>
        void operator()(Handler&& h) const
        {
            queue_core& q = *this->self;
            lock_type lock(q.mutex_);
            get_action action = decide_get(q.view());
            if (action == get_action::refuse)
                return q.post(std::forward<Handler>(h),
                              boost::system::error_code(error::shut_down), T());
            if (action == get_action::wait)
            {
                q.getters_.start(q, std::forward<Handler>(h), q.executor_);
                return;
            }
            auto ex = asio::get_associated_executor(h, q.executor_);
            // Room to put the item back, so that doing so cannot fail.
            q.items_.reserve_one();
            posting_scope scope(&q);
            get_completion<std::decay_t<Handler>> done(std::forward<Handler>(h), q.take(),
                                                       &q);
            asio::post(ex, std::move(done));
        }
    };

    // The completion of a get that found an item. If posting it fails, its
    // destruction puts the item back first (if the get admitted a waiting
    // put, the queue then holds one item more than maxsize until the next
    // get): nothing is lost.
    template <class Handler>
    class get_completion
    {
    public:
        using allocator_type = asio::associated_allocator_t<Handler>;

        get_completion(Handler&& h, T&& item, queue_core* q)
            : handler_(std::move(h)), item_(std::move(item)), queue_(q)
        {
        }
        get_completion(get_completion&& o)
            : handler_(std::move(o.handler_)), item_(std::move(o.item_)),
              queue_(std::exchange(o.queue_, nullptr))
        {
        }
        get_completion& operator=(get_completion&&) = delete;
        ~get_completion()
        {
            if (posting_scope::failing(queue_))
                queue_->items_.unpop(std::move(item_));
        }

        allocator_type get_allocator() const noexcept
        {
            return asio::get_associated_allocator(handler_);
        }

        void operator()()
        {
            queue_ = nullptr;
            std::move(handler_)(boost::system::error_code(), std::move(item_));
        }

    private:
        Handler handler_;
        T item_;
        queue_core* queue_;
    };

    struct initiate_join : initiation_base
    {
        template <class Handler>
        void operator()(Handler&& h) const
        {
            queue_core& q = *this->self;
            {
                lock_type lock(q.mutex_);
                if (q.unfinished_ != 0)
                {
                    q.joiners_.start(q, std::forward<Handler>(h), q.executor_);
                    return;
                }
            }
            q.post(std::forward<Handler>(h), boost::system::error_code());
        }
    };

    // ---- completion of waiters (called by their finishers) -----------------

    template <class Handler>
    static void deliver(getter_kind, Handler h, bool aborted, taken_item<T> item)
    {
        boost::system::error_code ec;
        if (aborted)
            ec = asio::error::operation_aborted;
        else if (!item.has)
            ec = error::shut_down;
        std::move(h)(ec, std::move(item.value));
    }

    template <class Handler>
    static void deliver(putter_kind, Handler h, bool aborted, taken_item<T> item)
    {
        boost::system::error_code ec;
        if (aborted)
            ec = asio::error::operation_aborted;
        else if (item.has) // still ours: woken by shutdown, never added
            ec = error::shut_down;
        std::move(h)(ec);
    }

    template <class Handler>
    static void deliver(joiner_kind, Handler h, bool aborted, no_payload)
    {
        boost::system::error_code ec;
        if (aborted)
            ec = asio::error::operation_aborted;
        std::move(h)(ec);
    }

private:
    queue_view view() const noexcept
    {
        return {items_.size(), maxsize_, !getters_.empty(), !putters_.empty(),
                shut_down_};
    }

    // Adds an admitted item: to the longest-waiting get, whose completion is
    // posted, or to the queue. If the completion cannot be posted, the get
    // waits first again and `value` is restored.
    void admit(T&& value)
    {
        if (item_waiter* g = getters_.pop_front())
        {
            g->payload.emplace(std::move(value));
            try
            {
                g->fn(g, this, waiter_event::complete);
            }
            catch (...)
            {
                restore(value, *g->payload);
                g->payload.reset();
                getters_.push_front(g);
                throw;
            }
        }
        else
            items_.push(std::move(value)); // changes nothing if it throws
        ++unfinished_;
    }

    // Gives a caller's item back after a failed hand-off, without requiring
    // T's move assignment (only its move construction) not to throw.
    static void restore(T& to, T& from) noexcept
    {
        if constexpr (std::is_nothrow_move_assignable_v<T>)
            to = std::move(from);
        else
        {
            std::destroy_at(std::addressof(to));
            std::construct_at(std::addressof(to), std::move(from));
        }
    }

    // Removes the next item; the room it frees admits the longest-waiting
    // put, whose completion is posted first: if that fails, the put waits
    // first again and nothing was taken. A comparator that throws does so
    // before anything changed.
    T take()
    {
        item_waiter* p = putters_.front();
        if (!p)
            return items_.pop();
        auto plan = items_.plan_replace(*p->payload);
        putters_.pop_front();
        T incoming(std::move(*p->payload));
        p->payload.reset();
        try
        {
            p->fn(p, this, waiter_event::complete);
        }
        catch (...)
        {
            p->payload.emplace(std::move(incoming));
            putters_.push_front(p);
            throw;
        }
        ++unfinished_;
        return items_.commit_replace(plan, std::move(incoming));
    }

    std::size_t maxsize_;
    std::size_t unfinished_ = 0;
    bool shut_down_ = false;
    typename Order::template container<T> items_;
    waiter_list<queue_core, std::optional<T>, getter_kind> getters_;
    waiter_list<queue_core, std::optional<T>, putter_kind> putters_;
    waiter_list<queue_core, no_payload, joiner_kind> joiners_;
    pending_registration<queue_core> registration_{this, executor_};
};

} // namespace boost::muster::detail

#endif
