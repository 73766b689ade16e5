// Self-containment: the header compiles on its own.
#include <boost/muster/bounded_gather.hpp>
