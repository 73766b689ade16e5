//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_IMPL_GATHER_HPP
#define BOOST_MUSTER_IMPL_GATHER_HPP

#include <boost/muster/gather.hpp>

#include <boost/muster/detail/child.hpp>
#include <boost/muster/detail/gather_state.hpp>
#include <boost/muster/detail/operation.hpp>

#include <cstddef>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>

namespace boost::muster::detail
{

// A coroutine child spawned on the gather's own executor completes there
// without being told; every other child's handler names that executor.
template <class Child, class Executor>
inline constexpr bool bind_child_executor =
    !(child_traits<Child>::is_coroutine && std::is_same_v<Executor, no_executor>);

// Starts the children of a fixed-set gather.
template <class Executor, bool ReturnExceptions, class... Children>
struct initiate_gather : initiation_base<Executor>
{
    template <class Handler>
    void operator()(Handler&& handler, std::tuple<Children...>&& children) const
    {
        using handler_type = std::decay_t<Handler>;
        if constexpr (check_executor<handler_type, Executor>())
            start(std::forward<Handler>(handler), children);
    }

private:
    template <class Handler>
    void start(Handler&& handler, std::tuple<Children...>& children) const
    {
        using handler_type = std::decay_t<Handler>;
        using storage = fixed_storage<child_value_t<Children>...>;
        using state_type =
            gather_state<storage, handler_type, Executor, ReturnExceptions>;
        state_type* state = state_type::create(std::forward<Handler>(handler),
                                               this->given(), sizeof...(Children));
        auto ex = run_executor(state->core_handler(), this->given());
        state->start(
            [&]
            {
                [&]<std::size_t... I>(std::index_sequence<I...>)
                {
                    (launch<I>(*state, ex, std::get<I>(children)), ...);
                }
                (std::index_sequence_for<Children...>{});
            });
    }

    template <std::size_t I, class State, class Ex, class Child>
    static void launch(State& state, const Ex& ex, Child& child)
    {
        auto& slot = state.storage().template slot<I>();
        using slot_type = std::remove_reference_t<decltype(slot)>;
        constexpr bool bind = bind_child_executor<Child, Executor>;
        state.launch(slot,
                     [&]
                     {
                         child_traits<Child>::launch(
                             std::move(child), ex,
                             child_handler<State, slot_type, bind>(&state, &slot));
                     });
    }
};

// Starts the children of a ranged gather.
template <class Executor, bool ReturnExceptions, class Range>
struct initiate_gather_range : initiation_base<Executor>
{
    template <class Handler, class R>
    void operator()(Handler&& handler, R&& range) const
    {
        if constexpr (check_executor<std::decay_t<Handler>, Executor>())
            start(std::forward<Handler>(handler), range);
    }

private:
    template <class Handler, class R>
    void start(Handler&& handler, R& range) const
    {
        using handler_type = std::decay_t<Handler>;
        using child_type = std::ranges::range_value_t<std::remove_reference_t<R>>;
        using value_type = child_value_t<child_type>;
        using alloc_type =
            asio::associated_allocator_t<handler_type, asio::recycling_allocator<void>>;
        using storage = range_storage<value_type, alloc_type>;
        using state_type =
            gather_state<storage, handler_type, Executor, ReturnExceptions>;
        using slot_type = child_slot<value_type>;

        std::size_t n = static_cast<std::size_t>(std::ranges::distance(range));
        state_type* state =
            state_type::create(std::forward<Handler>(handler), this->given(), n);
        auto ex = run_executor(state->core_handler(), this->given());
        state->start(
            [&]
            {
                constexpr bool bind = bind_child_executor<child_type, Executor>;
                slot_type* slot = state->storage().slots.data();
                for (auto&& child : range)
                {
                    state->launch(
                        *slot,
                        [&]
                        {
                            child_traits<child_type>::launch(
                                std::move(child), ex,
                                child_handler<state_type, slot_type, bind>(state, slot));
                        });
                    ++slot;
                }
            });
    }
};

} // namespace boost::muster::detail

#endif
