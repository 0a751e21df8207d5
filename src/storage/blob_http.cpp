#include "storage/blob_http.h"

#include "core/http_date.h"
#include "core/log.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>

namespace codecrew::storage {
using std::chrono::milliseconds;

namespace {

bool retriedStatus(int status) { return status == 500 || status == 502 || status == 503 || status == 504; }

// A draw in [0, 1) for the backoff's jitter.
double unitDraw() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

void decodeEntities(std::string& s) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (s.compare(i, entity.size(), entity) == 0) {
          out += c;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  s = std::move(out);
}

}  // namespace

core::RetryPolicy blobRetryPolicy() {
  core::RetryPolicy policy;
  policy.max_attempts = 4;
  policy.base_delay = milliseconds(200);
  policy.max_delay = milliseconds(10'000);
  policy.max_retry_after = milliseconds(30'000);
  return policy;
}

BlobSleep asioSleep() {
  return [](milliseconds d) -> boost::asio::awaitable<void> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(boost::asio::use_awaitable);
  };
}

boost::asio::awaitable<core::Result<RetriedResponse>> sendWithRetries(
    const BlobHttpDeps& deps, const std::function<core::Result<http::ClientRequest>()>& build, const std::string& what,
    const std::shared_ptr<bool>& delivered) {
  const BlobSleep sleep = deps.sleep ? deps.sleep : asioSleep();
  const int max_attempts = std::max(1, deps.retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    auto request = build();
    if (!request) co_return request.error();
    auto sent = co_await deps.http->send(std::move(request).value());
    std::string reason;
    std::optional<milliseconds> delay;
    if (!sent) {
      auto code = sent.error().code;
      bool transient = code == core::ErrorCode::kUnavailable || code == core::ErrorCode::kDeadlineExceeded;
      if (!transient || (delivered && *delivered) || attempt >= max_attempts) {
        if (transient && attempt > 1)
          co_return core::Error::unavailable(what + " failed after " + std::to_string(attempt) +
                                             " tries: " + sent.error().message);
        co_return sent.error();
      }
      reason = sent.error().message;
      delay = deps.retry.backoff(attempt + 1, std::nullopt, unitDraw());
    } else {
      if (!retriedStatus(sent->status) || attempt >= max_attempts)
        co_return RetriedResponse{std::move(sent).value(), attempt};
      reason = "HTTP " + std::to_string(sent->status);
      std::optional<milliseconds> after;
      if (auto header = sent->header("retry-after"))
        after = core::parseRetryAfter(*header, deps.clock ? deps.clock->nowMillis() : 0);
      delay = deps.retry.backoff(attempt + 1, after, unitDraw());
      // A Retry-After past the policy's cap: the caller gets the answer now.
      if (!delay) co_return RetriedResponse{std::move(sent).value(), attempt};
    }
    const milliseconds d = *delay;
    core::log::warn("retrying an artifact store call",
                    {{"call", what}, {"reason", reason}, {"attempt", attempt}, {"wait_ms", d.count()}});
    co_await sleep(d);
  }
}

boost::asio::awaitable<core::Result<RetriedResponse>> sendStreamedWithRetries(
    const BlobHttpDeps& deps, const std::function<core::Result<http::ClientRequest>()>& build, const std::string& what,
    const std::function<bool(std::string_view)>& sink) {
  auto delivered = std::make_shared<bool>(false);
  std::function<core::Result<http::ClientRequest>()> streamed = [&]() -> core::Result<http::ClientRequest> {
    auto req = build();
    if (!req) return req;
    req->on_body_chunk = [delivered, &sink](std::string_view chunk) {
      *delivered = true;
      return sink(chunk);
    };
    return req;
  };
  co_return co_await sendWithRetries(deps, streamed, what, delivered);
}

std::string xmlElement(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  auto start = xml.find(open);
  if (start == std::string_view::npos) return "";
  start += open.size();
  auto end = xml.find(close, start);
  if (end == std::string_view::npos) return "";
  std::string text(xml.substr(start, end - start));
  decodeEntities(text);
  return text;
}

}  // namespace codecrew::storage
