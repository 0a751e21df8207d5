#include "telemetry/otlp_exporter.h"

#include "core/log.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>

namespace codecrew::telemetry {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;

// A guard against a hang, never a measure of speed.
constexpr auto kPatience = 20s;

struct PostCall {
  std::string url;
  OtlpHeaders headers;
  std::string body;
  std::chrono::milliseconds timeout{};
  std::size_t spans = 0;
};

// The collector end of the exporter: records every call and answers from a
// script (then 200); while closed, a call waits at the gate.
class FakePost {
 public:
  OtlpPost post() {
    return [this](const std::string& url, const OtlpHeaders& headers, const std::string& body,
                  std::chrono::milliseconds timeout) -> core::Result<OtlpReply> {
      std::unique_lock lock(mu_);
      ++entered_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return open_; });
      const auto doc = bj::parse(body);
      const auto n = doc.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").as_array().size();
      calls_.push_back({url, headers, body, timeout, n});
      cv_.notify_all();
      if (script_.empty()) return OtlpReply(200);
      auto next = std::move(script_.front());
      script_.pop_front();
      return next;
    };
  }
  void script(core::Result<OtlpReply> reply) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(reply));
  }
  void close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until `n` calls have reached the poster (and are waiting at a closed gate).
  bool awaitEntered(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return entered_ >= n; });
  }
  // Waits until `n` calls were answered.
  bool awaitCalls(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] { return calls_.size() >= n; });
  }
  // Waits until calls carrying `n` spans in all were answered.
  bool awaitSpans(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kPatience, [&] {
      std::size_t posted = 0;
      for (const auto& c : calls_) posted += c.spans;
      return posted >= n;
    });
  }
  std::vector<PostCall> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::size_t spansPosted() {
    std::size_t n = 0;
    for (const auto& c : calls()) n += c.spans;
    return n;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  std::size_t entered_ = 0;
  std::deque<core::Result<OtlpReply>> script_;
  std::vector<PostCall> calls_;
};

OtlpConfig config(std::size_t batch, std::size_t queue, std::chrono::milliseconds delay = 1h) {
  OtlpConfig c;
  c.enabled = true;
  c.endpoint = "http://collector.invalid:4318/v1/traces";
  c.headers = {{"x-api-key", "k-123456789"}};
  c.resource = {{"service.name", std::string("codecrew")}};
  c.service_version = "9.9.9";
  c.batch.max_export_batch_size = batch;
  c.batch.max_queue_size = queue;
  c.batch.schedule_delay = delay;
  return c;
}

OtlpExporterOptions fastRetries() {
  OtlpExporterOptions o;
  o.first_backoff = 1ms;
  return o;
}

SpanData span(int i) {
  SpanData s;
  s.name = "span-" + std::to_string(i);
  s.context.trace_id = newTraceId();
  s.context.span_id = newSpanId();
  s.context.sampled = true;
  s.start_unix_nanos = 1000 + i;
  s.end_unix_nanos = 2000 + i;
  return s;
}

TEST(OtlpExporterTest, AFullBatchLeavesAtOnce) {
  FakePost collector;
  OtlpExporter exporter(config(3, 100), collector.post());
  for (int i = 0; i < 7; ++i) exporter.submit(span(i));
  ASSERT_TRUE(collector.awaitCalls(2));
  auto calls = collector.calls();
  EXPECT_EQ(calls[0].spans, 3u);
  EXPECT_EQ(calls[1].spans, 3u);
  // The seventh waits for the schedule (an hour) or a flush.
  EXPECT_EQ(exporter.stats().queued, 1u);
  EXPECT_EQ(collector.calls().size(), 2u);
  exporter.shutdown();
  EXPECT_EQ(collector.spansPosted(), 7u);
  EXPECT_EQ(exporter.stats().spans_exported, 7u);
  EXPECT_EQ(exporter.stats().batches_exported, 3u);
}

TEST(OtlpExporterTest, APartialBatchLeavesOnTheSchedule) {
  FakePost collector;
  OtlpExporter exporter(config(512, 2048, 10ms), collector.post());
  exporter.submit(span(1));
  exporter.submit(span(2));
  // Neither a full batch nor a flush: only the schedule sends them.
  ASSERT_TRUE(collector.awaitSpans(2));
  EXPECT_EQ(exporter.stats().spans_exported, 2u);
}

