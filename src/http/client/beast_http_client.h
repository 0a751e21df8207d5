// BeastHttpClient: the real HttpClient, on Boost.Beast coroutines.
//  - TLS through OpenSSL with SNI and certificate + host name verification
//    on by default, against the system CA store (or ca_file).
//  - Keep-alive connection pools per (scheme, host, port, proxy); a pooled
//    connection that turns out to be closed is replaced once, transparently.
//  - HTTPS_PROXY/HTTP_PROXY/NO_PROXY (see ProxyConfig): CONNECT tunnels.
//  - Timeouts for connect, first byte, idle gap between body chunks, total.
//  - Cancellation through ClientRequest::cancel: the socket is cancelled and
//    the call completes with kCancelled.
// - A call runs on its caller's executor (the coroutine's), and connections
//   are pooled per peer and per execution context, so a caller on a
//   single-threaded io_context (a server I/O thread) never changes threads.
// Thread-safety: send() may be called from any thread or coroutine at once.
// Every caller's execution context must outlive its calls in flight and the
// client (pooled connections hold sockets of it).
#pragma once

#include "http/client/http_client.h"
#include "http/client/proxy_config.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace codecrew::http {

struct ClientOptions {
  std::size_t max_idle_per_host = 16;     // idle keep-alive connections kept per pool key
  std::chrono::seconds max_idle_age{50};  // idle connections older than this are dropped
  bool verify_peer = true;                // certificate and host name verification
  std::string ca_file;                    // empty: the system CA store
  ProxyConfig proxy;                      // default: no proxy
  std::string user_agent = "codecrew/0.1";
};

class BeastHttpClient final : public HttpClient {
 public:
  explicit BeastHttpClient(ClientOptions options = {});
  ~BeastHttpClient() override;

  boost::asio::awaitable<core::Result<ClientResponse>> send(ClientRequest request) override;

  // Idle connections currently pooled, over all hosts (for tests and metrics).
  std::size_t idleConnections() const;

  class Impl;
  class PoolReaper;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace codecrew::http
