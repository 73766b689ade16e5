//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_IMPL_DEBUG_IPP
#define BOOST_MUSTER_IMPL_DEBUG_IPP

#include <boost/muster/debug.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <string>

namespace boost::muster
{
namespace detail
{

inline std::atomic<report_hook>& report_hook_slot() noexcept
{
    static std::atomic<report_hook> hook{&default_report_hook};
    return hook;
}

inline std::string describe(const std::exception_ptr& e)
{
    try
    {
        std::rethrow_exception(e);
    }
    catch (const std::exception& x)
    {
        return x.what();
    }
    catch (...)
    {
        return "an exception not derived from std::exception";
    }
}

// "1 item", "2 items".
inline std::string count_of(std::size_t n, const char* one, const char* many)
{
    return std::to_string(n) + ' ' + (n == 1 ? one : many);
}

inline void send_report(report& r, const std::string& message) noexcept
{
    r.message = message.c_str();
    report_hook_slot().load(std::memory_order_acquire)(r);
}

BOOST_MUSTER_DECL void report_unobserved_failure(const std::exception_ptr& e) noexcept
{
    try
    {
        report r{report_kind::unobserved_failure, nullptr, e};
        send_report(r, "boost.muster: a task failed and nobody observed its failure "
                       "(wait for the task, or read result() or exception()): " +
                           describe(e));
    }
    catch (...)
    {
        // No memory for the message: nothing can be reported.
    }
}

BOOST_MUSTER_DECL void
report_unjoined_group(std::size_t running, std::size_t failures,
                      const std::exception_ptr& first_failure) noexcept
{
    try
    {
        report r{report_kind::unjoined_task_group, nullptr, first_failure, running};
        std::string message =
            "boost.muster: a task_group was destroyed before it was joined";
        if (running != 0)
            message += "; " + count_of(running, "child", "children") +
                       " still running, now cancelled";
        if (failures != 0)
            message += "; " + count_of(failures, "failure", "failures") +
                       " that no join reported, the first: " + describe(first_failure);
        message += " (co_await async_join() before the group goes, or use "
                   "with_task_group)";
        send_report(r, message);
    }
    catch (...)
    {
    }
}

BOOST_MUSTER_DECL void report_abandoned_queue(std::size_t items,
                                              std::size_t waiters) noexcept
{
    try
    {
        report r{report_kind::abandoned_queue, nullptr, nullptr, items, waiters};
        std::string message = "boost.muster: a queue was destroyed";
        if (items != 0)
            message += " holding " + count_of(items, "item", "items") + ", now lost";
        if (waiters != 0)
            message += std::string(items != 0 ? " and" : "") + " with " +
                       count_of(waiters, "operation", "operations") +
                       " waiting, now failed with operation_aborted";
        message += " (get the items, or discard them with shutdown(true), and let "
                   "the waiting operations finish, before the queue goes)";
        send_report(r, message);
    }
    catch (...)
    {
    }
}

} // namespace detail

BOOST_MUSTER_DECL report_hook set_report_hook(report_hook hook) noexcept
{
    return detail::report_hook_slot().exchange(hook ? hook : &default_report_hook,
                                               std::memory_order_acq_rel);
}

BOOST_MUSTER_DECL void default_report_hook(const report& r) noexcept
{
    std::fputs(r.message, stderr);
    std::fputc('\n', stderr);
}

} // namespace boost::muster

#endif
