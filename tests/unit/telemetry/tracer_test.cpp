#include "telemetry/tracer.h"

#include <gtest/gtest.h>

#include <mutex>

namespace codecrew::telemetry {
namespace {

class RecordingSink : public SpanSink {
 public:
  void submit(SpanData span) override {
    std::lock_guard lock(mu);
    spans.push_back(std::move(span));
  }
  std::mutex mu;
  std::vector<SpanData> spans;
};

TEST(TraceContextTest, ParsesAndFormatsTraceparent) {
  const std::string header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  auto ctx = parseTraceparent(header);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(ctx->traceIdHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(ctx->spanIdHex(), "00f067aa0ba902b7");
  EXPECT_TRUE(ctx->sampled);
  EXPECT_EQ(ctx->traceparent(), header);
  auto unsampled = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(unsampled);
  EXPECT_FALSE(unsampled->sampled);
  // A later version may carry more fields after its first 55 characters.
  EXPECT_TRUE(parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
}

TEST(TraceContextTest, RefusesWhatTheRecommendationRefuses) {
  for (std::string bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",           // no flags
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",        // upper case
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // zero span id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version ff
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 is exact
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
       })
    EXPECT_FALSE(parseTraceparent(bad)) << bad;
}

TEST(TracerTest, ChildrenShareTheTraceAndNameTheirParent) {
  auto sink = std::make_shared<RecordingSink>();
  Tracer tracer(sink);
  auto root = tracer.start("request", SpanKind::kServer);
  ASSERT_TRUE(root.recording());
  auto child = tracer.start("llm", SpanKind::kClient, root.context(), {{"gen_ai.request.model", std::string("m")}});
  child.set("gen_ai.usage.input_tokens", std::int64_t(12));
  child.setError("boom");
  child.end();
  child.end();  // idempotent
  root.end();
  ASSERT_EQ(sink->spans.size(), 2u);
  const auto& c = sink->spans[0];
  const auto& r = sink->spans[1];
  EXPECT_EQ(c.name, "llm");
  EXPECT_EQ(c.context.trace_id, r.context.trace_id);
  ASSERT_TRUE(c.parent);
  EXPECT_EQ(*c.parent, r.context.span_id);
  EXPECT_FALSE(r.parent);
  EXPECT_TRUE(c.error);
  EXPECT_EQ(c.status_message, "boom");
  EXPECT_EQ(c.attributes.size(), 2u);
  EXPECT_LE(c.start_unix_nanos, c.end_unix_nanos);
  EXPECT_EQ(r.kind, SpanKind::kServer);
}

TEST(TracerTest, ARemoteParentIsContinuedAndItsSampledFlagFollowed) {
  auto sink = std::make_shared<RecordingSink>();
  Tracer tracer(sink);
  auto remote = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  auto span = tracer.start("request", SpanKind::kServer, remote);
  EXPECT_FALSE(span.recording());  // the caller did not sample it
  EXPECT_EQ(span.context().traceIdHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(span.context().spanIdHex(), "00f067aa0ba902b7");
  EXPECT_FALSE(span.context().sampled);
  span.end();
  EXPECT_TRUE(sink->spans.empty());
}

TEST(TracerTest, TracingOffPassesTheParentThrough) {
  auto span = Tracer::off()->start("request", SpanKind::kServer,
                                   parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(span.recording());
  EXPECT_EQ(span.context().traceparent(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_FALSE(Tracer::off()->start("x", SpanKind::kInternal).context().valid());
}

TEST(TracerTest, RatioSamplingKeepsAboutThatShare) {
  auto sink = std::make_shared<RecordingSink>();
  Tracer tracer(sink, Sampler{Sampler::Root::kRatio, 0.25, true});
  int sampled = 0;
  for (int i = 0; i < 4000; ++i) sampled += tracer.start("x", SpanKind::kInternal).context().sampled;
  EXPECT_GT(sampled, 800);
  EXPECT_LT(sampled, 1200);
  Tracer never(sink, Sampler{Sampler::Root::kAlwaysOff});
  EXPECT_FALSE(never.start("x", SpanKind::kInternal).recording());
}

TEST(TracerTest, AMovedSpanEndsOnce) {
  auto sink = std::make_shared<RecordingSink>();
  Tracer tracer(sink);
  auto a = tracer.start("a", SpanKind::kInternal);
  Span b = std::move(a);
  Span c = tracer.start("c", SpanKind::kInternal);
  c = std::move(b);  // ends "c"
  EXPECT_EQ(sink->spans.size(), 1u);
  c.end();
  ASSERT_EQ(sink->spans.size(), 2u);
  EXPECT_EQ(sink->spans[1].name, "a");
}

}  // namespace
}  // namespace codecrew::telemetry
