//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_DEADLINE_HPP
#define BOOST_MUSTER_DETAIL_DEADLINE_HPP

#include <boost/muster/detail/deadline_service.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>

#include <chrono>
#include <utility>

namespace boost::muster::detail
{

// One operation's deadline, kept by its context's deadline_service: the one
// timeout mechanism of every Muster operation. On expiry, ref->on_deadline()
// runs, posted to the owner's executor. If the context
// shuts down first, ref->on_deadline_abandoned() is called instead (from the
// service, or when the posted expiry is destroyed uninvoked).
//
// Ref is how the expiry refers to its owner: a raw pointer for states that
// count the deadline among their outstanding operations, a shared_ptr for
// states kept alive by their references.
template <class Ref>
class deadline
{
public:
    using clock = deadline_service::clock;

    deadline() = default;
    deadline(const deadline&) = delete;
    deadline& operator=(const deadline&) = delete;
    ~deadline() { disarm(); }

    // True from arm() until the expiry was delivered, disarmed or abandoned.
    bool armed() const noexcept { return armed_; }

    // Arms the deadline `timeout` from now on the service of `where`'s
    // context; the expiry runs on `complete_on` (the owner's executor, where
    // its other completions run).
    void arm(Ref owner, const asio::any_io_executor& where,
             const asio::any_io_executor& complete_on, clock::duration timeout)
    {
        arm_impl(std::move(owner), where, complete_on, deadline_service::after(timeout),
                 timeout <= clock::duration::zero());
    }

    // As arm(), at the time point `when`. One already past expires at once:
    // the expiry is posted now, as asyncio's call_soon, rather than after a
    // pass of the shared timer.
    void arm_at(Ref owner, const asio::any_io_executor& where,
                const asio::any_io_executor& complete_on, clock::time_point when)
    {
        arm_impl(std::move(owner), where, complete_on, when, when <= clock::now());
    }

    // Removes the deadline if it has not expired yet; returns whether it did
    // (then neither on_deadline nor on_deadline_abandoned will come).
    bool disarm() noexcept
    {
        if (armed_ && service_->remove(&entry_))
        {
            armed_ = false;
            owner_ = Ref();
            return true;
        }
        return false;
    }

private:
    using self_type = deadline;

    // `due`: already expired, posted at once.
    void arm_impl(Ref owner, const asio::any_io_executor& where,
                  const asio::any_io_executor& complete_on, clock::time_point when,
                  bool due)
    {
        auto& ctx = asio::query(where, asio::execution::context);
        service_ = &asio::use_service<deadline_service>(ctx);
        entry_.deadline = when;
        entry_.expire = &deadline::expire;
        entry_.abandon = &deadline::abandon;
        entry_.self = this;
        ex_ = complete_on;
        owner_ = std::move(owner);
        armed_ = true;
        if (due)
        {
            posting_ = true;
            try
            {
                asio::post(ex_, expiry(this));
            }
            catch (...)
            {
                posting_ = false;
                armed_ = false;
                owner_ = Ref();
                throw;
            }
            posting_ = false;
            return;
        }
        try
        {
            service_->add(&entry_, where);
        }
        catch (...)
        {
            service_->remove(&entry_);
            armed_ = false;
            owner_ = Ref();
            throw;
        }
    }

    struct entry_type : deadline_service::entry
    {
        self_type* self = nullptr;
    };

    // The posted expiry; only the newest moved-to copy counts.
    class expiry
    {
    public:
        explicit expiry(self_type* d) noexcept : d_(d) {}
        expiry(expiry&& o) noexcept : d_(std::exchange(o.d_, nullptr)) {}
        expiry& operator=(expiry&&) = delete;
        ~expiry()
        {
            // Not while arm_at() posts it: a failed post throws from there.
            if (d_ && !d_->posting_)
                d_->finish()->on_deadline_abandoned();
        }
        void operator()() { std::exchange(d_, nullptr)->finish()->on_deadline(); }

    private:
        self_type* d_;
    };

    // Ends the deadline; returns its owner, which may destroy this object.
    Ref finish() noexcept
    {
        armed_ = false;
        return std::move(owner_);
    }

    static void expire(deadline_service::entry* e)
    {
        self_type* self = static_cast<entry_type*>(e)->self;
        asio::post(self->ex_, expiry(self));
    }

    static void abandon(deadline_service::entry* e) noexcept
    {
        static_cast<entry_type*>(e)->self->finish()->on_deadline_abandoned();
    }

    entry_type entry_;
    deadline_service* service_ = nullptr;
    Ref owner_{};
    asio::any_io_executor ex_;
    bool armed_ = false;
    bool posting_ = false;
};

} // namespace boost::muster::detail

#endif
