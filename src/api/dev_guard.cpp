#include "api/dev_guard.h"

#include "http/server_policy.h"

#include <algorithm>
#include <cctype>

namespace codecrew::api {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

struct HostPort {
  std::string host;
  std::string port;
};

// "name", "name:port", "[v6]", "[v6]:port".
std::optional<HostPort> splitHost(std::string_view authority) {
  HostPort hp;
  if (authority.empty()) return std::nullopt;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    hp.host = std::string(authority.substr(1, close - 1));
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      hp.port = std::string(rest.substr(1));
    }
  } else {
    auto colon = authority.rfind(':');
    hp.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) hp.port = std::string(authority.substr(colon + 1));
  }
  hp.host = lower(hp.host);
  return hp;
}

bool changesState(const http::Request& req) {
  if (auto upgrade = req.header("Upgrade"); upgrade && lower(*upgrade) == "websocket") return true;
  return req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
}

core::Error refused(const std::string& why) {
  return core::Error{core::ErrorCode::kPermissionDenied, "dev mode: " + why, nullptr};
}

}  // namespace

core::Status checkDevRequest(const http::Request& req) {
  auto host_header = req.header("Host");
  auto host = host_header ? splitHost(*host_header) : std::nullopt;
  if (!host || !http::isLoopbackHost(host->host))
    return refused("this server answers requests for localhost or a loopback address only (Host: '" +
                   host_header.value_or("") + "'); browse to http://127.0.0.1:<port>");
  if (!changesState(req)) return core::okStatus();
  if (auto site = req.header("Sec-Fetch-Site"); site && lower(*site) == "cross-site")
    return refused("requests from other sites are refused");
  if (auto origin = req.header("Origin")) {
    // An Origin is "scheme://host[:port]"; ours is a loopback host on the
    // port the Host header names.
    bool same = false;
    auto sep = origin->find("://");
    if (sep != std::string::npos) {
      auto scheme = lower(origin->substr(0, sep));
      auto origin_host = splitHost(std::string_view(*origin).substr(sep + 3));
      if (origin_host && (scheme == "http" || scheme == "https")) {
        std::string port = origin_host->port.empty() ? (scheme == "https" ? "443" : "80") : origin_host->port;
        // A Host without a port (some tools send none) cannot be matched
        // to one: any loopback origin then passes.
        same = http::isLoopbackHost(origin_host->host) && (host->port.empty() || port == host->port);
      }
    }
    if (!same) return refused("requests from other sites are refused (Origin: '" + *origin + "')");
  }
  return core::okStatus();
}

}  // namespace codecrew::api
