//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DEBUG_HPP
#define BOOST_MUSTER_DEBUG_HPP

#include <boost/muster/detail/config.hpp>

#include <cstddef>
#include <exception>

namespace boost::muster
{

/// What a debug report is about.
enum class report_kind
{
    /// A task failed, and nobody waited for it or read its result before
    /// its last handle went (asyncio: "Task exception was never retrieved").
    unobserved_failure,

    /// A task group that had children was destroyed before a join completed;
    /// the children still running were cancelled.
    unjoined_task_group,

    /// A queue was destroyed holding items, or with operations waiting on
    /// it; the items are destroyed, and the operations fail with
    /// `operation_aborted`.
    abandoned_queue,
};

/** A debug report: something a program almost certainly did not mean to do,
    that loses a result or an error silently.

    Reports are made only when `BOOST_MUSTER_DEBUG_REPORTS` is 1: by default
    when `NDEBUG` is not defined. Otherwise no check is compiled in, and none
    of this costs anything.
*/
struct report
{
    /// What happened.
    report_kind kind;

    /// One line of text that says what happened and what to do, without a
    /// trailing newline; valid while the hook runs.
    const char* message;

    /// The failure nobody saw: the task's (`unobserved_failure`), or the
    /// first failure of a group's children that no join reported (null if
    /// none).
    std::exception_ptr error;

    /// The children still running (`unjoined_task_group`), or the items
    /// held (`abandoned_queue`).
    std::size_t count = 0;

    /// The operations that were waiting (`abandoned_queue`).
    std::size_t waiters = 0;
};

/// The function a report goes to. It is called where the report arises --
/// often from a destructor -- so it must not throw, and it may be called
/// from any thread that runs Muster code.
using report_hook = void (*)(const report&) noexcept;

/** Sets the function that receives debug reports, for the whole program.

    @param hook The new hook, or `nullptr` for @ref default_report_hook.
    @returns The previous hook (never `nullptr`).

    @par Thread safety
    May be called from any thread; a report made concurrently goes to the old
    or the new hook.
*/
BOOST_MUSTER_DECL report_hook set_report_hook(report_hook hook) noexcept;

/** The hook in effect until @ref set_report_hook is called: writes the
    report's message and a newline to `stderr`.
*/
BOOST_MUSTER_DECL void default_report_hook(const report& r) noexcept;

/// Whether debug reports are compiled in (`BOOST_MUSTER_DEBUG_REPORTS`).
inline constexpr bool debug_reports = BOOST_MUSTER_DEBUG_REPORTS != 0;

namespace detail
{

// Reports that a task's failure was never observed.
BOOST_MUSTER_DECL void report_unobserved_failure(const std::exception_ptr& e) noexcept;

// Reports a task group destroyed unjoined, with `running` children still
// running and `first_failure` not reported by a join.
BOOST_MUSTER_DECL void
report_unjoined_group(std::size_t running, std::size_t failures,
                      const std::exception_ptr& first_failure) noexcept;

// Reports a queue destroyed holding `items`, with `waiters` waiting.
BOOST_MUSTER_DECL void report_abandoned_queue(std::size_t items,
                                              std::size_t waiters) noexcept;

} // namespace detail
} // namespace boost::muster

#ifdef BOOST_MUSTER_HEADER_ONLY
#include <boost/muster/impl/debug.ipp>
#endif

#endif
