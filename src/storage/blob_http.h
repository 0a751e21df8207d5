// What the cloud BlobStores (S3, Azure) share: one request sent with retries
// and backoff (core::RetryPolicy), and the services' XML error bodies read.
//
// sendWithRetries() builds the request afresh for each try (a new date and
// signature) and sends it; transport failures (kUnavailable,
// kDeadlineExceeded) and the statuses 500, 502, 503 and 504 are tried again
// after a backoff (exponential with jitter; a Retry-After in seconds is
// waited instead, up to max_retry_after), at most max_attempts tries in all.
// It answers the last response, whatever its status (the store classifies
// it), or the last transport error. A 2xx body being streamed to a sink is
// never tried again once a byte was delivered (the caller's sink sees each
// byte once).
// Thread-safety: pure functions; sendWithRetries may run in any number of
// coroutines at once.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "core/retry_policy.h"
#include "http/client/http_client.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::storage {

// The cloud stores' retries: 4 tries in all, from 200 ms doubling to at
// most 10 s apart, a Retry-After of up to 30 s waited.
core::RetryPolicy blobRetryPolicy();

// Waits without holding a thread. asioSleep() waits on a timer of the
// calling coroutine's executor; tests pass one that only records.
using BlobSleep = std::function<boost::asio::awaitable<void>(std::chrono::milliseconds)>;
BlobSleep asioSleep();

// What every cloud store is built with.
struct BlobHttpDeps {
  std::shared_ptr<http::HttpClient> http;
  std::shared_ptr<core::Clock> clock;
  BlobSleep sleep;  // null: asioSleep()
  core::RetryPolicy retry = blobRetryPolicy();
};

struct RetriedResponse {
  http::ClientResponse response;
  int attempts = 1;
};

// `build` makes the try's request (nullopt sink: the body is collected).
// `delivered` is set by the caller's sink wrapper once a byte went out.
boost::asio::awaitable<core::Result<RetriedResponse>> sendWithRetries(
    const BlobHttpDeps& deps, const std::function<core::Result<http::ClientRequest>()>& build, const std::string& what,
    const std::shared_ptr<bool>& delivered = nullptr);

// sendWithRetries for a read whose 2xx body goes to `sink` piece by piece
// (false from the sink stops the read): each try's request is `build`'s with
// the sink attached, and none is tried again once a byte was delivered.
boost::asio::awaitable<core::Result<RetriedResponse>> sendStreamedWithRetries(
    const BlobHttpDeps& deps, const std::function<core::Result<http::ClientRequest>()>& build, const std::string& what,
    const std::function<bool(std::string_view)>& sink);

// The text of the first <name>...</name> element of an XML body, entities
// decoded; "" when there is none.
std::string xmlElement(std::string_view xml, std::string_view name);

}  // namespace codecrew::storage
