//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_PERMIT_GUARD_HPP
#define BOOST_MUSTER_DETAIL_PERMIT_GUARD_HPP

#include <cstddef>
#include <utility>

namespace boost::muster::detail
{

/** Holds permits of a lock, semaphore or shared_lock, and returns them when
    destroyed: the `async with lock:` form.

    Obtained from `co_await x.scoped_acquire()` and the like. Movable, not
    copyable; the permits are returned exactly once, by the last object they
    were moved to, or earlier by @ref release.
*/
template <class Core>
class permit_guard
{
public:
    /// Holds nothing.
    permit_guard() noexcept = default;

    /// Takes over the permits `core` granted (`n` of them).
    permit_guard(Core& core, std::size_t n) noexcept : core_(&core), n_(n) {}

    /// Takes over what `other` holds; `other` then holds nothing.
    permit_guard(permit_guard&& other) noexcept
        : core_(std::exchange(other.core_, nullptr)), n_(other.n_)
    {
    }

    /// Returns what this guard holds, then takes over what `other` holds.
    permit_guard& operator=(permit_guard&& other) noexcept
    {
        if (this != &other)
        {
            release();
            core_ = std::exchange(other.core_, nullptr);
            n_ = other.n_;
        }
        return *this;
    }

    permit_guard(const permit_guard&) = delete;
    permit_guard& operator=(const permit_guard&) = delete;

    /// Returns the permits, if it still holds them.
    ~permit_guard() { release(); }

    /// True while the guard holds permits.
    bool owns() const noexcept { return core_ != nullptr; }

    /// As @ref owns.
    explicit operator bool() const noexcept { return owns(); }

    /// Returns the permits now, if it still holds them (never twice). The
    /// waiters they satisfy are granted; one whose completion cannot be
    /// allocated is destroyed with its handler.
    void release() noexcept
    {
        if (core_)
            std::exchange(core_, nullptr)->release_nothrow(n_);
    }

private:
    Core* core_ = nullptr;
    std::size_t n_ = 0;
};

} // namespace boost::muster::detail

#endif
