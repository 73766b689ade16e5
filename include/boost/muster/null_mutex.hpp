//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_NULL_MUTEX_HPP
#define BOOST_MUSTER_NULL_MUTEX_HPP

namespace boost::muster
{

/** The `Mutex` policy of Muster's single-threaded objects: locking does
    nothing, and an object made with it pays nothing for the thread safety of
    its `concurrent_` sibling, made with `std::mutex`.

    Use such an object from one thread at a time (the thread running its
    executor, or a strand).

    @since 0.1
*/
struct null_mutex
{
    /// Does nothing.
    void lock() noexcept {}
    /// Does nothing.
    void unlock() noexcept {}
    /// Returns true.
    bool try_lock() noexcept { return true; }
};

} // namespace boost::muster

#endif
