//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Built by the CMake consumption tests: uses the library through its target.
#include <boost/muster.hpp>

#include <boost/asio/io_context.hpp>

int main()
{
    boost::asio::io_context ctx;
    auto t = boost::muster::create_task(
        ctx, []() -> boost::asio::awaitable<int> { co_return 42; });
    ctx.run();
    return t.result() == 42 ? 0 : 1;
}
