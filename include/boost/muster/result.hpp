//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_RESULT_HPP
#define BOOST_MUSTER_RESULT_HPP

#include <boost/system/result.hpp>

#include <exception>

namespace boost::muster
{

/** The outcome of one awaitable: its value, or what it failed with.

    What `gather(return_exceptions, ...)` reports per child, like the mixed
    list of values and exceptions of `asyncio.gather(return_exceptions=True)`.
    `has_value()` / `has_error()` tell which; `value()` returns the value or
    rethrows the failure; `error()` is the `std::exception_ptr`. A failure
    reported as an `error_code` is held as a `boost::system::system_error`.

    @since 0.1
*/
template <class T>
using result = boost::system::result<T, std::exception_ptr>;

} // namespace boost::muster

#endif
