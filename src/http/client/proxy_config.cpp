#include "http/client/proxy_config.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace codecrew::http {
namespace {

std::optional<std::string> envValue(const core::EnvMap& env, const std::string& upper, const std::string& lower) {
  for (const auto* name : {&upper, &lower}) {
    auto it = env.find(*name);
    if (it != env.end() && !it->second.empty()) return it->second;
  }
  return std::nullopt;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<Url> proxyUrl(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::string value = *text;
  if (value.find("://") == std::string::npos) value = "http://" + value;
  auto url = parseUrl(value);
  if (!url.ok()) return std::nullopt;
  return url.value();
}

// Whether host is an IP address inside the CIDR range `entry` (10.0.0.0/8,
// fd00::/8). False for names and for entries that are not ranges.
bool inRange(const std::string& host, const std::string& entry) {
  const auto slash = entry.find('/');
  if (slash == std::string::npos) return false;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return false;
  const auto network_address = boost::asio::ip::make_address(entry.substr(0, slash), ec);
  if (ec || network_address.is_v4() != address.is_v4()) return false;
  unsigned prefix = 0;
  const std::string bits = entry.substr(slash + 1);
  auto [end, err] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (err != std::errc() || end != bits.data() + bits.size()) return false;
  if (address.is_v4()) {
    if (prefix > 32) return false;
    return boost::asio::ip::make_network_v4(address.to_v4(), prefix).canonical() ==
           boost::asio::ip::make_network_v4(network_address.to_v4(), prefix).canonical();
  }
  if (prefix > 128) return false;
  return boost::asio::ip::make_network_v6(address.to_v6(), prefix).canonical() ==
         boost::asio::ip::make_network_v6(network_address.to_v6(), prefix).canonical();
}

}  // namespace

ProxyConfig ProxyConfig::fromEnv(const core::EnvMap& env) {
  ProxyConfig config;
  config.https_proxy = proxyUrl(envValue(env, "HTTPS_PROXY", "https_proxy"));
  config.http_proxy = proxyUrl(envValue(env, "HTTP_PROXY", "http_proxy"));
  if (auto list = envValue(env, "NO_PROXY", "no_proxy")) {
    std::string item;
    for (char c : *list + ",") {
      if (c == ',' || c == ' ') {
        if (!item.empty()) config.no_proxy.push_back(lower(item));
        item.clear();
      } else {
        item.push_back(c);
      }
    }
  }
  return config;
}

std::optional<Url> ProxyConfig::proxyFor(const Url& target) const {
  const auto& proxy = target.tls() ? https_proxy : http_proxy;
  if (!proxy) return std::nullopt;
  std::string host = lower(target.host);
  for (std::string entry : no_proxy) {
    if (entry == "*") return std::nullopt;
    if (inRange(host, entry)) return std::nullopt;
    if (auto colon = entry.rfind(':');
        colon != std::string::npos && entry.find(']') == std::string::npos && entry.find(':') == colon) {
      if (entry.substr(colon + 1) != std::to_string(target.port)) continue;
      entry = entry.substr(0, colon);
    }
    if (!entry.empty() && entry.front() == '.') entry = entry.substr(1);
    if (host == entry) return std::nullopt;
    if (host.size() > entry.size() && host.ends_with(entry) && host[host.size() - entry.size() - 1] == '.')
      return std::nullopt;
  }
  return proxy;
}

}  // namespace codecrew::http
