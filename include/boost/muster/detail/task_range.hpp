//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_TASK_RANGE_HPP
#define BOOST_MUSTER_DETAIL_TASK_RANGE_HPP

#include <ranges>
#include <type_traits>

namespace boost::muster
{

template <class T, class Executor>
class task;

namespace detail
{

template <class T>
struct is_task : std::false_type
{
};

template <class T, class E>
struct is_task<task<T, E>> : std::true_type
{
};

template <class R>
concept task_range = std::ranges::forward_range<std::remove_reference_t<R>> &&
    is_task<std::ranges::range_value_t<std::remove_reference_t<R>>>::value;

template <class R>
using task_of_t = std::ranges::range_value_t<std::remove_reference_t<R>>;

} // namespace detail
} // namespace boost::muster

#endif
