// ProxyConfig: which outgoing connections go through an HTTP proxy, from the
// variables users already set (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, and their
// lower-case forms). HTTPS goes through a CONNECT tunnel; plain HTTP is sent
// to the proxy in absolute form.
// Thread-safety: a plain value; immutable after construction.
#pragma once

#include "core/config.h"
#include "http/client/url.h"

#include <optional>
#include <string>
#include <vector>

namespace codecrew::http {

struct ProxyConfig {
  std::optional<Url> https_proxy;
  std::optional<Url> http_proxy;
  // NO_PROXY's entries, lower case: host names and their domain suffixes
  // (example.com, .example.com), with an optional :port; IP addresses and
  // CIDR ranges (127.0.0.0/8, fd00::/8) matched against IP-address hosts;
  // "*" for every host.
  std::vector<std::string> no_proxy;

  // Reads the proxy variables from env (upper case wins over lower case).
  static ProxyConfig fromEnv(const core::EnvMap& env);

  // The proxy to use for target, or nullopt for a direct connection.
  std::optional<Url> proxyFor(const Url& target) const;
};

}  // namespace codecrew::http
