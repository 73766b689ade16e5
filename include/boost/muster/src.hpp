//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_SRC_HPP
#define BOOST_MUSTER_SRC_HPP

// Include this header in exactly one translation unit of a program that
// defines BOOST_MUSTER_SEPARATE_COMPILATION everywhere.

#ifndef BOOST_MUSTER_SEPARATE_COMPILATION
#error "Define BOOST_MUSTER_SEPARATE_COMPILATION to use <boost/muster/src.hpp>"
#endif

#include <boost/muster/impl/debug.ipp>
#include <boost/muster/impl/error.ipp>

#endif
