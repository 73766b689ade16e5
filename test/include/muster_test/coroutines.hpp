//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_COROUTINES_HPP
#define MUSTER_TEST_COROUTINES_HPP

#include <muster_test/gate.hpp>

#include <boost/asio/awaitable.hpp>

#include <stdexcept>
#include <string>

// Small coroutines the suites coordinate.
namespace muster_test
{

inline asio::awaitable<int> value_now(int v)
{
    co_return v;
}

inline asio::awaitable<int> value_after(gate& g, int v)
{
    co_await g.wait();
    co_return v;
}

// Fails with std::runtime_error(msg) once `g` opens.
template <class T = int>
asio::awaitable<T> fail_after(gate& g, std::string msg)
{
    co_await g.wait();
    throw std::runtime_error(msg);
}

} // namespace muster_test

#endif
