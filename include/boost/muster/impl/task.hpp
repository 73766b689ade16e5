//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_IMPL_TASK_HPP
#define BOOST_MUSTER_IMPL_TASK_HPP

#include <boost/muster/task.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>

namespace boost::muster::detail
{

template <class T, class Executor>
task<T, Executor> make_task(std::shared_ptr<task_state<T, Executor>> state)
{
    return task<T, Executor>(std::move(state));
}

template <class T, class Executor, class Ex, class Aw>
void spawn_task(const std::shared_ptr<task_state<T, Executor>>& state, const Ex& ex,
                Aw&& aw)
{
    asio::co_spawn(ex, std::forward<Aw>(aw),
                   asio::bind_cancellation_slot(state->signal.slot(),
                                                task_completion<T, Executor>(state)));
}

} // namespace boost::muster::detail

#endif