TEST(OtlpExporterTest, PostsToTheEndpointWithTheHeadersAndTheResource) {
  FakePost collector;
  OtlpExporter exporter(config(1, 10), collector.post());
  exporter.submit(span(1));
  ASSERT_TRUE(collector.awaitCalls(1));
  const auto call = collector.calls().at(0);
  EXPECT_EQ(call.url, "http://collector.invalid:4318/v1/traces");
  EXPECT_EQ(call.headers, exporter.config().headers);
  EXPECT_LE(call.timeout, exporter.config().timeout);
  const auto doc = bj::parse(call.body);
  const auto& rs = doc.at("resourceSpans").at(0);
  EXPECT_EQ(rs.at("resource").at("attributes").at(0).at("key"), "service.name");
  EXPECT_EQ(rs.at("scopeSpans").at(0).at("scope").at("name"), "codecrew");
  EXPECT_EQ(rs.at("scopeSpans").at(0).at("scope").at("version"), "9.9.9");
  EXPECT_EQ(rs.at("scopeSpans").at(0).at("spans").at(0).at("name"), "span-1");
}

TEST(OtlpExporterTest, FlushSendsWhatIsQueuedAndWaits) {
  FakePost collector;
  OtlpExporter exporter(config(512, 2048), collector.post());
  for (int i = 0; i < 3; ++i) exporter.submit(span(i));
  EXPECT_TRUE(exporter.flush());
  EXPECT_EQ(collector.spansPosted(), 3u);
  EXPECT_EQ(exporter.stats().spans_exported, 3u);
  EXPECT_TRUE(exporter.flush());  // nothing queued
  EXPECT_EQ(collector.calls().size(), 1u);
}

TEST(OtlpExporterTest, ShutdownSendsWhatIsQueuedThenDropsNewSpans) {
  FakePost collector;
  OtlpExporter exporter(config(2, 100), collector.post());
  exporter.submit(span(1));  // under a batch, an hour before the schedule
  exporter.shutdown();
  EXPECT_EQ(collector.spansPosted(), 1u);
  exporter.submit(span(2));
  exporter.shutdown();  // idempotent
  const auto stats = exporter.stats();
  EXPECT_EQ(stats.spans_exported, 1u);
  EXPECT_EQ(stats.spans_dropped_shutdown, 1u);
  EXPECT_EQ(stats.spans_dropped, 1u);
  EXPECT_EQ(collector.calls().size(), 1u);
}

TEST(OtlpExporterTest, TheDestructorShutsDown) {
  FakePost collector;
  {
    OtlpExporter exporter(config(10, 100), collector.post());
    for (int i = 0; i < 4; ++i) exporter.submit(span(i));
  }
  EXPECT_EQ(collector.spansPosted(), 4u);
}

TEST(OtlpExporterTest, AFullQueueDropsAndCounts) {
  FakePost collector;
  collector.close();
  OtlpExporter exporter(config(2, 4), collector.post());
  exporter.submit(span(0));
  exporter.submit(span(1));  // a full batch: the worker takes both and waits at the gate
  ASSERT_TRUE(collector.awaitEntered(1));
  for (int i = 2; i < 9; ++i) exporter.submit(span(i));  // four fit, three do not
  auto stats = exporter.stats();
  EXPECT_EQ(stats.queued, 4u);
  EXPECT_EQ(stats.spans_dropped_queue_full, 3u);
  EXPECT_EQ(stats.spans_dropped, 3u);
  collector.open();
  exporter.shutdown();
  stats = exporter.stats();
  EXPECT_EQ(stats.spans_exported, 6u);
  EXPECT_EQ(collector.spansPosted(), 6u);
}

TEST(OtlpExporterTest, ASlowCollectorNeverBlocksSubmit) {
  FakePost collector;
  collector.close();
  OtlpExporter exporter(config(1, 8), collector.post());
  exporter.submit(span(0));
  ASSERT_TRUE(collector.awaitEntered(1));
  // The collector holds the worker: every submit still returns (queue or drop).
  for (int i = 1; i < 1000; ++i) exporter.submit(span(i));
  auto stats = exporter.stats();
  EXPECT_EQ(stats.queued, 8u);
  EXPECT_EQ(stats.spans_dropped_queue_full, 991u);
  collector.open();
  exporter.shutdown();
  EXPECT_EQ(exporter.stats().spans_exported, 9u);
}

TEST(OtlpExporterTest, RetriesUnavailableThenSucceeds) {
  FakePost collector;
  collector.script(OtlpReply(503));
  collector.script(OtlpReply(429, 1ms));  // a small Retry-After is honoured
  OtlpExporter exporter(config(512, 2048), collector.post(), fastRetries());
  exporter.submit(span(1));
  EXPECT_TRUE(exporter.flush());
  EXPECT_EQ(collector.calls().size(), 3u);
  const auto stats = exporter.stats();
  EXPECT_EQ(stats.spans_exported, 1u);
  EXPECT_EQ(stats.batches_failed, 0u);
  EXPECT_EQ(stats.spans_dropped, 0u);
}

