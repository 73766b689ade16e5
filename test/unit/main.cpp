//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#define BOOST_TEST_MODULE boost_muster
#ifdef MUSTER_TEST_HEADER_ONLY_BOOST_TEST
#include <boost/test/included/unit_test.hpp>
#else
#include <boost/test/unit_test.hpp>
#endif

#include <muster_test/reports.hpp>

// Debug reports are kept for the tests that check them (muster_test::
// take_reports()), not written to stderr.
struct keep_reports
{
    keep_reports() { boost::muster::set_report_hook(&muster_test::record_report); }
};

BOOST_TEST_GLOBAL_FIXTURE(keep_reports);
