// The one translation unit that compiles Boost.JSON (separate-compilation mode).
#include <boost/json/src.hpp>
