//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_HPP
#define BOOST_MUSTER_HPP

/** @namespace boost::muster
    Python asyncio's coordination tools as Asio asynchronous operations:
    tasks, @ref gather, @ref wait, @ref wait_for, @ref as_completed, the
    queues, and the primitives of `asyncio.locks`. Include
    `<boost/muster.hpp>` for everything, or one header per feature.
*/

// Everything in Boost.Muster.
#include <boost/muster/as_completed.hpp>
#include <boost/muster/barrier.hpp>
#include <boost/muster/bounded_gather.hpp>
#include <boost/muster/bounded_semaphore.hpp>
#include <boost/muster/condition.hpp>
#include <boost/muster/debug.hpp>
#include <boost/muster/error.hpp>
#include <boost/muster/event.hpp>
#include <boost/muster/gather.hpp>
#include <boost/muster/lock.hpp>
#include <boost/muster/null_mutex.hpp>
#include <boost/muster/queue.hpp>
#include <boost/muster/result.hpp>
#include <boost/muster/semaphore.hpp>
#include <boost/muster/shared_lock.hpp>
#include <boost/muster/shield.hpp>
#include <boost/muster/task.hpp>
#include <boost/muster/task_group.hpp>
#include <boost/muster/timeout.hpp>
#include <boost/muster/to_thread.hpp>
#include <boost/muster/version.hpp>
#include <boost/muster/wait.hpp>
#include <boost/muster/wait_for.hpp>

#endif
