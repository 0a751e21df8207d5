// RestClient: JSON calls to a code host's or tracker's REST API (GitHub,
// Jira) with their rate limits honoured through the same machinery as the
// model providers (llm::RetryPolicy for backoff, llm::Sleeper for waiting):
//  - 429, and 403 with Retry-After or a "secondary rate limit" message,
//    wait Retry-After (or back off) and try again;
//  - x-ratelimit-remaining: 0 on a 403/429 waits until x-ratelimit-reset
//    (epoch seconds, by the client's clock) and tries again;
//  - 500, 502, 503, 504 and transport failures (kUnavailable,
//    kDeadlineExceeded) back off and try again;
//  - a wait longer than the policy's max_retry_after is not waited: the
//    call fails with kResourceExhausted naming when the limit resets.
// Every other status is returned to the caller as it is (the caller judges
// 404, 422, ...). Credentials are sent in headers only and never appear in
// an error message. Each wait is logged at warn (host, status, wait).
// Thread-safety: call() may be used from any number of coroutines at once.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "http/client/http_client.h"
#include "llm/router/retry_policy.h"
#include "llm/router/sleeper.h"

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace codecrew::integrations {

struct RestRequest {
  std::string method = "GET";
  std::string url;                         // absolute
  std::optional<boost::json::value> body;  // sent as application/json
  http::Headers headers;                   // extra headers; replace defaults of the same name
};

struct RestResponse {
  int status = 0;
  http::Headers headers;
  std::string body;  // raw
  // The body parsed as JSON (null when empty or not JSON).
  boost::json::value json;
  int attempts = 1;  // tries it took

  std::optional<std::string> header(std::string_view name) const { return http::findHeader(headers, name); }
};

struct RestClientOptions {
  std::string name;           // "github", "jira": in logs and errors
  std::string authorization;  // the Authorization header's value ("" for none)
  std::string user_agent = "codecrew";
  http::Headers default_headers;  // sent with every call (Accept, X-GitHub-Api-Version)
  llm::RetryPolicy retry{.max_attempts = 4};
  http::Timeouts timeouts{.connect = std::chrono::seconds(10),
                          .first_byte = std::chrono::seconds(30),
                          .idle = std::chrono::seconds(30),
                          .total = std::chrono::seconds(60)};
};

class RestClient {
 public:
  RestClient(std::shared_ptr<http::HttpClient> http, std::shared_ptr<llm::Sleeper> sleeper,
             std::shared_ptr<core::Clock> clock, RestClientOptions options);

  boost::asio::awaitable<core::Result<RestResponse>> call(RestRequest request);

  const RestClientOptions& options() const { return options_; }

 private:
  std::shared_ptr<http::HttpClient> http_;
  std::shared_ptr<llm::Sleeper> sleeper_;
  std::shared_ptr<core::Clock> clock_;
  RestClientOptions options_;
  std::function<double()> draw_;
};

}  // namespace codecrew::integrations
