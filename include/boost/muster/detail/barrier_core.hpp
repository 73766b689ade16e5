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
// handlers' executors, posted under the lock.
template <class Executor, class Mutex>
class barrier_core : public waiter_owner<barrier_core<Executor, Mutex>, Executor, Mutex>
{
    using base = waiter_owner<barrier_core, Executor, Mutex>;
    using base::executor_;
    using base::mutex_;

public:
    using typename base::lock_type;

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

    barrier_core(const Executor& ex, std::size_t parties) : base(ex), state_(parties) {}

    // The object is destroyed: every waiting party completes with
    // operation_aborted.
    void close() noexcept
    {
        lock_type lock(mutex_);
        this->finish_all(waiters_, waiter_event::abort);
    }

    // The execution context shuts down: every waiting party is taken out.
    void take_waiters(std::vector<pending_service::orphan>& out)
    {
        lock_type lock(mutex_);
        waiters_.take_all(out);
    }

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
        this->finish_all(waiters_, waiter_event::complete);
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
        this->finish_all(waiters_, waiter_event::complete);
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
                b.finish_all(b.waiters_, waiter_event::complete);
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
        this->finish(w, waiter_event::abort);
    }

    using cancellation = owner_cancellation<list_type, barrier_core>;

private:
    barrier_state state_;
    list_type waiters_;
    pending_registration<barrier_core> registration_{this, executor_};
};

} // namespace boost::muster::detail

#endif
