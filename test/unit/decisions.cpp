//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The pure decision logic of the coordinating operations, driven by tables:
// no io_context, no handlers, no executor.

#include <boost/muster/detail/decisions.hpp>
#include <boost/muster/wait.hpp>

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace muster = boost::muster;
using muster::return_when;
using muster::detail::completion_order;
using muster::detail::task_outcome;
using muster::detail::timeout_verdict;

BOOST_AUTO_TEST_SUITE(decisions)

BOOST_AUTO_TEST_CASE(task_outcome_from_a_done_task)
{
    using muster::detail::task_outcome_of;
    BOOST_TEST((task_outcome_of(true, false, false) == task_outcome::value));
    BOOST_TEST((task_outcome_of(true, true, false) == task_outcome::exception));
    // A cancelled task holds an exception too, yet is not an exception.
    BOOST_TEST((task_outcome_of(true, true, true) == task_outcome::cancelled));
}

BOOST_AUTO_TEST_CASE(wait_resolution_table)
{
    struct row
    {
        return_when when;
        std::size_t still_waiting;
        task_outcome outcome;
        bool resolves;
    };
    const row rows[] = {
        // all_completed: only when nothing is left to wait for
        {return_when::all_completed, 2, task_outcome::value, false},
        {return_when::all_completed, 1, task_outcome::exception, false},
        {return_when::all_completed, 1, task_outcome::cancelled, false},
        {return_when::all_completed, 0, task_outcome::value, true},
        // first_completed: any ending
        {return_when::first_completed, 5, task_outcome::value, true},
        {return_when::first_completed, 5, task_outcome::exception, true},
        {return_when::first_completed, 5, task_outcome::cancelled, true},
        // first_exception: a real exception, or the last task
        {return_when::first_exception, 3, task_outcome::value, false},
        {return_when::first_exception, 3, task_outcome::cancelled, false},
        {return_when::first_exception, 3, task_outcome::exception, true},
        {return_when::first_exception, 0, task_outcome::value, true},
        {return_when::first_exception, 0, task_outcome::cancelled, true},
    };
    for (const row& r : rows)
    {
        BOOST_TEST_CONTEXT("when " << int(r.when) << ", waiting " << r.still_waiting
                                   << ", outcome " << int(r.outcome))
        {
            BOOST_TEST(muster::detail::wait_resolves(r.when, r.still_waiting,
                                                     r.outcome) == r.resolves);
        }
    }
}

BOOST_AUTO_TEST_CASE(wait_for_outcome_table)
{
    using muster::detail::timeout_outcome;
    // expired, inner aborted -> verdict
    BOOST_TEST((timeout_outcome(false, false) == timeout_verdict::deliver));
    // Cancelled from outside, not by the expiry: the cancellation as is.
    BOOST_TEST((timeout_outcome(false, true) == timeout_verdict::deliver));
    // The expiry cancelled it and it reported that: a timeout.
    BOOST_TEST((timeout_outcome(true, true) == timeout_verdict::timed_out));
    // It completed anyway, with a value or another failure: never dropped.
    BOOST_TEST((timeout_outcome(true, false) == timeout_verdict::deliver));
}

// Renders a sequence of answers, so a table row reads as a string.
std::string render(completion_order& order, int answers)
{
    std::string s;
    for (int i = 0; i != answers; ++i)
    {
        auto a = order.next();
        switch (a.what)
        {
        case completion_order::kind::none:
            s += "- ";
            break;
        case completion_order::kind::task:
            s += std::to_string(a.index) + " ";
            break;
        case completion_order::kind::timed_out:
            s += "T ";
            break;
        case completion_order::kind::eof:
            s += "E ";
            break;
        case completion_order::kind::aborted:
            s += "A ";
            break;
        }
    }
    return s;
}

BOOST_AUTO_TEST_CASE(as_completed_order_table)
{
    // Each row: tasks, events ('0'..'9' a task finishes, 'x' the deadline
    // passes, 'c' close), then answers asked for, and the expected answers.
    struct row
    {
        std::size_t tasks;
        const char* events;
        int answers;
        const char* expected;
    };
    const row rows[] = {
        {3, "201", 4, "2 0 1 E "},  // completion order, then end
        {3, "", 1, "- "},           // nothing done: wait
        {0, "", 2, "E E "},         // an empty set ends at once, and stays ended
        {3, "1x", 4, "1 T T E "},   // done before the deadline first, then timeouts
        {3, "1x02", 4, "1 T T E "}, // what finishes after the deadline is a timeout
        {2, "x", 3, "T T E "},      // deadline with nothing done
        {3, "0c", 2, "A A "},       // closed: everything aborted, even what was ready
        {2, "cx", 1, "A "},         // a deadline after close changes nothing
        {2, "10", 1, "1 "},         // one answer consumes one task
    };
    for (const row& r : rows)
    {
        BOOST_TEST_CONTEXT("tasks " << r.tasks << ", events \"" << r.events << "\"")
        {
            completion_order order(r.tasks);
            for (const char* e = r.events; *e; ++e)
            {
                if (*e == 'x')
                    order.expire();
                else if (*e == 'c')
                    order.close();
                else
                    order.finished(std::size_t(*e - '0'));
            }
            BOOST_TEST(render(order, r.answers) == r.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(as_completed_ready_and_remaining)
{
    completion_order order(2);
    BOOST_TEST(!order.ready());
    BOOST_TEST(order.remaining() == 2u);
    order.finished(1);
    BOOST_TEST(order.ready());
    BOOST_TEST(
        (order.next() == completion_order::answer_type{completion_order::kind::task, 1}));
    BOOST_TEST(order.remaining() == 1u);
    BOOST_TEST(!order.ready());
    order.expire();
    BOOST_TEST(order.ready());
    BOOST_TEST((order.next().what == completion_order::kind::timed_out));
    BOOST_TEST(order.remaining() == 0u);
    BOOST_TEST((order.next().what == completion_order::kind::eof));
}

BOOST_AUTO_TEST_SUITE_END()
