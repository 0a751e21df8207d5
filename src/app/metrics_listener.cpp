#include "app/metrics_listener.h"

#include "api/routes.h"

#include <charconv>

namespace codecrew::app {

core::Result<ListenAddress> parseListenAddress(const std::string& text) {
  auto bad = [&] {
    return core::Error::invalidArgument(
        "[metrics] listen (CODECREW_METRICS_LISTEN) must be host:port, e.g. "
        "\"127.0.0.1:9464\" or \"[::1]:9464\"; got '" +
        text + "'");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return bad();
  ListenAddress out;
  out.host = text.substr(0, colon);
  if (out.host.front() == '[') {
    if (out.host.size() < 3 || out.host.back() != ']') return bad();
    out.host = out.host.substr(1, out.host.size() - 2);
  } else if (out.host.find(':') != std::string::npos) {
    return bad();  // an IPv6 address needs its brackets
  }
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, out.port);
  if (ec != std::errc() || end != last || out.port < 0 || out.port > 65535) return bad();
  return out;
}

core::Result<std::unique_ptr<http::Server>> startMetricsListener(const std::string& listen,
                                                                 std::shared_ptr<const api::ApiContext> ctx) {
  auto address = parseListenAddress(listen);
  if (!address) return address.error();
  // The listener's own address is its access control: no key on it.
  auto open = std::make_shared<api::ApiContext>(*ctx);
  open->metrics_public = true;
  auto router = std::make_shared<http::Router>();
  api::registerOperatorRoutes(*router, std::move(open));
  http::ServerOptions options;
  options.host = address->host;
  options.port = address->port;
  options.io_threads = 1;
  options.blocking_threads = 1;
  options.max_connections = 64;
  options.shutdown_grace = std::chrono::seconds(1);
  auto server = std::make_unique<http::Server>(options, router);
  if (auto st = server->start(); !st) return st.error();
  return server;
}

}  // namespace codecrew::app
