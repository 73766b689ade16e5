//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_MUSTER_VERSION_HPP
#define BOOST_MUSTER_VERSION_HPP

/** The library's version: major * 100000 + minor * 100 + patch, as
    `BOOST_VERSION` is formed (0.1.0 is 100).

    The one place where the version is defined: the CMake package and the
    documentation read it from here.
*/
#define BOOST_MUSTER_VERSION 100

#endif
