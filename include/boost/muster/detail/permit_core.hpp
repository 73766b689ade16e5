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
// through finishers posted to their handlers' executors (waiter.hpp, "posted
// owners"), posted under the lock.
template <class Executor, class Mutex>
class permit_core
{
public:
    static constexpr bool posted_waiters = true;
    static constexpr bool concurrent = is_concurrent_v<Mutex>;
    static constexpr bool waiters_hold_owner = concurrent;
    using mutex_type = Mutex;
    using executor_type = Executor;
    using lock_type = std::lock_guard<Mutex>;

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
        : executor_(ex), ledger_(initial, bound)
    {
        registration_.self = this;
        registration_.take_waiters = &permit_core::take_waiters;
        pending_service::add(&registration_, executor_);
    }

    permit_core(const permit_core&) = delete;
    permit_core& operator=(const permit_core&) = delete;
    ~permit_core() { pending_service::remove(&registration_); }

    // ---- lifetime ----------------------------------------------------------

    void retain() noexcept { refs_.retain(); }

    static void release(permit_core* self) noexcept
    {
        if (self->refs_.drop())
            delete self;
    }

    // The object is destroyed: every acquirer completes with
    // operation_aborted (a condition bound to it must be destroyed first).
    void close() noexcept
    {
        lock_type lock(mutex_);
        while (node* w = acquirers_.pop_front())
            finish(w, waiter_event::abort);
    }

    Mutex& waiters_mutex() noexcept { return mutex_; }

    // ---- observers ---------------------------------------------------------

    const Executor& executor() const noexcept { return executor_; }

    std::size_t available() const
    {
        lock_type lock(mutex_);
        return ledger_.available();
    }

    std::size_t bound() const noexcept { return ledger_.bound(); }

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
    // too_many_releases if the release would exceed the bound. If a waiter's
    // completion cannot be posted (std::bad_alloc from its handler's
    // allocator), that waiter is first again, the permits stay released, and
    // the exception propagates.
    boost::system::error_code release(std::size_t n, std::size_t lo = 0,
                                      std::size_t hi = std::size_t(-1))
    {
        lock_type lock(mutex_);
        if (auto ec = give_back(n, lo, hi))
            return ec;
        serve<true>();
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
            finish(w, waiter_event::abort);
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
    struct registration : pending_service::entry
    {
        permit_core* self = nullptr;
    };

    static void take_waiters(pending_service::entry* e,
                             std::vector<pending_service::orphan>& out)
    {
        permit_core& c = *static_cast<registration*>(e)->self;
        lock_type lock(c.mutex_);
        c.acquirers_.take_all(out);
    }

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

    // Posts the completion of `w`, already unlinked; one that cannot be
    // posted is destroyed with its handler.
    void finish(node* w, waiter_event ev) noexcept
    {
        try
        {
            w->fn(w, this, ev);
        }
        catch (...)
        {
            w->fn(w, nullptr, waiter_event::destroy);
        }
    }

    // Grants the oldest acquirers whatever the free permits satisfy. A
    // cancelled condition wait that gets the lock passes a notification on
    // to the oldest wait of its condition, as asyncio does.
    template <bool Throw>
    void serve()
    {
        while (node* w = acquirers_.front())
        {
            request& r = w->payload;
            if (!ledger_.take_head(r.n))
                return;
            acquirers_.erase(w);
            r.acquiring = false;
            list_type* notify_next = r.cancelled ? r.condition : nullptr;
            if constexpr (Throw)
            {
                try
                {
                    w->fn(w, this, waiter_event::complete);
                }
                catch (...)
                {
                    ledger_.untake(r.n);
                    r.acquiring = true;
                    acquirers_.push_front(w);
                    throw;
                }
            }
            else
                finish(w, waiter_event::complete);
            if (notify_next)
                notify_locked(*notify_next, 1);
        }
    }

    template <class Handler, class... Args>
    void post(Handler&& h, Args&&... args)
    {
        post_completion(std::forward<Handler>(h), executor_, std::forward<Args>(args)...);
    }

    Executor executor_;
    mutable Mutex mutex_;
    [[no_unique_address]] core_refs<concurrent> refs_;
    permit_ledger ledger_;
    list_type acquirers_;
    registration registration_;
};

} // namespace boost::muster::detail

#endif
