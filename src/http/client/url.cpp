#include "http/client/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace codecrew::http {

std::string Url::authority() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

core::Result<Url> parseUrl(std::string_view text) {
  Url url;
  auto sep = text.find("://");
  if (sep == std::string_view::npos)
    return core::Error::invalidArgument("URL '" + std::string(text) + "' has no scheme");
  url.scheme.assign(text.substr(0, sep));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.scheme != "http" && url.scheme != "https")
    return core::Error::invalidArgument("URL scheme '" + url.scheme + "' is not http or https");
  auto rest = text.substr(sep + 3);
  auto path_at = rest.find_first_of("/?");
  auto authority = rest.substr(0, path_at);
  url.target = path_at == std::string_view::npos ? "/" : std::string(rest.substr(path_at));
  if (!url.target.empty() && url.target.front() == '?') url.target.insert(0, "/");
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return core::Error::invalidArgument("URL has an unclosed IPv6 bracket");
    url.host.assign(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') port_text = authority.substr(close + 2);
  } else {
    auto colon = authority.rfind(':');
    url.host.assign(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return core::Error::invalidArgument("URL '" + std::string(text) + "' has no host");
  url.port = url.tls() ? 443 : 80;
  if (!port_text.empty()) {
    int port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port <= 0 || port > 65535)
      return core::Error::invalidArgument("URL port '" + std::string(port_text) + "' is not valid");
    url.port = port;
  }
  return url;
}

}  // namespace codecrew::http
