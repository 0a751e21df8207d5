#include "app/otlp_post.h"

#include "fake_otlp.h"
#include "telemetry/otlp_json.h"

#include <gtest/gtest.h>

#include <map>

namespace codecrew::app {
namespace {

using namespace std::chrono_literals;
using testing::FakeOtlpCollector;
using testing::ReceivedSpan;

// A guard against a hang, never a measure of speed.
constexpr auto kPatience = 20s;

telemetry::SpanData span(const std::string& name) {
  telemetry::SpanData s;
  s.name = name;
  s.context.trace_id = telemetry::newTraceId();
  s.context.span_id = telemetry::newSpanId();
  s.context.sampled = true;
  s.start_unix_nanos = 1;
  s.end_unix_nanos = 2;
  return s;
}

class OtlpPostTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(collector.start().ok()); }
  FakeOtlpCollector collector;
};

TEST_F(OtlpPostTest, PostsJsonWithTheHeaders) {
  auto post = makeOtlpPost();
  const auto body = telemetry::encodeOtlpTraces({span("one")}, {}, "codecrew", "");
  // A configured Content-Type does not replace application/json.
  auto reply = post(collector.tracesUrl(), {{"x-api-key", "k1"}, {"content-type", "text/plain"}}, body, 5s);
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_FALSE(reply->retry_after);
  ASSERT_EQ(collector.spans().size(), 1u);
  EXPECT_EQ(collector.spans()[0].name, "one");
  const auto requests = collector.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].headers.at("x-api-key"), "k1");
  // Again, on the kept-alive connection.
  reply = post(collector.tracesUrl(), {}, body, 5s);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(collector.spans().size(), 2u);
}

TEST_F(OtlpPostTest, ReportsTheStatusAndRetryAfter) {
  collector.enqueueFault({503, "3", 0ms});
  collector.enqueueFault({429, "Wed, 21 Oct 2015 07:28:00 GMT", 0ms});
  auto post = makeOtlpPost();
  const auto body = telemetry::encodeOtlpTraces({span("x")}, {}, "codecrew", "");
  auto reply = post(collector.tracesUrl(), {}, body, 5s);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 503);
  ASSERT_TRUE(reply->retry_after);
  EXPECT_EQ(*reply->retry_after, 3s);
  reply = post(collector.tracesUrl(), {}, body, 5s);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 429);
  EXPECT_FALSE(reply->retry_after);  // an HTTP-date is not read
}

TEST_F(OtlpPostTest, ATransportFailureIsAnError) {
  const std::string url = collector.tracesUrl();
  collector.stop();  // nothing listens there now
  auto reply = makeOtlpPost()(url, {}, "{}", 5s);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, core::ErrorCode::kUnavailable);
}

const ReceivedSpan& named(const std::vector<ReceivedSpan>& spans, const std::string& name) {
  for (const auto& s : spans)
    if (s.name == name) return s;
  throw std::runtime_error("no span named " + name);
}

TEST_F(OtlpPostTest, SpansReachTheCollectorWithTheirParentLinks) {
  const core::EnvMap env = {{"OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl() + "/"},
                            {"OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=otlp-test-key-1"},
                            {"OTEL_SERVICE_NAME", "codecrew-test"},
                            {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test"}};
  auto tracing = makeTracing(env, "0.9.0", "node-1");
  ASSERT_TRUE(tracing.ok()) << tracing.error().message;
  ASSERT_TRUE(tracing->exporter);
  ASSERT_TRUE(tracing->tracer->enabled());
  std::string trace_id;
  {
    auto request = tracing->tracer->start("POST /api/executions", telemetry::SpanKind::kServer);
    trace_id = request.context().traceIdHex();
    auto stage = tracing->tracer->start("stage plan", telemetry::SpanKind::kInternal, request.context());
    auto call = tracing->tracer->start("chat gpt-4o-mini", telemetry::SpanKind::kClient, stage.context(),
                                       {{"gen_ai.request.model", std::string("gpt-4o-mini")}});
    call.set("gen_ai.usage.input_tokens", 12);
    call.setError("HTTP 503");
  }
  EXPECT_TRUE(tracing->exporter->flush());
  ASSERT_TRUE(collector.waitForSpans(3, kPatience));
  const auto spans = collector.spans();
  ASSERT_EQ(spans.size(), 3u);
  const auto& request = named(spans, "POST /api/executions");
  const auto& stage = named(spans, "stage plan");
  const auto& call = named(spans, "chat gpt-4o-mini");
  for (const auto* s : {&request, &stage, &call}) EXPECT_EQ(s->trace_id, trace_id) << s->name;
  EXPECT_EQ(request.parent_span_id, "");
  EXPECT_EQ(stage.parent_span_id, request.span_id);
  EXPECT_EQ(call.parent_span_id, stage.span_id);
  EXPECT_EQ(request.kind, 2);
  EXPECT_EQ(stage.kind, 1);
  EXPECT_EQ(call.kind, 3);
  EXPECT_EQ(call.attributes.at("gen_ai.request.model"), "gpt-4o-mini");
  EXPECT_EQ(call.attributes.at("gen_ai.usage.input_tokens"), 12);
  EXPECT_EQ(call.status_code, 2);
  EXPECT_EQ(call.status_message, "HTTP 503");
  EXPECT_LE(request.start_unix_nanos, call.start_unix_nanos);
  EXPECT_LE(call.end_unix_nanos, request.end_unix_nanos);
  EXPECT_EQ(request.resource.at("service.name"), "codecrew-test");
  EXPECT_EQ(request.resource.at("service.version"), "0.9.0");
  EXPECT_EQ(request.resource.at("service.instance.id"), "node-1");
  EXPECT_EQ(request.resource.at("deployment.environment"), "test");
  EXPECT_EQ(request.scope_name, "codecrew");
  EXPECT_EQ(collector.requests().at(0).headers.at("x-api-key"), "otlp-test-key-1");
  tracing->exporter->shutdown();
  EXPECT_EQ(tracing->exporter->stats().spans_exported, 3u);
}

TEST_F(OtlpPostTest, TheExporterRetriesAnUnavailableCollector) {
  collector.enqueueFault({503, "0", 0ms});  // then a plain delivery
  auto tracing = makeTracing({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.tracesUrl()}}, "1", "n");
  ASSERT_TRUE(tracing.ok());
  tracing->tracer->start("retried", telemetry::SpanKind::kInternal).end();
  tracing->exporter->shutdown();
  ASSERT_EQ(collector.spans().size(), 1u);
  EXPECT_EQ(collector.requests().size(), 2u);
  EXPECT_EQ(collector.requests()[0].status, 503);
  const auto stats = tracing->exporter->stats();
  EXPECT_EQ(stats.spans_exported, 1u);
  EXPECT_EQ(stats.batches_failed, 0u);
}

TEST(MakeTracingTest, OffWithoutAnEndpointAndRefusesMalformedSettings) {
  auto off = makeTracing({}, "1", "n");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->exporter);
  ASSERT_TRUE(off->tracer);
  EXPECT_FALSE(off->tracer->enabled());
  auto bad = makeTracing({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"}, {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}},
                         "1", "n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("OTEL_EXPORTER_OTLP_PROTOCOL"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::app
