//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_ERROR_HPP
#define BOOST_MUSTER_ERROR_HPP

#include <boost/muster/detail/config.hpp>

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <type_traits>

namespace boost::muster
{

/** The errors Muster's own operations report.

    Every value converts to a `boost::system::error_code` in
    @ref muster_category(). Messages say what happened and how to fix it.
    Values start at 1, so a default-constructed `error_code` means success.

    @since 0.1
*/
enum class error : int
{
    /// A non-blocking get found the queue empty.
    queue_empty = 1,

    /// A non-blocking put found a bounded queue full.
    queue_full,

    /// The queue was shut down: puts fail, gets fail once it is drained.
    shut_down,

    /// The operation did not complete within its timeout.
    timed_out,

    /// `task_done()` was called more often than items were put.
    unmatched_task_done,

    /// The result of a task was asked for before the task finished.
    task_not_done,

    /// An operation was started on an object that was moved from.
    moved_from,

    /// An operation has no executor to complete on: its handler has none, and
    /// neither the object nor the call named one.
    no_executor,

    /// A lock was released, or a condition waited on or notified, while the
    /// lock was not held.
    not_locked,

    /// A bounded semaphore (or a lock) was released more times than it was
    /// acquired.
    too_many_releases,

    /// A barrier wait failed: the barrier was reset or aborted.
    broken_barrier,

    /// An acquire asked for more permits than the semaphore can ever hold.
    request_too_large,

    /// A spawn on a task group that no longer accepts children: one failed,
    /// it was cancelled, or it has been joined.
    task_group_closed,

    /// A timeout scope's deadline was changed after the scope had expired.
    scope_expired,
};

/** Returns the error category of @ref error.

    The category is a constant with a fixed 64-bit identifier, so codes compare
    equal across shared-library boundaries. Its `message()` overload taking a
    buffer never allocates. `error::timed_out` is equivalent to
    `std::errc::timed_out` (and Boost's `errc::timed_out`), so code that tests
    for a generic timeout recognises Muster's.
*/
BOOST_MUSTER_DECL
const boost::system::error_category& muster_category() noexcept;

/// Makes an `error_code` of @ref muster_category() (found by ADL).
inline boost::system::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), muster_category()};
}

} // namespace boost::muster

/// @cond
template <>
struct boost::system::is_error_code_enum<boost::muster::error> : std::true_type
{
};
/// @endcond

#ifdef BOOST_MUSTER_HEADER_ONLY
#include <boost/muster/impl/error.ipp>
#endif

#endif
