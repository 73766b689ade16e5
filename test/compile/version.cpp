// Self-containment: the header compiles on its own.
#include <boost/muster/version.hpp>

static_assert(BOOST_MUSTER_VERSION >= 100, "BOOST_MUSTER_VERSION is defined");
