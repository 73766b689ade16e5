//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Must not compile: a queue moves its items on their way to a waiter, where a
// move that throws could not be undone, so an item type whose move
// constructor may throw is refused. The test checks that the compiler's
// message says so and names the way out.
#include <boost/muster/queue.hpp>

#include <boost/asio/io_context.hpp>

struct throwing_move
{
    throwing_move() = default;
    throwing_move(throwing_move&&) noexcept(false) {}
};

int main()
{
    boost::asio::io_context ctx;
    boost::muster::queue<throwing_move> q(ctx);
}
