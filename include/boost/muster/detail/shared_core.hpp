//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_SHARED_CORE_HPP
#define BOOST_MUSTER_DETAIL_SHARED_CORE_HPP

#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/waiter.hpp>
#include <boost/muster/null_mutex.hpp>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <type_traits>
#include <utility>

// How the primitives that keep waiting operations (queues, locks, events,
// barriers) hold their state. A single-threaded object keeps its core in
// place. A concurrent one (any Mutex but null_mutex) allocates it and counts
// references: the object holds one and every waiting operation one, so a
// cancellation emitted on another thread after the object's destruction
// still finds the state it locks.

namespace boost::muster::detail
{

template <class Mutex>
inline constexpr bool is_concurrent_v = !std::is_same_v<Mutex, null_mutex>;

// The reference count of a core; nothing for a single-threaded one.
template <bool Concurrent>
class core_refs
{
public:
    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }

    // True when the last reference was dropped.
    bool drop() noexcept { return refs_.fetch_sub(1, std::memory_order_acq_rel) == 1; }

private:
    std::atomic<std::size_t> refs_{1}; // the owning object's
};

template <>
class core_refs<false>
{
public:
    void retain() noexcept {}
    bool drop() noexcept { return false; }
};

// What every core whose waiters complete through posted finishers
// (waiter.hpp, "posted owners") has: its executor, its lock, its reference
// count, and the two ways it completes a waiter or a caller.
template <class Derived, class Executor, class Mutex>
class waiter_owner
{
public:
    static constexpr bool posted_waiters = true;
    static constexpr bool concurrent = is_concurrent_v<Mutex>;
    static constexpr bool waiters_hold_owner = concurrent;
    using mutex_type = Mutex;
    using executor_type = Executor;
    using lock_type = std::lock_guard<Mutex>;

    explicit waiter_owner(const Executor& ex) : executor_(ex) {}
    waiter_owner(const waiter_owner&) = delete;
    waiter_owner& operator=(const waiter_owner&) = delete;

    void add_ref() noexcept { refs_.retain(); }

    static void drop_ref(Derived* self) noexcept
    {
        if (self->refs_.drop())
            delete self;
    }

    Mutex& waiters_mutex() const noexcept { return mutex_; }
    const Executor& executor() const noexcept { return executor_; }

protected:
    ~waiter_owner() = default;

    // Posts the completion of `w`, already unlinked; one that cannot be
    // posted is destroyed with its handler.
    template <class Node>
    void finish(Node* w, waiter_event ev) noexcept
    {
        try
        {
            w->fn(w, static_cast<Derived*>(this), ev);
        }
        catch (...)
        {
            w->fn(w, nullptr, waiter_event::destroy);
        }
    }

    // Completes every waiter of `list`, with one post per execution context;
    // one whose completion cannot be posted is destroyed with its handler.
    template <class List>
    void finish_all(List& list, waiter_event ev) noexcept
    {
        try
        {
            if (ev == waiter_event::abort)
                list.abort_all(static_cast<Derived&>(*this));
            else
                list.complete_all(static_cast<Derived&>(*this));
        }
        catch (...)
        {
            // Each waiter that failed was destroyed; the others completed.
        }
    }

    // The immediate path: a caller's handler, posted.
    template <class Handler, class... Args>
    void post(Handler&& h, Args&&... args)
    {
        post_completion(std::forward<Handler>(h), executor_, std::forward<Args>(args)...);
    }

    Executor executor_;
    mutable Mutex mutex_;

private:
    [[no_unique_address]] core_refs<concurrent> refs_;
};

// Where an object keeps its Core: in place, or on the heap when the core is
// shared with the operations waiting on it. Destroying the holder calls
// close(), which aborts every waiting operation.
template <class Core, bool Shared = Core::concurrent>
class core_holder
{
public:
    template <class... Args>
    explicit core_holder(Args&&... args) : core_(std::forward<Args>(args)...)
    {
    }
    core_holder(const core_holder&) = delete;
    core_holder& operator=(const core_holder&) = delete;
    ~core_holder() { core_.close(); }
    Core& get() noexcept { return core_; }
    const Core& get() const noexcept { return core_; }

private:
    Core core_;
};

template <class Core>
class core_holder<Core, true>
{
public:
    template <class... Args>
    explicit core_holder(Args&&... args) : core_(new Core(std::forward<Args>(args)...))
    {
    }
    core_holder(const core_holder&) = delete;
    core_holder& operator=(const core_holder&) = delete;
    ~core_holder()
    {
        core_->close();
        Core::drop_ref(core_);
    }
    Core& get() noexcept { return *core_; }
    const Core& get() const noexcept { return *core_; }

private:
    Core* core_;
};

} // namespace boost::muster::detail

#endif
