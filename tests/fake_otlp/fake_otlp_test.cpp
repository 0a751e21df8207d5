#include "fake_otlp.h"

#include "support/http_client.h"
#include "telemetry/otlp_json.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::testing {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;

telemetry::SpanData span(const std::string& name) {
  telemetry::SpanData s;
  s.name = name;
  s.kind = telemetry::SpanKind::kClient;
  s.context.trace_id = telemetry::newTraceId();
  s.context.span_id = telemetry::newSpanId();
  s.context.sampled = true;
  s.start_unix_nanos = 1700000000000000001;
  s.end_unix_nanos = 1700000000000000002;
  return s;
}

std::string request(const std::string& span_json) {
  return R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"t"},"spans":[)" +
         span_json + "]}]}]}";
}

TEST(FakeOtlpDecodeTest, ReadsWhatCodecrewsEncoderWrites) {
  auto root = span("root");
  root.kind = telemetry::SpanKind::kServer;
  auto child = span("child");
  child.context.trace_id = root.context.trace_id;
  child.parent = root.context.span_id;
  child.attributes = {{"s", std::string("v")}, {"i", std::int64_t(-7)}, {"d", 2.5}, {"b", false}};
  child.error = true;
  child.status_message = "boom";
  const telemetry::Attributes resource = {{"service.name", std::string("codecrew")}};
  auto decoded = decodeOtlpTraces(telemetry::encodeOtlpTraces({root, child}, resource, "codecrew", "1.0"));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->size(), 2u);
  const auto& r = decoded->at(0);
  const auto& c = decoded->at(1);
  EXPECT_EQ(r.name, "root");
  EXPECT_EQ(r.kind, 2);
  EXPECT_EQ(r.trace_id, root.context.traceIdHex());
  EXPECT_EQ(r.span_id, root.context.spanIdHex());
  EXPECT_EQ(r.parent_span_id, "");
  EXPECT_EQ(r.start_unix_nanos, 1700000000000000001);
  EXPECT_EQ(r.status_code, 0);
  EXPECT_EQ(r.resource.at("service.name"), "codecrew");
  EXPECT_EQ(r.scope_name, "codecrew");
  EXPECT_EQ(r.scope_version, "1.0");
  EXPECT_EQ(c.kind, 3);
  EXPECT_EQ(c.trace_id, r.trace_id);
  EXPECT_EQ(c.parent_span_id, r.span_id);
  EXPECT_EQ(c.attributes.at("s"), "v");
  EXPECT_EQ(c.attributes.at("i"), -7);
  EXPECT_EQ(c.attributes.at("d"), 2.5);
  EXPECT_EQ(c.attributes.at("b"), false);
  EXPECT_EQ(c.status_code, 2);
  EXPECT_EQ(c.status_message, "boom");
}

TEST(FakeOtlpDecodeTest, RefusesWhatTheJsonEncodingDoesNotWrite) {
  const std::string ids = R"("traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331")";
  const std::string times = R"("startTimeUnixNano":"1","endTimeUnixNano":"2")";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"traceId":"CvdlGRbNQ92ESOshHIAxnA==","spanId":"t61rcWkgMzE=",)" + times + "}", "hex"},  // base64
      {R"({"traceId":"0AF7651916CD43DD8448EB211C80319C","spanId":"b7ad6b7169203331",)" + times + "}", "hex"},
      {"{" + ids + R"(,"startTimeUnixNano":1,"endTimeUnixNano":2})", "decimal string"},
      {"{" + ids + "," + times + R"(,"kind":"SPAN_KIND_SERVER"})", "integer"},
      {"{" + ids + "," + times + R"(,"attributes":[{"key":"n","value":{"intValue":5}}]})", "decimal string"},
      {"{" + ids + "," + times + R"(,"parentSpanId":"0000000000000000"})", "zeros"},
      {"{" + ids + "}", "startTimeUnixNano"},
  };
  for (const auto& [span_json, reason] : cases) {
    auto decoded = decodeOtlpTraces(request(span_json));
    ASSERT_FALSE(decoded.ok()) << span_json;
    EXPECT_NE(decoded.error().message.find(reason), std::string::npos) << decoded.error().message;
  }
  EXPECT_FALSE(decodeOtlpTraces("not json").ok());
  auto empty = decodeOtlpTraces("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

class FakeOtlpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(collector.start().ok()); }
  HttpResult post(const std::string& body, const std::string& content_type = "application/json") {
    HttpClient client("127.0.0.1", collector.port());
    return client.request("POST", "/v1/traces", body, {{"Content-Type", content_type}, {"X-Api-Key", "k1"}});
  }
  FakeOtlpCollector collector;
};

TEST_F(FakeOtlpServerTest, KeepsSpansAndServesThemBack) {
  auto s = span("op");
  const auto body = telemetry::encodeOtlpTraces({s}, {}, "codecrew", "");
  auto r = post(body);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), bj::object{});
  ASSERT_TRUE(collector.waitForSpans(1, 5s));
  EXPECT_EQ(collector.spans().at(0).name, "op");
  const auto requests = collector.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(requests[0].headers.at("x-api-key"), "k1");
  EXPECT_EQ(requests[0].spans, 1u);

  HttpClient client("127.0.0.1", collector.port());
  auto listed = client.request("GET", "/spans");
  ASSERT_EQ(listed.status, 200);
  const auto doc = listed.json();
  const auto& first = doc.at("spans").at(0);
  EXPECT_EQ(first.at("name"), "op");
  EXPECT_EQ(first.at("kind"), 3);
  EXPECT_EQ(first.at("traceId"), bj::value(s.context.traceIdHex()));
  EXPECT_EQ(first.at("scope").at("name"), "codecrew");

  EXPECT_EQ(client.request("DELETE", "/spans").status, 200);
  EXPECT_TRUE(collector.spans().empty());
}

TEST_F(FakeOtlpServerTest, RefusesOtherContentTypesAndMalformedBodies) {
  EXPECT_EQ(post(telemetry::encodeOtlpTraces({span("x")}, {}, "c", ""), "application/x-protobuf").status, 415);
  auto r = post(request(R"({"traceId":"zz","spanId":"b7ad6b7169203331"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(collector.spans().empty());
  ASSERT_FALSE(collector.requests().empty());
  EXPECT_NE(collector.requests().back().error.find("traceId"), std::string::npos);
}

TEST_F(FakeOtlpServerTest, ScriptedFaultsComeFirstAndKeepNothing) {
  collector.enqueueFault({503, "2", 0ms});
  const auto body = telemetry::encodeOtlpTraces({span("x")}, {}, "c", "");
  auto r = post(body);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("Retry-After"), "2");
  EXPECT_TRUE(collector.spans().empty());
  EXPECT_EQ(post(body).status, 200);
  EXPECT_EQ(collector.spans().size(), 1u);

  // Over HTTP, for a collector in another process: two 429s.
  HttpClient client("127.0.0.1", collector.port());
  EXPECT_EQ(client.request("POST", "/_fake/faults", R"({"status":429,"count":2})").status, 200);
  EXPECT_EQ(post(body).status, 429);
  EXPECT_EQ(post(body).status, 429);
  EXPECT_EQ(post(body).status, 200);
  // A delay alone: the request is then taken.
  collector.enqueueFault({0, "", 10ms});
  EXPECT_EQ(post(body).status, 200);
  EXPECT_EQ(collector.spans().size(), 3u);
  auto requests = client.request("GET", "/_fake/requests").json().at("requests").as_array();
  EXPECT_EQ(requests.size(), 6u);
}

}  // namespace
}  // namespace codecrew::testing
