// The one translation unit that compiles Boost.URL (BOOST_URL_NO_LIB is set
// for every target, so no prebuilt library is expected).
#include <boost/url/src.hpp>
