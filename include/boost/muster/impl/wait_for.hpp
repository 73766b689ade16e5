//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_IMPL_WAIT_FOR_HPP
#define BOOST_MUSTER_IMPL_WAIT_FOR_HPP

#include <boost/muster/wait_for.hpp>

#include <boost/muster/detail/deadline_service.hpp>
#include <boost/muster/detail/operation.hpp>
#include <boost/muster/detail/wait_for_state.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <chrono>
#include <type_traits>
#include <utility>

namespace boost::muster::detail
{

template <class Executor>
struct initiate_wait_for : initiation_base<Executor>
{
    template <class Handler, class Child>
    void operator()(Handler&& handler, Child&& child,
                    std::chrono::steady_clock::duration timeout) const
    {
        if constexpr (check_executor<std::decay_t<Handler>, Executor>())
        {
            using state_type =
                wait_for_state<std::decay_t<Child>, std::decay_t<Handler>, Executor>;
            state_type::create(std::forward<Handler>(handler), this->given())
                ->start(std::move(child), timeout);
        }
    }
};

template <class Executor, class Child, class Rep, class Period>
auto make_wait_for(Executor ex, Child&& child, std::chrono::duration<Rep, Period> timeout)
{
    auto d = detail::deadline_service::duration_of(timeout);
    return asio::async_initiate<const asio::deferred_t&, wait_for_signature_t<Child>>(
        initiate_wait_for<Executor>{{std::move(ex)}}, asio::deferred,
        std::forward<Child>(child), d);
}

} // namespace boost::muster::detail

#endif
