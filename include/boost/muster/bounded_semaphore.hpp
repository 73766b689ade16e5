//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_BOUNDED_SEMAPHORE_HPP
#define BOOST_MUSTER_BOUNDED_SEMAPHORE_HPP

#include <boost/muster/semaphore.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <mutex>

namespace boost::muster
{

/** A semaphore that refuses to rise above its initial value
    (`asyncio.BoundedSemaphore`): a release without a matching acquire throws
    @ref error::too_many_releases, where a plain semaphore would silently
    grow. See @ref basic_semaphore.
*/
using bounded_semaphore = basic_semaphore<asio::any_io_executor, null_mutex, true>;

/// A thread-safe @ref bounded_semaphore, callable from any thread.
using concurrent_bounded_semaphore =
    basic_semaphore<asio::any_io_executor, std::mutex, true>;

} // namespace boost::muster

#endif
