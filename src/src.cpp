//
// Copyright (c) 2026 The Boost.Muster authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The separate-compilation unit: build it with BOOST_MUSTER_SEPARATE_COMPILATION
// defined, and define the same macro wherever Muster's headers are included.
#include <boost/muster/src.hpp>
