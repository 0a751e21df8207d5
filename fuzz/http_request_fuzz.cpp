// Fuzz target: the HTTP/1.1 server's request reading (src/http/connection.cpp:
// Beast's request parser with the server's limits, the framing checks of
// framingProblem, the target's URL parsing, the router, keep-alive and
// pipelining, the WebSocket upgrade and frames after it). One server runs in
// the process on 127.0.0.1 for the whole run; each input is sent as the
// whole of what one client connection says (then the client half-closes) and
// the answer is read until the server closes. A server that neither answers
// nor closes within kHangSeconds is reported as a hang (abort).
#include "core/config.h"
#include "core/log.h"
#include "http/router.h"
#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

using namespace codecrew;

constexpr int kHangSeconds = 20;

// Echoes what the server made of the request, so every parsed field is read.
http::Response echo(http::Request& req) {
  std::string out = req.method + " " + req.path + "\n";
  for (const auto& [key, value] : req.query) out += "?" + key + "=" + value + "\n";
  for (const auto& [name, value] : req.headers) out += name + ": " + value + "\n";
  for (const auto& [name, value] : req.params) out += "{" + name + "}=" + value + "\n";
  out += req.body;
  return http::Response::text(200, std::move(out));
}

std::shared_ptr<http::Router> makeRouter() {
  auto router = std::make_shared<http::Router>();
  router->add("GET", "/health", echo);
  router->add("POST", "/workflows/{id:int}/executions", echo);
  router->add("PUT", "/sessions/{sid}/files/{path:rest}", echo, {.json_body = false});
  router->add("DELETE", "/workflows/{id:int}", echo);
  router->addStream("GET", "/events", [](http::Request& req, std::shared_ptr<http::ResponseStream> stream) {
    stream->begin(200, "text/event-stream");
    stream->write("data: " + req.path + "\n\n");
    stream->end();
  });
  router->addWebSocket("/ws", [](http::Request&, std::shared_ptr<http::WebSocket> socket) {
    http::WebSocketUpgrade upgrade;
    std::weak_ptr<http::WebSocket> weak = socket;
    upgrade.on_message = [weak](std::string text) {
      if (auto s = weak.lock()) s->send("echo: " + text);
    };
    return upgrade;
  });
  return router;
}

struct FuzzServer {
  std::unique_ptr<http::Server> server;
  int port = 0;
};

FuzzServer& fuzzServer() {
  static FuzzServer* fs = [] {
    core::LogConfig log;
    log.level = "error";
    core::log::init(log);
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.max_body_bytes = 64 << 10;
    options.io_threads = 1;
    options.blocking_threads = 2;
    options.idle_timeout = std::chrono::seconds(5);
    options.cors_origins = {"http://127.0.0.1:5173"};
    auto* created = new FuzzServer;
    created->server = std::make_unique<http::Server>(options, makeRouter());
    auto status = created->server->start();
    if (!status.ok()) {
      std::fprintf(stderr, "http fuzz: the server did not start: %s\n", status.error().message.c_str());
      std::abort();
    }
    created->port = created->server->port();
    return created;
  }();
  return *fs;
}

[[noreturn]] void hang(const char* what) {
  std::fprintf(stderr, "http fuzz: the server neither answered nor closed within %d s (%s)\n", kHangSeconds, what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzzServer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  timeval tv{kHangSeconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(fuzzServer().port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  std::size_t sent = 0;
  while (sent < size) {
    auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) hang("sending");
    if (n <= 0) break;  // the server closed early (an error answer): fine
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char buf[16384];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) hang("receiving");
    if (n <= 0) break;
  }
  ::close(fd);
  return 0;
}
