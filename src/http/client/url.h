// Url: the parts of an absolute http(s) URL that a client needs to connect.
// Thread-safety: plain values and pure functions.
#pragma once

#include "core/result.h"

#include <string>
#include <string_view>

namespace codecrew::http {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6 literals
  int port = 0;        // explicit or the scheme's default
  std::string target;  // path and query, at least "/"

  bool tls() const { return scheme == "https"; }
  // "host:port" as used in CONNECT and pool keys (IPv6 in brackets).
  std::string authority() const;
};

// Parses "scheme://[userinfo@]host[:port][/path][?query]". kInvalidArgument
// names the problem for anything else.
core::Result<Url> parseUrl(std::string_view text);

}  // namespace codecrew::http
