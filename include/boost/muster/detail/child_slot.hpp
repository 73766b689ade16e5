//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_CHILD_SLOT_HPP
#define BOOST_MUSTER_DETAIL_CHILD_SLOT_HPP

#include <boost/asio/cancellation_signal.hpp>

namespace boost::muster::detail
{

// What an operation keeps for each operation it started: its own
// cancellation signal (bound to the handler it was given) and whether it is
// still running.
struct child_slot_base
{
    asio::cancellation_signal signal;
    bool running = false;
};

} // namespace boost::muster::detail

#endif
