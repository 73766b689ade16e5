//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_IMPL_ERROR_IPP
#define BOOST_MUSTER_IMPL_ERROR_IPP

#include <boost/muster/error.hpp>

#include <boost/system/errc.hpp>
#include <boost/system/error_condition.hpp>

#include <cstring>
#include <string>

namespace boost::muster
{
namespace detail
{

inline const char* error_message(int ev) noexcept
{
    switch (static_cast<error>(ev))
    {
    case error::queue_empty:
        return "the queue is empty: a non-blocking get found no item "
               "(use async_get to wait for one)";
    case error::queue_full:
        return "the queue is full: a non-blocking put found maxsize items "
               "(use async_put to wait for room, or raise maxsize)";
    case error::shut_down:
        return "the queue was shut down: puts are refused and gets fail once "
               "the remaining items are drained";
    case error::timed_out:
        return "the operation timed out: it did not complete before its "
               "timeout expired (raise the timeout, or handle timed_out)";
    case error::unmatched_task_done:
        return "task_done() was called more times than items were put in the "
               "queue (call it once per item taken with get)";
    case error::task_not_done:
        return "the task has not finished yet: its result is not available "
               "(wait for it with async_wait, or check done() first)";
    case error::moved_from:
        return "the object was moved from and refers to nothing: start the "
               "operation on the object it was moved to";
    case error::no_executor:
        return "the operation has no executor to complete on: bind one to the "
               "handler (asio::bind_executor) or pass one when creating the object";
    case error::not_locked:
        return "the lock is not held: release it, or wait on or notify a "
               "condition bound to it, only after acquiring it";
    case error::too_many_releases:
        return "released more times than acquired: a bounded semaphore cannot "
               "rise above its initial value (release once per acquire)";
    case error::broken_barrier:
        return "the barrier is broken: it was reset or aborted while this party "
               "waited, or was aborted before it arrived";
    case error::request_too_large:
        return "the acquire asks for more permits than the semaphore can ever "
               "hold, so it could never be granted (ask for at most its bound)";
    case error::task_group_closed:
        return "the task group accepts no more children: a child failed, it was "
               "cancelled, or it has been joined; the awaitable was not started "
               "(spawn before joining, or use a new group)";
    case error::scope_expired:
        return "the timeout scope has already expired: its deadline can no "
               "longer change (reschedule before it fires, or check expired())";
    }
    return "unknown boost.muster error";
}

class muster_error_category final : public boost::system::error_category
{
public:
    // "muster" in ASCII, followed by 0x0001: fixed so codes compare equal
    // across shared-library boundaries.
    constexpr muster_error_category() noexcept
        : boost::system::error_category(0x6d75737465720001ULL)
    {
    }

    const char* name() const noexcept override { return "boost.muster"; }

    std::string message(int ev) const override { return error_message(ev); }

    char const* message(int ev, char*, std::size_t) const noexcept override
    {
        return error_message(ev);
    }

    // A timeout is a timeout: generic code testing errc::timed_out sees it.
    boost::system::error_condition default_error_condition(int ev) const noexcept override
    {
        if (static_cast<error>(ev) == error::timed_out)
            return boost::system::errc::make_error_condition(
                boost::system::errc::timed_out);
        return boost::system::error_condition(ev, *this);
    }
};

} // namespace detail

BOOST_MUSTER_DECL
const boost::system::error_category& muster_category() noexcept
{
    static constexpr detail::muster_error_category instance;
    return instance;
}

} // namespace boost::muster

#endif
