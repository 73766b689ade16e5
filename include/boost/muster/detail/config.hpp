//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_DETAIL_CONFIG_HPP
#define BOOST_MUSTER_DETAIL_CONFIG_HPP

#include <boost/config.hpp>

#if !defined(__cpp_impl_coroutine) || __cplusplus < 202002L
#error "Boost.Muster requires C++20 with coroutine support (-std=c++20)"
#endif

// Header-only by default. Define BOOST_MUSTER_SEPARATE_COMPILATION in every
// translation unit and include <boost/muster/src.hpp> in exactly one of them
// to compile the non-template parts once.
#ifdef BOOST_MUSTER_SEPARATE_COMPILATION
#define BOOST_MUSTER_DECL
#else
#define BOOST_MUSTER_DECL inline
#define BOOST_MUSTER_HEADER_ONLY 1
#endif

// Debug reports (see <boost/muster/debug.hpp>): on unless NDEBUG is defined.
// Define BOOST_MUSTER_DEBUG_REPORTS to 1 or 0 to choose, the same in every
// translation unit.
#ifndef BOOST_MUSTER_DEBUG_REPORTS
#ifdef NDEBUG
#define BOOST_MUSTER_DEBUG_REPORTS 0
#else
#define BOOST_MUSTER_DEBUG_REPORTS 1
#endif
#endif

#endif
