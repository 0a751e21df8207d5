// OtlpExporter: the SpanSink that sends finished spans to an OTLP/HTTP
// collector as JSON (otlp_json.h), a batch span processor as the
// OpenTelemetry SDKs have one:
//  - submit() queues the span and returns at once: when max_queue_size
//    spans are already waiting (or after shutdown) the span is dropped and
//    counted, never waited for.
//  - A background thread sends a batch of up to max_export_batch_size spans
//    as soon as that many wait, and whatever waits every schedule_delay.
//  - A batch is POSTed through the injected OtlpPost (the real one is in
//    app/otlp_post.h; tests pass fakes) with the configured headers, each
//    request within the OTLP timeout. 2xx is success. 429, 502, 503, 504 and
//    transport errors are retried after a short backoff (doubling from
//    first_backoff, or the server's Retry-After when it is at most
//    max_retry_after; a longer one gives up), at most max_attempts in all and
//    never past the batch's export_timeout. Anything else drops the batch.
//  - A failed export is logged (warn: endpoint, status, error, spans
//    dropped so far) at most once per log_interval, as are queue overflows;
//    span contents and headers never are. The first success after a
//    failed export is logged (info).
//  - flush() sends what is queued and waits for it, within export_timeout.
//    shutdown() (and the destructor) stops taking spans, sends what is
//    queued within export_timeout, drops (and counts) what is left, and
//    joins the thread.
// Thread-safety: submit, flush, shutdown and stats are safe from any
// thread; flush and shutdown block (not from a span's hot path).
#pragma once

#include "core/result.h"
#include "telemetry/otlp_config.h"
#include "telemetry/span_data.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace codecrew::telemetry {

// What the collector answered: the HTTP status, and its Retry-After.
struct OtlpReply {
  OtlpReply(int status_code = 0, std::optional<std::chrono::milliseconds> retry = std::nullopt)  // NOLINT: implicit
      : status(status_code), retry_after(retry) {}
  int status = 0;
  std::optional<std::chrono::milliseconds> retry_after;
};

using OtlpHeaders = std::vector<std::pair<std::string, std::string>>;

// One blocking POST of `body` (application/json) to `url` with `headers`,
// within `timeout`. A transport failure (connect, TLS, timeout) is an
// error; any HTTP status is a reply.
using OtlpPost = std::function<core::Result<OtlpReply>(const std::string& url, const OtlpHeaders& headers,
                                                       const std::string& body, std::chrono::milliseconds timeout)>;

struct OtlpExporterOptions {
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{250};
  std::chrono::milliseconds max_retry_after{5000};
  std::chrono::milliseconds log_interval{60000};
};

// Counters since the exporter was made (for metrics).
struct OtlpExporterStats {
  std::uint64_t spans_exported = 0;
  std::uint64_t spans_dropped = 0;             // all drops: the three below
  std::uint64_t spans_dropped_queue_full = 0;  // submitted to a full queue
  std::uint64_t spans_dropped_failed = 0;      // in batches that failed
  std::uint64_t spans_dropped_shutdown = 0;    // submitted after, or left at, shutdown
  std::uint64_t batches_exported = 0;
  std::uint64_t batches_failed = 0;
  std::size_t queued = 0;  // spans waiting now
};

class OtlpExporter final : public SpanSink {
 public:
  // `config.endpoint` must be set (config.enabled); starts the thread.
  OtlpExporter(OtlpConfig config, OtlpPost post, OtlpExporterOptions options = {});
  ~OtlpExporter() override;
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  void submit(SpanData span) override;
  // Sends every span queued and waits until they are exported (or their
  // batch failed); false if that took longer than export_timeout.
  bool flush();
  // Idempotent; see the contract above.
  void shutdown();
  OtlpExporterStats stats() const;
  const OtlpConfig& config() const { return config_; }

 private:
  using Steady = std::chrono::steady_clock;
  void run();
  // Takes up to a batch from the queue. Holds mu_.
  std::vector<SpanData> takeBatch();
  // Sends one batch with its retries; counts and logs the outcome.
  void exportBatch(std::vector<SpanData> batch);
  // The batch's deadline, brought forward to the shutdown's.
  Steady::time_point limit(Steady::time_point batch_deadline);
  // Sleeps `d` unless a shutdown's deadline falls within it (then false).
  bool pause(std::chrono::milliseconds d);
  // Warns (when due) of spans dropped by a full queue since the last warning.
  void noteOverflow();
  void warnIfDue(const std::string& message, int status, const std::string& error, bool failed_export);

  const OtlpConfig config_;
  const OtlpPost post_;
  const OtlpExporterOptions options_;
  const std::string log_endpoint_;  // without user information

  mutable std::mutex mu_;
  std::condition_variable wake_;            // the worker: work, flush, shutdown
  std::condition_variable flushed_;         // flush() callers
  std::deque<SpanData> queue_;              // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  Steady::time_point shutdown_deadline_{};  // guarded by mu_
  std::uint64_t flush_wanted_ = 0;          // guarded by mu_
  std::uint64_t flush_done_ = 0;            // guarded by mu_

  std::atomic<std::uint64_t> exported_{0}, dropped_full_{0}, dropped_failed_{0}, dropped_shutdown_{0};
  std::atomic<std::uint64_t> batches_exported_{0}, batches_failed_{0};

  // The worker's own.
  std::optional<Steady::time_point> last_warn_;
  bool failed_since_success_ = false;
  std::uint64_t full_drops_logged_ = 0;

  std::mutex shutdown_mu_;  // one shutdown joins the thread
  std::thread worker_;
};

}  // namespace codecrew::telemetry
