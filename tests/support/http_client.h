// HttpClient: a small blocking HTTP/1.1 client for tests, over one
// keep-alive connection to 127.0.0.1 (reconnecting when the server closed
// it), with a timeout on every operation so a broken server fails a test
// instead of hanging it. HttpStreamReader reads a streamed (chunked or SSE)
// response piece by piece as it arrives, and can close mid-stream.
// Transport failures throw std::runtime_error (a test helper: the test fails
// with the message).
// Thread-safety: one client (and its reader) per thread.
#pragma once

#include "http/request.h"

#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codecrew::testing {

using HttpHeaders = std::map<std::string, std::string, http::CaseInsensitiveLess>;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  int status = 0;
  HttpHeaders headers;  // case-insensitive lookup; repeated fields joined with ", "
  std::string body;

  // The body parsed as JSON (throws if it is not JSON).
  boost::json::value json() const;
  // A header's value, or "" when absent.
  std::string header(std::string_view name) const;
};

class HttpStreamReader;

class HttpClient {
 public:
  HttpClient(std::string host, int port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads the whole response. A non-empty body without
  // a Content-Type header is sent as application/json.
  HttpResult request(std::string_view method, std::string_view target, std::string body = "",
                     const HeaderList& headers = {});
  // Writes `bytes` as they are (for malformed or hand-made requests) and reads
  // one response.
  HttpResult sendRaw(std::string_view bytes);
  // Sends a request and returns once the response head has arrived.
  HttpStreamReader stream(std::string_view method, std::string_view target, std::string body = "",
                          const HeaderList& headers = {});

  // TCP connections opened so far (1 after many keep-alive requests).
  int connects() const;
  // Closes the connection (the next request opens a new one).
  void close();
  // Per-operation timeout (default 10 s).
  void setTimeout(std::chrono::milliseconds timeout);

  struct Connection;

 private:
  std::shared_ptr<Connection> connection_;
};

class HttpStreamReader {
 public:
  enum class Read { kData, kEnd, kTimeout, kClosed };

  HttpStreamReader(HttpStreamReader&&) noexcept;
  HttpStreamReader& operator=(HttpStreamReader&&) noexcept;
  ~HttpStreamReader();

  int status() const;
  const HttpHeaders& headers() const;
  // The next chunk as the server framed it (the whole body for a response
  // that is not chunked): kData with `out` set, kEnd once the response is
  // complete, kTimeout, or kClosed if the connection ended first.
  Read readChunk(std::string& out, std::chrono::milliseconds timeout);
  // The next line of the body (without its "\n"), across chunk boundaries;
  // nullopt on timeout, end or close.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout);
  // Everything until the end of the response (or the timeout).
  std::string readAll(std::chrono::milliseconds timeout);
  // True once the whole response was read (the connection may be reused).
  bool ended() const;
  // Closes the connection mid-stream.
  void close();

 private:
  friend class HttpClient;
  struct State;
  explicit HttpStreamReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace codecrew::testing
