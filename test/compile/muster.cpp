// Self-containment: the convenience header compiles on its own, and twice.
#include <boost/muster.hpp>
