//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Must not compile: a gather is started once and consumes its children, so
// co_await of a named gather is refused. The test checks that the compiler's
// message says to write co_await std::move(g).
#include <boost/muster/gather.hpp>

#include <boost/asio/awaitable.hpp>

boost::asio::awaitable<int> child();

boost::asio::awaitable<void> start()
{
    auto g = boost::muster::gather(child(), child());
    co_await g;
}
