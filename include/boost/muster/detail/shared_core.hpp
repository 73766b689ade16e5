//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_SHARED_CORE_HPP
#define BOOST_MUSTER_DETAIL_SHARED_CORE_HPP

#include <boost/muster/null_mutex.hpp>

#include <atomic>
#include <cstddef>
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
        Core::release(core_);
    }
    Core& get() noexcept { return *core_; }
    const Core& get() const noexcept { return *core_; }

private:
    Core* core_;
};

} // namespace boost::muster::detail

#endif
