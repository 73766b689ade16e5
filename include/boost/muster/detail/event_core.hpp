//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_EVENT_CORE_HPP
#define BOOST_MUSTER_DETAIL_EVENT_CORE_HPP

#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/pending_service.hpp>
#include <boost/muster/detail/shared_core.hpp>
#include <boost/muster/detail/waiter.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include <mutex>
#include <vector>

namespace boost::muster::detail
{

// The state and operations of a basic_event: a flag and the waits for it.
// Waiters complete through finishers posted to their handlers' executors
// (waiter.hpp, "posted owners"), posted under the lock.
template <class Executor, class Mutex>
class event_core
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

    explicit event_core(const Executor& ex) : executor_(ex)
    {
        registration_.self = this;
        registration_.take_waiters = &event_core::take_waiters;
        pending_service::add(&registration_, executor_);
    }

    event_core(const event_core&) = delete;
    event_core& operator=(const event_core&) = delete;
    ~event_core() { pending_service::remove(&registration_); }

    void retain() noexcept { refs_.retain(); }

    static void release(event_core* self) noexcept
    {
        if (self->refs_.drop())
            delete self;
    }

    void close() noexcept
    {
        lock_type lock(mutex_);
        try
        {
            waiters_.abort_all(*this);
        }
        catch (...)
        {
            // A wait whose completion could not be posted was destroyed.
        }
    }

    Mutex& waiters_mutex() noexcept { return mutex_; }

    const Executor& executor() const noexcept { return executor_; }

    bool is_set() const
    {
        lock_type lock(mutex_);
        return set_;
    }

    // Every current wait completes, even if one cannot be posted (that one
    // is destroyed with its handler, and the first such exception rethrown).
    void set()
    {
        lock_type lock(mutex_);
        set_ = true;
        waiters_.complete_all(*this);
    }

    void clear()
    {
        lock_type lock(mutex_);
        set_ = false;
    }

    struct initiate_wait
    {
        event_core* self;
        using executor_type = Executor;
        executor_type get_executor() const noexcept { return self->executor_; }

        template <class Handler>
        void operator()(Handler&& h) const
        {
            event_core& e = *self;
            lock_type lock(e.mutex_);
            if (e.set_)
                return post_completion(std::forward<Handler>(h), e.executor_,
                                       boost::system::error_code());
            e.waiters_.start(e, std::forward<Handler>(h), e.executor_);
        }
    };

    template <class Handler>
    static void deliver(kind, Handler h, bool aborted, no_payload)
    {
        boost::system::error_code ec;
        if (aborted)
            ec = asio::error::operation_aborted;
        std::move(h)(ec);
    }

private:
    struct registration : pending_service::entry
    {
        event_core* self = nullptr;
    };

    static void take_waiters(pending_service::entry* e,
                             std::vector<pending_service::orphan>& out)
    {
        event_core& c = *static_cast<registration*>(e)->self;
        lock_type lock(c.mutex_);
        c.waiters_.take_all(out);
    }

    Executor executor_;
    mutable Mutex mutex_;
    [[no_unique_address]] core_refs<concurrent> refs_;
    bool set_ = false;
    waiter_list<event_core, no_payload, kind> waiters_;
    registration registration_;
};

} // namespace boost::muster::detail

#endif
