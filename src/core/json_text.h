// JSON text that people read as well as parsers. Boost.JSON 1.81 writes every
// double in exponent form ("1.71E-1", "3E0"); jsonText writes the shortest
// decimal that reads back as the same double ("0.171", "3.0"), in exponent
// form only where that is shorter ("1e-07"). Everything else is Boost.JSON's
// text byte for byte. For API responses, streamed events and log lines.
// Thread-safety: pure functions.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace codecrew::core {

std::string jsonText(const boost::json::value& value);

// The same rewrite in place, on valid JSON text as Boost.JSON writes it:
// numbers with an 'E' outside strings are rewritten, nothing else changes.
void readableDoubles(std::string& text);

}  // namespace codecrew::core
