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
// Waiters complete through finishers posted to their handlers' executors,
// posted under the lock.
template <class Executor, class Mutex>
class event_core : public waiter_owner<event_core<Executor, Mutex>, Executor, Mutex>
{
    using base = waiter_owner<event_core, Executor, Mutex>;
    using base::executor_;
    using base::mutex_;

public:
    using typename base::lock_type;

    struct kind
    {
    };

    explicit event_core(const Executor& ex) : base(ex) {}

    // The object is destroyed: every wait completes with operation_aborted.
    void close() noexcept
    {
        lock_type lock(mutex_);
        this->finish_all(waiters_, waiter_event::abort);
    }

    // The execution context shuts down: every wait is taken out.
    void take_waiters(std::vector<pending_service::orphan>& out)
    {
        lock_type lock(mutex_);
        waiters_.take_all(out);
    }

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
                return e.post(std::forward<Handler>(h), boost::system::error_code());
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
    bool set_ = false;
    waiter_list<event_core, no_payload, kind> waiters_;
    pending_registration<event_core> registration_{this, executor_};
};

} // namespace boost::muster::detail

#endif
