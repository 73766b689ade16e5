//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_PERMIT_CORE_HPP
#define BOOST_MUSTER_DETAIL_PERMIT_CORE_HPP

#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>
#include <boost/muster/detail/shared_core.hpp>
#include <boost/muster/detail/waiter.hpp>
#include <boost/muster/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <mutex>
#include <vector>

namespace boost::muster::detail
{

// The state and operations shared by lock, semaphore, bounded_semaphore,
// shared_lock and condition: a permit_ledger and one FIFO of acquirers.
// A condition keeps its own list of waits (condition_list), whose nodes are
// of the same type and move into the acquirers when notified or cancelled:
// a wait completes only once it holds the lock again.
//
// Every member that touches the state takes `mutex_`. Waiters complete
// through finishers posted to their handlers' executors, posted under the
// lock.
template <class Executor, class Mutex>
class permit_core : public waiter_owner<permit_core<Executor, Mutex>, Executor, Mutex>
{
    using base = waiter_owner<permit_core, Executor, Mutex>;
    using base::executor_;
    using base::mutex_;

public:
    using typename base::lock_type;

    struct kind
    {
    };
    struct request;
    using list_type = waiter_list<permit_core, request, kind>;
    using node = typename list_type::node;

    // What a waiting operation asks for, and where it is.
    struct request
    {
        std::size_t n = 0;
        bool acquiring = false;         // linked in the acquirers
        bool in_condition = false;      // linked in its condition's list
        bool condition_wait = false;    // completes holding the lock, always
        bool cancelled = false;         // a condition wait: completes aborted
        list_type* condition = nullptr; // a condition wait's condition, while it lives
    };

    permit_core(const Executor& ex, std::size_t initial, std::size_t bound)
        : base(ex), ledger_(initial, bound)
    {
    }

    // The object is destroyed: every acquirer completes with
    // operation_aborted (a condition bound to it must be destroyed first).
    void close() noexcept
    {
        lock_type lock(mutex_);
        for (node* w = acquirers_.front(); w; w = w->next)
            w->payload.acquiring = false; // a later cancellation finds nothing
        this->finish_all(acquirers_, waiter_event::abort);
    }

    // The execution context shuts down: every acquirer is taken out.
    void take_waiters(std::vector<pending_service::orphan>& out)
    {
        lock_type lock(mutex_);
        acquirers_.take_all(out);
    }

    // ---- observers ---------------------------------------------------------

    std::size_t available() const
    {
        lock_type lock(mutex_);
        return ledger_.available();
    }

    // Whether an acquire of `n` arriving now would wait.
    bool would_wait(std::size_t n) const
    {
        lock_type lock(mutex_);
        return !acquirers_.empty() || n > ledger_.available();
    }

    // ---- immediate operations ----------------------------------------------

    bool try_acquire(std::size_t n)
    {
        lock_type lock(mutex_);
        return ledger_.try_take(n, !acquirers_.empty());
    }

    // Returns `n` permits and grants the waiters they satisfy, oldest first.
    // Refuses, changing nothing, with not_locked unless the free permits lie
    // in [lo, hi] (what the primitive's holders leave free), and with
    // too_many_releases if the release would exceed the bound. If the first
    // waiter's completion cannot be posted (std::bad_alloc from its
    // handler's allocator), nothing changes: that waiter is first again and
    // the caller still holds the permits. If a later one's cannot, the
    // release stands, that waiter is destroyed with its handler (its permits
    // stay free for the next), and the exception propagates.
    boost::system::error_code release(std::size_t n, std::size_t lo = 0,
                                      std::size_t hi = std::size_t(-1))
    {
        lock_type lock(mutex_);
        permit_ledger before = ledger_;
        if (auto ec = give_back(n, lo, hi))
            return ec;
        try
        {
            serve<true>();
        }
        catch (...)
        {
            // The first grant failed: nothing was granted, and the release
            // is undone, so the caller still holds the permits and may
            // retry.
            if (ledger_.available() == before.available() + n)
                ledger_ = before;
            throw;
        }
        return {};
    }

    // As release, for destructors: a waiter whose completion cannot be
    // posted is destroyed with its handler, and the next one served.
    void release_nothrow(std::size_t n) noexcept
    {
        lock_type lock(mutex_);
        if (!give_back(n, 0, std::size_t(-1)))
            serve<false>();
    }

    // ---- asynchronous operations -------------------------------------------

    struct initiation_base
    {
        permit_core* self;
        using executor_type = Executor;
        executor_type get_executor() const noexcept { return self->executor_; }
    };

    struct initiate_acquire : initiation_base
    {
        template <class Handler>
        void operator()(Handler&& h, std::size_t n) const
        {
            permit_core& c = *this->self;
            lock_type lock(c.mutex_);
            if (c.ledger_.impossible(n))
                return c.post(std::forward<Handler>(h),
                              boost::system::error_code(error::request_too_large));
            if (!c.acquirers_.empty() || n > c.ledger_.available())
            {
                node* w = c.acquirers_.template start<cancellation>(
                    c, std::forward<Handler>(h), c.executor_);
                w->payload.n = n;
                w->payload.acquiring = true;
                return;
            }
            // The post is the step that can fail; the permits are taken after.
            c.post(std::forward<Handler>(h), boost::system::error_code());
            c.ledger_.try_take(n, false);
        }
    };

