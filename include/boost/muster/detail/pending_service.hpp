//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_PENDING_SERVICE_HPP
#define BOOST_MUSTER_DETAIL_PENDING_SERVICE_HPP

#include <boost/asio/execution/context.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/query.hpp>

#include <mutex>
#include <utility>
#include <vector>

namespace boost::muster::detail
{

// Makes the objects that keep waiting operations (queues, as_completed)
// known to their execution context, as Asio's channel service does: when
// the context shuts down, every waiting operation is destroyed with its
// handler, uninvoked. Without it, a coroutine that owns a queue and waits on
// it would keep itself alive (frame -> queue -> waiting node -> handler ->
// frame) past the context's destruction.
class pending_service : public asio::execution_context::service
{
public:
    // A waiting operation taken out of its owner: destroy(node) frees it and
    // its handler.
    struct orphan
    {
        void* node;
        void (*destroy)(void*) noexcept;
    };

    // Registered by an object that keeps waiting operations.
    struct entry
    {
        entry* prev = nullptr;
        entry* next = nullptr;
        pending_service* service = nullptr;
        // Unlinks every waiting operation of the object into `out`, without
        // destroying any (destroying a handler may destroy other objects).
        void (*take_waiters)(entry*, std::vector<orphan>& out) = nullptr;
    };

    static inline asio::execution_context::id id;

    explicit pending_service(asio::execution_context& ctx)
        : asio::execution_context::service(ctx)
    {
    }

    template <class Executor>
    static void add(entry* e, const Executor& ex)
    {
        auto& ctx = asio::query(ex, asio::execution::context);
        asio::use_service<pending_service>(ctx).link(e);
    }

    static void remove(entry* e) noexcept
    {
        if (pending_service* s = e->service)
            s->unlink(e);
    }

private:
    void link(entry* e)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (shut_down_)
            return;
        e->service = this;
        e->prev = nullptr;
        e->next = head_;
        if (head_)
            head_->prev = e;
        head_ = e;
    }

    void unlink(entry* e) noexcept
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (e->service != this)
            return;
        (e->prev ? e->prev->next : head_) = e->next;
        if (e->next)
            e->next->prev = e->prev;
        e->prev = e->next = nullptr;
        e->service = nullptr;
    }

    // First every waiting operation of every object is taken out, then they
    // are destroyed: destroying one may destroy objects (a coroutine frame
    // owning a queue) that the first pass no longer touches.
    void shutdown() override
    {
        std::vector<orphan> orphans;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            shut_down_ = true;
            for (entry* e = head_; e; e = e->next)
                e->take_waiters(e, orphans);
            while (entry* e = head_)
            {
                head_ = e->next;
                e->prev = e->next = nullptr;
                e->service = nullptr;
            }
        }
        for (const orphan& o : orphans)
            o.destroy(o.node);
    }

    std::mutex mutex_;
    entry* head_ = nullptr;
    bool shut_down_ = false;
};

// An Owner's registration with the pending_service of its executor's
// context, for the life of this member; declare it last, so that it is made
// after the lists it exposes and removed before they go. At shutdown it calls
// owner->take_waiters(out).
template <class Owner>
class pending_registration : pending_service::entry
{
public:
    template <class Executor>
    pending_registration(Owner* owner, const Executor& ex) : owner_(owner)
    {
        this->take_waiters = &pending_registration::take;
        pending_service::add(this, ex);
    }

    pending_registration(const pending_registration&) = delete;
    pending_registration& operator=(const pending_registration&) = delete;
    ~pending_registration() { pending_service::remove(this); }

private:
    static void take(pending_service::entry* e, std::vector<pending_service::orphan>& out)
    {
        static_cast<pending_registration*>(e)->owner_->take_waiters(out);
    }

    Owner* owner_;
};

} // namespace boost::muster::detail

#endif