TEST(OtlpExporterTest, RetriesTransportErrorsAndEachGatewayStatus) {
  FakePost collector;
  collector.script(core::Error::unavailable("connection refused"));
  collector.script(OtlpReply(502));
  OtlpExporter exporter(config(512, 2048), collector.post(), fastRetries());
  exporter.submit(span(1));
  EXPECT_TRUE(exporter.flush());
  EXPECT_EQ(collector.calls().size(), 3u);
  EXPECT_EQ(exporter.stats().spans_exported, 1u);

  collector.script(OtlpReply(504));
  exporter.submit(span(2));
  EXPECT_TRUE(exporter.flush());
  EXPECT_EQ(collector.calls().size(), 5u);
  EXPECT_EQ(exporter.stats().spans_exported, 2u);
}

TEST(OtlpExporterTest, GivesUpAfterThreeAttempts) {
  FakePost collector;
  for (int i = 0; i < 5; ++i) collector.script(OtlpReply(503));
  OtlpExporter exporter(config(512, 2048), collector.post(), fastRetries());
  exporter.submit(span(1));
  exporter.submit(span(2));
  EXPECT_TRUE(exporter.flush());
  EXPECT_EQ(collector.calls().size(), 3u);
  const auto stats = exporter.stats();
  EXPECT_EQ(stats.spans_exported, 0u);
  EXPECT_EQ(stats.batches_failed, 1u);
  EXPECT_EQ(stats.spans_dropped_failed, 2u);
  EXPECT_EQ(stats.spans_dropped, 2u);
  // The next batch is sent (and the script's two 503s then a 200 see it through).
  exporter.submit(span(3));
  EXPECT_TRUE(exporter.flush());
  EXPECT_EQ(exporter.stats().spans_exported, 1u);
}

TEST(OtlpExporterTest, OtherStatusesDropTheBatchAtOnce) {
  for (int status : {400, 401, 404, 413, 500}) {
    FakePost collector;
    collector.script(OtlpReply(status));
    OtlpExporter exporter(config(512, 2048), collector.post(), fastRetries());
    exporter.submit(span(1));
    EXPECT_TRUE(exporter.flush());
    EXPECT_EQ(collector.calls().size(), 1u) << status;
    EXPECT_EQ(exporter.stats().spans_dropped_failed, 1u) << status;
  }
}

TEST(OtlpExporterTest, ALongRetryAfterGivesUp) {
  FakePost collector;
  collector.script(OtlpReply(429, std::chrono::milliseconds(10min)));
  OtlpExporter exporter(config(512, 2048), collector.post(), fastRetries());
  exporter.submit(span(1));
  EXPECT_TRUE(exporter.flush());
  EXPECT_EQ(collector.calls().size(), 1u);
  EXPECT_EQ(exporter.stats().batches_failed, 1u);
}

TEST(OtlpExporterTest, RetriesNeverPassTheExportTimeout) {
  FakePost collector;
  for (int i = 0; i < 3; ++i) collector.script(core::Error::unavailable("connection refused"));
  auto c = config(512, 2048);
  c.batch.export_timeout = 2s;
  OtlpExporterOptions o;
  o.first_backoff = 1h;  // a wait past the export timeout is not taken
  OtlpExporter exporter(c, collector.post(), o);
  exporter.submit(span(1));
  exporter.flush();
  ASSERT_TRUE(collector.awaitCalls(1));
  exporter.shutdown();
  const auto calls = collector.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_LE(calls[0].timeout, 2s);  // the request's own timeout fits in it too
  EXPECT_EQ(exporter.stats().batches_failed, 1u);
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(OtlpExporterTest, FailuresAreLoggedAtMostOncePerIntervalWithoutSpanContents) {
  testing::TempDir dir;
  const auto log_path = dir.path() / "log.jsonl";
  core::LogConfig log_config;
  log_config.file = log_path.string();
  core::log::init(log_config);
  {
    FakePost collector;
    for (int i = 0; i < 6; ++i) collector.script(OtlpReply(503));
    OtlpExporterOptions o = fastRetries();
    o.log_interval = 1h;
    OtlpExporter exporter(config(512, 2048), collector.post(), o);
    exporter.submit(span(1));
    exporter.flush();
    exporter.submit(span(2));
    exporter.flush();
    exporter.submit(span(3));  // this one gets through
    exporter.flush();
    EXPECT_EQ(exporter.stats().batches_failed, 2u);
  }
  core::log::flush();
  const std::string log = readFile(log_path);
  core::log::init(core::LogConfig{});
  EXPECT_EQ(count(log, "could not export spans"), 1u) << log;
  EXPECT_NE(log.find("http://collector.invalid:4318/v1/traces"), std::string::npos) << log;
  EXPECT_NE(log.find("\"status\":503"), std::string::npos) << log;
  EXPECT_NE(log.find("\"spans_dropped\":1"), std::string::npos) << log;
  EXPECT_EQ(count(log, "spans are exported again"), 1u) << log;
  EXPECT_EQ(log.find("span-"), std::string::npos) << log;        // no span contents
  EXPECT_EQ(log.find("k-123456789"), std::string::npos) << log;  // no headers
}

}  // namespace
}  // namespace codecrew::telemetry
