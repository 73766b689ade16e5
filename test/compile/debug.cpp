// Self-containment: the header compiles on its own.
#include <boost/muster/debug.hpp>