    // A condition wait: the caller must hold the lock (this core with bound
    // 1). The lock is released once the wait is linked, and held again when
    // the wait completes.
    struct initiate_condition_wait : initiation_base
    {
        list_type* condition;

        template <class Handler>
        void operator()(Handler&& h) const
        {
            permit_core& c = *this->self;
            lock_type lock(c.mutex_);
            if (c.ledger_.available() != 0)
                return c.post(std::forward<Handler>(h),
                              boost::system::error_code(error::not_locked));
            node* w = condition->template start<cancellation>(c, std::forward<Handler>(h),
                                                              c.executor_);
            w->payload.n = 1;
            w->payload.in_condition = true;
            w->payload.condition_wait = true;
            w->payload.condition = condition;
            c.ledger_.release(1);
            c.serve<false>();
        }
    };

    // notify(n) of a condition: moves up to `n` of its oldest waits to the
    // back of the acquirers (the lock is held, so none is granted yet).
    boost::system::error_code notify(list_type& condition, std::size_t n)
    {
        lock_type lock(mutex_);
        if (ledger_.available() != 0)
            return error::not_locked;
        notify_locked(condition, n);
        return {};
    }

    // The condition is destroyed: its waits re-acquire the lock and complete
    // with operation_aborted, as if cancelled; none refers to it any more.
    void close_condition(list_type& condition) noexcept
    {
        lock_type lock(mutex_);
        while (node* w = condition.pop_front())
        {
            w->payload.in_condition = false;
            w->payload.cancelled = true;
            enqueue(w);
        }
        for (node* w = acquirers_.front(); w; w = static_cast<node*>(w->next))
            if (w->payload.condition == &condition)
                w->payload.condition = nullptr;
        serve<false>();
    }

    // The execution context shuts down: a condition's waits are taken out.
    void take_condition(list_type& condition, std::vector<pending_service::orphan>& out)
    {
        lock_type lock(mutex_);
        condition.take_all(out);
    }

    // ---- completion of waiters (called by their finishers) -----------------

    template <class Handler>
    static void deliver(kind, Handler h, bool aborted, request r)
    {
        boost::system::error_code ec;
        if (aborted || r.cancelled)
            ec = asio::error::operation_aborted;
        std::move(h)(ec);
    }

    // Called by a wait's cancellation handler: an acquire stops waiting; a
    // condition wait goes (back) to the end of the acquirers, to complete
    // with operation_aborted once it holds the lock.
    void cancel(node* w)
    {
        lock_type lock(mutex_);
        request& r = w->payload;
        // The flags say which list holds the node, if any; a node completed
        // or aborted is in none, and its cancellation comes too late.
        if (r.in_condition)
        {
            r.condition->erase(w);
            r.in_condition = false;
            r.cancelled = true;
            enqueue(w);
        }
        else if (r.acquiring && !r.condition_wait)
        {
            acquirers_.erase(w);
            r.acquiring = false;
            this->finish(w, waiter_event::abort);
        }
        else if (r.acquiring)
        {
            acquirers_.erase(w);
            r.cancelled = true;
            enqueue(w);
        }
        else
            return; // already granted: the cancellation came too late
        serve<false>();
    }

    using cancellation = owner_cancellation<list_type, permit_core>;

private:
    boost::system::error_code give_back(std::size_t n, std::size_t lo, std::size_t hi)
    {
        std::size_t free = ledger_.available();
        if (free < lo || free > hi)
            return error::not_locked;
        if (!ledger_.release(n))
            return error::too_many_releases;
        return {};
    }

    void enqueue(node* w) noexcept
    {
        w->payload.acquiring = true;
        acquirers_.push_back(w);
    }

    void notify_locked(list_type& condition, std::size_t n) noexcept
    {
        for (; n != 0; --n)
        {
            node* w = condition.pop_front();
            if (!w)
                break;
            w->payload.in_condition = false;
            enqueue(w);
        }
    }

    // Grants the oldest acquirers whatever the free permits satisfy. A
    // cancelled condition wait that gets the lock passes a notification on
    // to the oldest wait of its condition, as asyncio does. A waiter whose
    // completion cannot be posted gives its permits back; with `Undo`, the
    // first such failure, if it comes before any grant, is undone (the
    // waiter is first again) and rethrown, and later ones are rethrown once
    // the rest are served; without, the waiter is destroyed with its handler.
    template <bool Undo>
    void serve()
    {
        std::exception_ptr failed;
        bool granted = false;
        while (node* w = acquirers_.front())
        {
            request& r = w->payload;
            std::size_t n = r.n;
            if (!ledger_.take_head(n))
                break;
            acquirers_.erase(w);
            r.acquiring = false;
            list_type* notify_next = r.cancelled ? r.condition : nullptr;
            try
            {
                w->fn(w, this, waiter_event::complete);
                granted = true;
            }
            catch (...)
            {
                ledger_.untake(n);
                if (Undo && !granted)
                {
                    r.acquiring = true;
                    acquirers_.push_front(w);
                    throw;
                }
                if (!failed)
                    failed = std::current_exception();
                w->fn(w, nullptr, waiter_event::destroy);
            }
            if (notify_next)
                notify_locked(*notify_next, 1);
        }
        if (Undo && failed)
            std::rethrow_exception(failed);
    }

    permit_ledger ledger_;
    list_type acquirers_;
    pending_registration<permit_core> registration_{this, executor_};
};

} // namespace boost::muster::detail

#endif
