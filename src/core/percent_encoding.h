// Percent-encoding (RFC 3986 §2.1) of every byte outside the unreserved set
// A-Z a-z 0-9 - . _ ~ as %XY with upper-case hex, '/' kept when keep_slash:
// what AWS's URI-encode and Azure's canonicalized resources both ask for.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace codecrew::core {

std::string percentEncode(std::string_view text, bool keep_slash);

}  // namespace codecrew::core
