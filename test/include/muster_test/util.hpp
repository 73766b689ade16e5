//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_UTIL_HPP
#define MUSTER_TEST_UTIL_HPP

#include <muster_test/fixture.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/system_error.hpp>

#include <exception>
#include <string>
#include <utility>

namespace muster_test
{

// The what() of the exception `e` holds, or "" if it holds none.
inline std::string what(const std::exception_ptr& e)
{
    if (!e)
        return "";
    try
    {
        std::rethrow_exception(e);
    }
    catch (const std::exception& ex)
    {
        return ex.what();
    }
    catch (...)
    {
        return "(not a std::exception)";
    }
}

// The error code of the system_error `e` holds, or a default code.
inline boost::system::error_code code_of(const std::exception_ptr& e)
{
    try
    {
        if (e)
            std::rethrow_exception(e);
    }
    catch (const boost::system::system_error& ex)
    {
        return ex.code();
    }
    catch (...)
    {
    }
    return {};
}

inline bool is_aborted(const std::exception_ptr& e)
{
    return code_of(e) == asio::error::operation_aborted;
}

// Runs a test coroutine (a function object making one) on the fixture's
// executor; an exception escaping it propagates out of poll() and fails the
// test.
template <class F>
void spawn(io_fixture& fix, F&& f)
{
    asio::co_spawn(fix.ex, std::forward<F>(f),
                   [](std::exception_ptr e)
                   {
                       if (e)
                           std::rethrow_exception(e);
                   });
}

// Two connected loopback TCP sockets.
struct socket_pair
{
    asio::ip::tcp::socket a;
    asio::ip::tcp::socket b;

    explicit socket_pair(asio::io_context& ctx) : a(ctx), b(ctx)
    {
        asio::ip::tcp::acceptor acceptor(ctx, {asio::ip::address_v4::loopback(), 0});
        a.connect(acceptor.local_endpoint());
        acceptor.accept(b);
    }
};

// Sets a flag when the coroutine frame (or other object) holding it is
// destroyed.
struct frame_guard
{
    bool& destroyed;
    ~frame_guard() { destroyed = true; }
};

} // namespace muster_test

#endif
