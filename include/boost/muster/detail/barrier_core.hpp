//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_BARRIER_CORE_HPP
#define BOOST_MUSTER_DETAIL_BARRIER_CORE_HPP

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
#include <optional>
#include <vector>

namespace boost::muster::detail
{

// The state and operations of a basic_barrier: a barrier_state and the
// parties waiting. Waiters complete through finishers posted to their
// handlers' executors (waiter.hpp, "posted owners"), posted under the lock.
template <class Executor, class Mutex>
class barrier_core
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
    struct party
    {
        std::size_t index = 0;
        bool broken = false;
    };
    using list_type = waiter_list<barrier_core, party, kind>;
    using node = typename list_type::node;

    barrier_core(const Executor& ex, std::size_t parties) : executor_(ex), state_(parties)
    {
        registration_.self = this;
        registration_.take_waiters = &barrier_core::take_waiters;
        pending_service::add(&registration_, executor_);
    }

    barrier_core(const barrier_core&) = delete;
    barrier_core& operator=(const barrier_core&) = delete;
    ~barrier_core() { pending_service::remove(&registration_); }

    void retain() noexcept { refs_.retain(); }

    static void release(barrier_core* self) noexcept
    {
        if (self->refs_.drop())
            delete self;
    }

    void close() noexcept
    {
        lock_type lock(mutex_);
        while (node* w = waiters_.pop_front())
            finish(w, waiter_event::abort);
    }

    Mutex& waiters_mutex() noexcept { return mutex_; }

    const Executor& executor() const noexcept { return executor_; }
    std::size_t parties() const noexcept { return state_.parties(); }

    std::size_t waiting() const
    {
        lock_type lock(mutex_);
        return state_.waiting();
    }

    bool broken() const
    {
        lock_type lock(mutex_);
        return state_.broken();
    }

    // reset() (abort = false) or abort(): every waiting party fails with
    // broken_barrier.
    void break_waiters(bool abort) noexcept
    {
        lock_type lock(mutex_);
        if (abort)
            state_.abort();
        else
            state_.reset();
        for (node* w = waiters_.front(); w; w = w->next)
            w->payload.broken = true;
        release_waiters();
    }

    // The arrival of a party that completes at once: the index of the last
    // party (every waiter is released), or nothing if it must wait or the
    // barrier is broken (the caller then starts a wait, which reports that).
    std::optional<std::size_t> try_arrive_last()
    {
        lock_type lock(mutex_);
        barrier_state next = state_;
        auto r = next.arrive();
        if (r.action != barrier_state::arrival::release)
            return std::nullopt;
        state_ = next;
        release_waiters();
        return r.index;
    }

    struct initiate_wait
    {
        barrier_core* self;
        using executor_type = Executor;
        executor_type get_executor() const noexcept { return self->executor_; }

        template <class Handler>
        void operator()(Handler&& h) const
        {
            barrier_core& b = *self;
            lock_type lock(b.mutex_);
            barrier_state next = b.state_;
            auto r = next.arrive();
            switch (r.action)
            {
            case barrier_state::arrival::refuse:
                return b.post(std::forward<Handler>(h),
                              boost::system::error_code(error::broken_barrier),
                              std::size_t(0));
            case barrier_state::arrival::wait:
            {
                node* w = b.waiters_.template start<cancellation>(
                    b, std::forward<Handler>(h), b.executor_);
                w->payload.index = r.index;
                b.state_ = next;
                return;
            }
            case barrier_state::arrival::release:
                b.post(std::forward<Handler>(h), boost::system::error_code(), r.index);
                b.state_ = next;
                b.release_waiters();
                return;
            }
        }
    };

    template <class Handler>
    static void deliver(kind, Handler h, bool aborted, party p)
    {
        boost::system::error_code ec;
        if (aborted)
            ec = asio::error::operation_aborted;
        else if (p.broken)
            ec = error::broken_barrier;
        std::move(h)(ec, p.index);
    }

    // A waiting party was cancelled: it leaves, lowering the count.
    void cancel(node* w)
    {
        lock_type lock(mutex_);
        if (!waiters_.contains(w))
            return;
        waiters_.erase(w);
        state_.leave();
        finish(w, waiter_event::abort);
    }

    using cancellation = owner_cancellation<list_type, barrier_core>;

private:
    struct registration : pending_service::entry
    {
        barrier_core* self = nullptr;
    };

    static void take_waiters(pending_service::entry* e,
                             std::vector<pending_service::orphan>& out)
    {
        barrier_core& c = *static_cast<registration*>(e)->self;
        lock_type lock(c.mutex_);
        c.waiters_.take_all(out);
    }

    // Every waiter completes (with one post for all of them); one whose
    // completion cannot be posted is destroyed with its handler.
    void release_waiters() noexcept
    {
        try
        {
            waiters_.complete_all(*this);
        }
        catch (...)
        {
            // A party whose completion could not be posted was destroyed.
        }
    }

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

    template <class Handler, class... Args>
    void post(Handler&& h, Args&&... args)
    {
        post_completion(std::forward<Handler>(h), executor_, std::forward<Args>(args)...);
    }

    Executor executor_;
    mutable Mutex mutex_;
    [[no_unique_address]] core_refs<concurrent> refs_;
    barrier_state state_;
    list_type waiters_;
    registration registration_;
};

} // namespace boost::muster::detail

#endif
