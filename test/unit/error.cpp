//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/muster/error.hpp>

#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <set>
#include <string>
#include <system_error>

namespace muster = boost::muster;
using boost::system::error_code;

BOOST_AUTO_TEST_SUITE(error_codes)

BOOST_AUTO_TEST_CASE(enum_converts_to_error_code_of_muster_category)
{
    error_code ec = muster::error::queue_full;
    BOOST_TEST(ec.value() == static_cast<int>(muster::error::queue_full));
    BOOST_TEST(&ec.category() == &muster::muster_category());
    BOOST_TEST((ec == muster::error::queue_full));
    BOOST_TEST((ec != muster::error::queue_empty));
    BOOST_TEST(std::string(ec.category().name()) == "boost.muster");
}

BOOST_AUTO_TEST_CASE(values_start_at_one)
{
    BOOST_TEST(static_cast<int>(muster::error::queue_empty) == 1);
    BOOST_TEST(!error_code());
    BOOST_TEST(!!error_code(muster::error::queue_empty));
}

BOOST_AUTO_TEST_CASE(every_error_has_its_own_helpful_message)
{
    const muster::error all[] = {
        muster::error::queue_empty,         muster::error::queue_full,
        muster::error::shut_down,           muster::error::timed_out,
        muster::error::unmatched_task_done, muster::error::task_not_done,
        muster::error::moved_from,          muster::error::no_executor,
        muster::error::not_locked,          muster::error::too_many_releases,
        muster::error::broken_barrier,      muster::error::request_too_large,
        muster::error::task_group_closed,   muster::error::scope_expired,
    };
    const char* must_mention[] = {
        "empty",        "full",         "shut down",        "timed out",      "task_done",
        "not finished", "moved from",   "no executor",      "not held",       "released",
        "broken",       "more permits", "no more children", "already expired"};
    std::set<std::string> seen;
    for (std::size_t i = 0; i != std::size(all); ++i)
    {
        error_code ec = all[i];
        BOOST_TEST_CONTEXT("error " << ec.value())
        {
            std::string msg = ec.message();
            BOOST_TEST(msg.find(must_mention[i]) != std::string::npos, msg);
            // The non-allocating overload returns the same text.
            char buf[8];
            BOOST_TEST(std::string(ec.category().message(ec.value(), buf, sizeof buf)) ==
                       msg);
            BOOST_TEST(seen.insert(msg).second, "duplicate message: " << msg);
        }
    }
    BOOST_TEST(error_code(99, muster::muster_category()).message() ==
               "unknown boost.muster error");
}

BOOST_AUTO_TEST_CASE(unmatched_task_done_says_what_to_do)
{
    std::string msg = error_code(muster::error::unmatched_task_done).message();
    BOOST_TEST(msg.find("more times than items were put") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(category_has_fixed_id_and_compares_by_it)
{
    // A copy of the category object with the same id compares equal: what
    // makes codes from two shared libraries compare equal.
    const auto& cat = muster::muster_category();
    BOOST_TEST((cat == muster::muster_category()));
    BOOST_TEST((cat != boost::system::generic_category()));
#ifdef BOOST_MUSTER_HEADER_ONLY
    const muster::detail::muster_error_category other;
    BOOST_TEST(&other != &cat);
    BOOST_TEST((other == cat));
#endif
}

BOOST_AUTO_TEST_CASE(timed_out_is_a_generic_timeout)
{
    error_code ec = muster::error::timed_out;
    BOOST_TEST((ec == std::errc::timed_out));
    BOOST_TEST((ec == boost::system::errc::timed_out));
    BOOST_TEST((ec != std::errc::operation_canceled));
    // Only timed_out maps to a generic condition.
    error_code full = muster::error::queue_full;
    BOOST_TEST((full != std::errc::timed_out));
    BOOST_TEST((full.default_error_condition().category() == muster::muster_category()));
}

BOOST_AUTO_TEST_CASE(system_error_carries_code_and_message)
{
    try
    {
        throw boost::system::system_error(muster::error::task_not_done);
    }
    catch (const boost::system::system_error& e)
    {
        BOOST_TEST((e.code() == muster::error::task_not_done));
        BOOST_TEST(std::strstr(e.what(), "has not finished") != nullptr);
    }
}

BOOST_AUTO_TEST_SUITE_END()
