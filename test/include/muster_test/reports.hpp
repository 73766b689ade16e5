//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_REPORTS_HPP
#define MUSTER_TEST_REPORTS_HPP

#include <boost/muster/debug.hpp>

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace muster_test
{

// A debug report as the tests' hook kept it.
struct recorded_report
{
    boost::muster::report_kind kind;
    std::string message;
    bool has_error;
    std::size_t count;
    std::size_t waiters;
};

inline std::mutex& reports_mutex()
{
    static std::mutex m;
    return m;
}

inline std::vector<recorded_report>& recorded_reports()
{
    static std::vector<recorded_report> v;
    return v;
}

// The hook every test binary installs (see main.cpp): it keeps the reports
// for the tests that look for them, instead of writing to stderr.
inline void record_report(const boost::muster::report& r) noexcept
{
    try
    {
        std::lock_guard<std::mutex> lock(reports_mutex());
        recorded_reports().push_back(
            {r.kind, r.message, r.error != nullptr, r.count, r.waiters});
    }
    catch (...)
    {
    }
}

// The reports made since the last call.
inline std::vector<recorded_report> take_reports()
{
    std::lock_guard<std::mutex> lock(reports_mutex());
    return std::exchange(recorded_reports(), {});
}

} // namespace muster_test

#endif
