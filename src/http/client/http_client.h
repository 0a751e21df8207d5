// HttpClient: outgoing HTTP/1.1 calls (provider APIs, GitHub, Jira) as C++20
// coroutines. The interface keeps Beast out of its includers: requests and
// responses are plain values. BeastHttpClient is the real implementation
// (TLS, keep-alive pools, proxies, timeouts); tests may substitute their own.
//
// Contract of send():
//  - Expected failures come back as Result errors, never exceptions:
//    kUnavailable (resolve/connect/TLS/reset), kDeadlineExceeded (a timeout;
//    the message names which one), kCancelled (the CancelToken fired),
//    kInvalidArgument (a malformed URL).
//  - Any HTTP status is a successful Result; the caller judges the status.
//  - With on_body_chunk set, the body of a 2xx response is delivered chunk by
//    chunk as it arrives and ClientResponse::body stays empty; bodies of other
//    statuses are always collected whole into body.
// Thread-safety: implementations are safe to use from any number of threads
// and coroutines at once.
#pragma once

#include "core/result.h"
#include "http/client/cancel_token.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codecrew::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// First value of header `name` (case-insensitive), if any.
std::optional<std::string> findHeader(const Headers& headers, std::string_view name);

struct Timeouts {
  std::chrono::milliseconds connect{10'000};      // resolve + TCP + proxy CONNECT + TLS handshake
  std::chrono::milliseconds first_byte{120'000};  // request sent until the response head arrives
  std::chrono::milliseconds idle{60'000};         // longest gap between two body chunks
  std::chrono::milliseconds total{600'000};       // the whole call
};

// Called with each body chunk of a 2xx response; return false to stop reading
// (the call then completes successfully and the connection is not reused).
using BodyChunkSink = std::function<bool(std::string_view chunk)>;

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http:// or https://
  Headers headers;  // Host, Content-Length and User-Agent are set for you
  std::string body;
  Timeouts timeouts;
  BodyChunkSink on_body_chunk;          // optional: stream a 2xx body
  std::shared_ptr<CancelToken> cancel;  // optional
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  bool reused_connection = false;  // served over a pooled keep-alive connection

  std::optional<std::string> header(std::string_view name) const { return findHeader(headers, name); }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual boost::asio::awaitable<core::Result<ClientResponse>> send(ClientRequest request) = 0;
};

}  // namespace codecrew::http
