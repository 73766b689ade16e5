//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_FIXTURE_HPP
#define MUSTER_TEST_FIXTURE_HPP

#include <muster_test/tracking_executor.hpp>

#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <exception>
#include <functional>
#include <ostream>

namespace muster_test
{

// An io_context driven step by step. On destruction it asserts that no work
// is left: every operation the test started has completed.
struct io_fixture
{
    asio::io_context ctx;
    tracking_executor ex{ctx.get_executor(), 1};
    bool check_no_work_left = true;

    io_fixture() = default;
    io_fixture(const io_fixture&) = delete;

    ~io_fixture()
    {
        if (!check_no_work_left || std::uncaught_exceptions() > 0)
            return;
        ctx.restart();
        ctx.poll();
        BOOST_TEST(ctx.stopped(), "work left on the io_context at the end of the test");
    }

    // Runs every ready handler; returns how many ran.
    std::size_t poll()
    {
        ctx.restart();
        return ctx.poll();
    }

    // Runs at most one ready handler; returns how many ran (0 or 1).
    std::size_t poll_one()
    {
        ctx.restart();
        return ctx.poll_one();
    }

    // Runs ready handlers one at a time until pred() is true; fails the test
    // if the io_context runs out of ready handlers first.
    void poll_until(const std::function<bool()>& pred)
    {
        while (!pred())
        {
            if (poll_one() == 0)
            {
                BOOST_FAIL("nothing left to run, and the condition is still false");
                return;
            }
        }
    }

    // Runs ready handlers until none is left; returns how many ran.
    std::size_t drain()
    {
        std::size_t n = 0;
        while (poll_one() != 0)
            ++n;
        return n;
    }
};

// The cancellation types a per-operation cancellation test runs over.
struct cancellation_case
{
    asio::cancellation_type_t type;
    const char* name;

    friend std::ostream& operator<<(std::ostream& os, const cancellation_case& c)
    {
        return os << c.name;
    }
};

inline constexpr std::array<cancellation_case, 4> cancellation_cases{{
    {asio::cancellation_type::terminal, "terminal"},
    {asio::cancellation_type::partial, "partial"},
    {asio::cancellation_type::total, "total"},
    {asio::cancellation_type::none, "none"},
}};

} // namespace muster_test

#endif
