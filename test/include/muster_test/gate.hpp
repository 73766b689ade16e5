//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef MUSTER_TEST_GATE_HPP
#define MUSTER_TEST_GATE_HPP

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace muster_test
{

// A point a coroutine suspends at until the test opens it: a real Asio
// operation (a timer wait that never expires), so cancelling the coroutine
// while it waits here aborts it as it would abort a socket read.
class gate
{
public:
    template <class Executor>
    explicit gate(const Executor& ex) : timer_(ex, asio::steady_timer::time_point::max())
    {
    }

    asio::awaitable<void> wait()
    {
        if (open_)
            co_return;
        ++waiting_;
        auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        --waiting_;
        if (!open_)
            throw boost::system::system_error(ec ? ec : asio::error::operation_aborted);
    }

    void open()
    {
        open_ = true;
        timer_.cancel();
    }

    int waiting() const noexcept { return waiting_; }

private:
    asio::steady_timer timer_;
    bool open_ = false;
    int waiting_ = 0;
};

} // namespace muster_test

#endif
