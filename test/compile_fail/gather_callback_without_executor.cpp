//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Must not compile: a plain callback has no associated executor and no
// executor is given, so gather has nowhere to run its children. The test
// checks that the compiler's message says what to do.
#include <boost/muster/gather.hpp>

#include <boost/asio/awaitable.hpp>

boost::asio::awaitable<int> child();

void start()
{
    boost::muster::gather(child())([](std::exception_ptr, std::tuple<int>) {});
}
