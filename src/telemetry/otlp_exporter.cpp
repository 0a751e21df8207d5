#include "telemetry/otlp_exporter.h"

#include "core/log.h"
#include "telemetry/otlp_json.h"

#include <algorithm>

namespace codecrew::telemetry {
namespace {

constexpr const char* kScopeName = "codecrew";

// The URL without user information (a password), for the log.
std::string withoutUserInfo(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto authority_end = url.find_first_of("/?#", scheme + 3);
  const auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  if (at == std::string::npos || at < scheme) return url;
  return url.substr(0, scheme + 3) + url.substr(at + 1);
}

bool retryable(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

}  // namespace

OtlpExporter::OtlpExporter(OtlpConfig config, OtlpPost post, OtlpExporterOptions options)
    : config_(std::move(config)),
      post_(std::move(post)),
      options_(options),
      log_endpoint_(withoutUserInfo(config_.endpoint)) {
  worker_ = std::thread([this] { run(); });
}

OtlpExporter::~OtlpExporter() { shutdown(); }

void OtlpExporter::submit(SpanData span) {
  std::unique_lock lock(mu_);
  if (stopping_) {
    dropped_shutdown_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (queue_.size() >= config_.batch.max_queue_size) {
    dropped_full_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  queue_.push_back(std::move(span));
  const bool full_batch = queue_.size() >= config_.batch.max_export_batch_size;
  lock.unlock();
  if (full_batch) wake_.notify_one();
}

bool OtlpExporter::flush() {
  std::unique_lock lock(mu_);
  if (stopping_) return queue_.empty();
  const std::uint64_t target = ++flush_wanted_;
  wake_.notify_one();
  return flushed_.wait_for(lock, config_.batch.export_timeout, [&] { return flush_done_ >= target; });
}

void OtlpExporter::shutdown() {
  std::lock_guard once(shutdown_mu_);
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      stopping_ = true;
      shutdown_deadline_ = Steady::now() + config_.batch.export_timeout;
    }
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

OtlpExporterStats OtlpExporter::stats() const {
  OtlpExporterStats s;
  s.spans_exported = exported_.load(std::memory_order_relaxed);
  s.spans_dropped_queue_full = dropped_full_.load(std::memory_order_relaxed);
  s.spans_dropped_failed = dropped_failed_.load(std::memory_order_relaxed);
  s.spans_dropped_shutdown = dropped_shutdown_.load(std::memory_order_relaxed);
  s.spans_dropped = s.spans_dropped_queue_full + s.spans_dropped_failed + s.spans_dropped_shutdown;
  s.batches_exported = batches_exported_.load(std::memory_order_relaxed);
  s.batches_failed = batches_failed_.load(std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  s.queued = queue_.size();
  return s;
}

std::vector<SpanData> OtlpExporter::takeBatch() {
  const std::size_t n = std::min(queue_.size(), config_.batch.max_export_batch_size);
  std::vector<SpanData> batch;
  batch.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

void OtlpExporter::run() {
  std::unique_lock lock(mu_);
  auto next = Steady::now() + config_.batch.schedule_delay;
  const std::size_t batch_size = config_.batch.max_export_batch_size;
  while (!stopping_) {
    wake_.wait_until(lock, next,
                     [&] { return stopping_ || queue_.size() >= batch_size || flush_wanted_ > flush_done_; });
    if (stopping_) break;
    const std::uint64_t flush_target = flush_wanted_;
    const bool due = Steady::now() >= next || flush_target > flush_done_;
    if (queue_.size() >= batch_size || (due && !queue_.empty())) {
      auto batch = takeBatch();
      lock.unlock();
      exportBatch(std::move(batch));
      noteOverflow();
      lock.lock();
      if (due) next = Steady::now() + config_.batch.schedule_delay;
      continue;
    }
    // Nothing (more) to send: a flush asked for before this point is done.
    if (flush_target > flush_done_) {
      flush_done_ = flush_target;
      flushed_.notify_all();
    }
    if (due) next = Steady::now() + config_.batch.schedule_delay;
    lock.unlock();
    noteOverflow();
    lock.lock();
  }
  // Shutting down: send what is queued until the deadline, drop the rest.
  while (!queue_.empty() && Steady::now() < shutdown_deadline_) {
    auto batch = takeBatch();
    lock.unlock();
    exportBatch(std::move(batch));
    lock.lock();
  }
  dropped_shutdown_.fetch_add(queue_.size(), std::memory_order_relaxed);
  queue_.clear();
  flush_done_ = flush_wanted_;
  flushed_.notify_all();
}

OtlpExporter::Steady::time_point OtlpExporter::limit(Steady::time_point batch_deadline) {
  std::lock_guard lock(mu_);
  return stopping_ ? std::min(batch_deadline, shutdown_deadline_) : batch_deadline;
}

bool OtlpExporter::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  const auto until = Steady::now() + d;
  return !wake_.wait_until(lock, until, [&] { return stopping_ && shutdown_deadline_ < until; });
}

void OtlpExporter::exportBatch(std::vector<SpanData> batch) {
  const auto batch_deadline = Steady::now() + config_.batch.export_timeout;
  const std::string body = encodeOtlpTraces(batch, config_.resource, kScopeName, config_.service_version);
  int status = 0;
  std::string error;
  auto backoff = options_.first_backoff;
  for (int attempt = 1;; ++attempt) {
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(limit(batch_deadline) - Steady::now());
    if (remaining.count() <= 0) {
      error = "the export timeout passed";
      break;
    }
    core::Result<OtlpReply> reply = core::Error::internal("");
    try {
      reply = post_(config_.endpoint, config_.headers, body, std::min(config_.timeout, remaining));
    } catch (const std::exception& e) {  // a poster's bug must not end the process
      reply = core::Error::internal(std::string("the poster threw: ") + e.what());
    }
    std::optional<std::chrono::milliseconds> retry_after;
    if (reply.ok()) {
      status = reply->status;
      if (status >= 200 && status < 300) {
        exported_.fetch_add(batch.size(), std::memory_order_relaxed);
        batches_exported_.fetch_add(1, std::memory_order_relaxed);
        if (failed_since_success_) {
          failed_since_success_ = false;
          core::log::info("spans are exported again", {{"endpoint", log_endpoint_}});
        }
        return;
      }
      error = "HTTP " + std::to_string(status);
      if (!retryable(status)) break;
      retry_after = reply->retry_after;
    } else {
      status = 0;
      error = reply.error().message;
    }
    if (attempt >= options_.max_attempts) break;
    auto wait = backoff;
    backoff *= 2;
    if (retry_after) {
      if (*retry_after > options_.max_retry_after) {
        error += " (Retry-After too long)";
        break;
      }
      wait = *retry_after;
    }
    if (Steady::now() + wait >= limit(batch_deadline) || !pause(wait)) break;
  }
  dropped_failed_.fetch_add(batch.size(), std::memory_order_relaxed);
  batches_failed_.fetch_add(1, std::memory_order_relaxed);
  warnIfDue("could not export spans; the batch is dropped", status, error, true);
}

void OtlpExporter::noteOverflow() {
  if (full_drops_logged_ != dropped_full_.load(std::memory_order_relaxed))
    warnIfDue("the span export queue is full; spans are dropped", 0, "", false);
}

void OtlpExporter::warnIfDue(const std::string& message, int status, const std::string& error, bool failed_export) {
  if (failed_export) failed_since_success_ = true;
  const auto now = Steady::now();
  if (last_warn_ && now - *last_warn_ < options_.log_interval) return;
  last_warn_ = now;
  full_drops_logged_ = dropped_full_.load(std::memory_order_relaxed);
  const auto s = stats();
  boost::json::object fields{{"endpoint", log_endpoint_},
                             {"spans_dropped", s.spans_dropped},
                             {"spans_dropped_queue_full", s.spans_dropped_queue_full},
                             {"batches_failed", s.batches_failed}};
  if (status != 0) fields["status"] = status;
  if (!error.empty()) fields["error"] = error;
  core::log::warn(message, fields);
}

}  // namespace codecrew::telemetry
