// Self-containment: the header compiles on its own, and twice.
#include <boost/muster/bounded_semaphore.hpp>
