#include "integrations/rest_client.h"

#include "core/http_date.h"
#include "core/log.h"
#include "llm/provider_error.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <random>

namespace codecrew::integrations {
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

bool transient(int status) { return status == 500 || status == 502 || status == 503 || status == 504; }

std::optional<std::int64_t> headerInt(const http::Headers& headers, std::string_view name) {
  auto v = http::findHeader(headers, name);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size()) return std::nullopt;
  return n;
}

// What a limited answer asks for: nullopt when the answer is not a limit.
struct LimitWait {
  std::optional<milliseconds> wait;  // nullopt: back off by the policy
  std::string reason;
};

std::optional<LimitWait> rateLimit(const http::ClientResponse& r, core::Millis now) {
  if (r.status != 429 && r.status != 403) return std::nullopt;
  if (auto ra = r.header("retry-after")) {
    auto wait = core::parseRetryAfter(*ra, now);
    return LimitWait{wait, "retry-after " + *ra};
  }
  auto remaining = headerInt(r.headers, "x-ratelimit-remaining");
  if (remaining && *remaining == 0) {
    auto reset = headerInt(r.headers, "x-ratelimit-reset");
    if (reset) {
      auto wait = milliseconds(std::max<std::int64_t>(0, *reset * 1000 - now) + 1000);
      return LimitWait{wait, "rate limit spent until " + std::to_string(*reset)};
    }
    return LimitWait{std::nullopt, "rate limit spent"};
  }
  if (r.status == 429) return LimitWait{std::nullopt, "429"};
  // GitHub's secondary limits: 403 with a message that says so.
  if (r.body.find("secondary rate limit") != std::string::npos) return LimitWait{std::nullopt, "secondary rate limit"};
  return std::nullopt;
}

core::Error exhausted(std::string message) {
  return core::Error{core::ErrorCode::kResourceExhausted, std::move(message), nullptr};
}

std::string hostOf(const std::string& url) {
  auto s = url.find("://");
  auto start = s == std::string::npos ? 0 : s + 3;
  auto end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

RestClient::RestClient(std::shared_ptr<http::HttpClient> http, std::shared_ptr<llm::Sleeper> sleeper,
                       std::shared_ptr<core::Clock> clock, RestClientOptions options)
    : http_(std::move(http)), sleeper_(std::move(sleeper)), clock_(std::move(clock)), options_(std::move(options)) {
  auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
  draw_ = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
}

boost::asio::awaitable<core::Result<RestResponse>> RestClient::call(RestRequest request) {
  http::ClientRequest req;
  req.method = request.method;
  req.url = request.url;
  req.timeouts = options_.timeouts;
  for (const auto& h : options_.default_headers)  // a request's own header wins over the default
    if (!http::findHeader(request.headers, h.first)) req.headers.push_back(h);
  req.headers.emplace_back("User-Agent", options_.user_agent);
  if (!options_.authorization.empty()) req.headers.emplace_back("Authorization", options_.authorization);
  for (auto& h : request.headers) req.headers.push_back(h);
  if (request.body) {
    req.body = json::serialize(*request.body);
    req.headers.emplace_back("Content-Type", "application/json");
  }
  const std::string what = options_.name + " " + request.method + " " + hostOf(request.url);
  for (int attempt = 1;; ++attempt) {
    auto sent = co_await http_->send(req);
    std::optional<milliseconds> wait;
    std::string reason;
    bool retry = false;
    if (!sent) {
      auto code = sent.error().code;
      if (code != core::ErrorCode::kUnavailable && code != core::ErrorCode::kDeadlineExceeded) co_return sent.error();
      retry = true;
      reason = sent.error().message;
    } else if (auto limit = rateLimit(*sent, clock_->nowMillis())) {
      retry = true;
      wait = limit->wait;
      reason = limit->reason;
      if (wait && *wait > options_.retry.max_retry_after) {
        co_return exhausted(what + ": rate limited (" + reason + "); not waiting " +
                            std::to_string(wait->count() / 1000) + " s");
      }
    } else if (transient(sent->status)) {
      retry = true;
      reason = "HTTP " + std::to_string(sent->status);
    }
    if (!retry) {
      RestResponse out;
      out.status = sent->status;
      out.headers = std::move(sent->headers);
      out.body = std::move(sent->body);
      out.attempts = attempt;
      if (!out.body.empty()) {
        boost::system::error_code ec;
        auto v = json::parse(out.body, ec);
        if (!ec) out.json = std::move(v);
      }
      co_return out;
    }
    if (attempt >= options_.retry.max_attempts) {
      if (!sent)
        co_return core::Error::unavailable(what + " failed after " + std::to_string(attempt) + " tries: " + reason);
      if (sent->status == 429 || sent->status == 403)
        co_return exhausted(what + ": still rate limited after " + std::to_string(attempt) + " tries (" + reason + ")");
      co_return core::Error::unavailable(what + " failed after " + std::to_string(attempt) + " tries: " + reason);
    }
    auto delay = options_.retry.backoff(attempt + 1, wait, draw_());
    milliseconds d = delay ? *delay : options_.retry.max_delay;
    core::log::warn("retrying a REST call",
                    {{"call", what}, {"reason", reason}, {"attempt", attempt}, {"wait_ms", d.count()}});
    co_await sleeper_->sleep(d);
  }
}

}  // namespace codecrew::integrations
