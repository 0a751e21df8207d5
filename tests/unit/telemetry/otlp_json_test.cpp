#include "telemetry/otlp_json.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <limits>

namespace codecrew::telemetry {
namespace {

namespace bj = boost::json;

TraceContext context(std::uint8_t trace_byte, std::uint8_t span_byte) {
  TraceContext c;
  c.trace_id.fill(trace_byte);
  c.trace_id[0] = 0x0a;
  c.span_id.fill(span_byte);
  c.sampled = true;
  return c;
}

TEST(OtlpJsonTest, EncodesAnExportTraceServiceRequest) {
  SpanData root;
  root.name = "POST /api/executions";
  root.kind = SpanKind::kServer;
  root.context = context(0x11, 0xab);
  root.start_unix_nanos = 1700000000123456789;
  root.end_unix_nanos = 1700000000223456789;
  root.attributes = {{"http.request.method", std::string("POST")},
                     {"http.response.status_code", std::int64_t(201)},
                     {"ratio", 0.5},
                     {"cached", true}};

  SpanData child;
  child.name = "llm.call";
  child.kind = SpanKind::kClient;
  child.context = context(0x11, 0x02);
  child.parent = root.context.span_id;
  child.start_unix_nanos = 1700000000130000000;
  child.end_unix_nanos = 1700000000140000000;
  child.error = true;
  child.status_message = "HTTP 503";

  SpanData internal;
  internal.name = "stage";
  internal.context = context(0x11, 0x03);
  internal.parent = root.context.span_id;
  internal.start_unix_nanos = 5;
  internal.end_unix_nanos = 6;

  const Attributes resource = {{"service.name", std::string("codecrew")}, {"pid", std::int64_t(-42)}};
  const std::string json = encodeOtlpTraces({root, child, internal}, resource, "codecrew", "0.1.0");
  const std::string expected = R"({"resourceSpans":[{"resource":{"attributes":[)"
                               R"({"key":"service.name","value":{"stringValue":"codecrew"}},)"
                               R"({"key":"pid","value":{"intValue":"-42"}}]},)"
                               R"("scopeSpans":[{"scope":{"name":"codecrew","version":"0.1.0"},"spans":[)"
                               R"({"traceId":"0a111111111111111111111111111111","spanId":"abababababababab",)"
                               R"("name":"POST /api/executions","kind":2,)"
                               R"("startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000223456789",)"
                               R"("attributes":[{"key":"http.request.method","value":{"stringValue":"POST"}},)"
                               R"({"key":"http.response.status_code","value":{"intValue":"201"}},)"
                               R"({"key":"ratio","value":{"doubleValue":0.5}},)"
                               R"({"key":"cached","value":{"boolValue":true}}]},)"
                               R"({"traceId":"0a111111111111111111111111111111","spanId":"0202020202020202",)"
                               R"("parentSpanId":"abababababababab","name":"llm.call","kind":3,)"
                               R"("startTimeUnixNano":"1700000000130000000","endTimeUnixNano":"1700000000140000000",)"
                               R"("status":{"code":2,"message":"HTTP 503"}},)"
                               R"({"traceId":"0a111111111111111111111111111111","spanId":"0303030303030303",)"
                               R"("parentSpanId":"abababababababab","name":"stage","kind":1,)"
                               R"("startTimeUnixNano":"5","endTimeUnixNano":"6"}]}]}]})";
  EXPECT_EQ(json, expected);
}

TEST(OtlpJsonTest, DoublesThatJsonCannotHoldAreStrings) {
  SpanData s;
  s.name = "x";
  s.context = context(1, 1);
  s.attributes = {{"nan", std::numeric_limits<double>::quiet_NaN()},
                  {"inf", std::numeric_limits<double>::infinity()},
                  {"ninf", -std::numeric_limits<double>::infinity()}};
  const auto doc = bj::parse(encodeOtlpTraces({s}, {}, "codecrew", ""));
  const auto& span = doc.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
  const auto& attrs = span.at("attributes").as_array();
  EXPECT_EQ(attrs.at(0).at("value").at("doubleValue"), "NaN");
  EXPECT_EQ(attrs.at(1).at("value").at("doubleValue"), "Infinity");
  EXPECT_EQ(attrs.at(2).at("value").at("doubleValue"), "-Infinity");
  // No version: the scope has only its name.
  EXPECT_FALSE(doc.at("resourceSpans").at(0).at("scopeSpans").at(0).at("scope").as_object().contains("version"));
}

TEST(OtlpJsonTest, InvalidUtf8BecomesReplacementCharacters) {
  SpanData s;
  s.name = std::string("bad\xff name");
  s.context = context(1, 1);
  s.attributes = {{"tool.output", std::string("ok \xc3\xa9 then \xe2\x82 cut")}};
  s.error = true;
  s.status_message = std::string("\x80");
  const auto doc = bj::parse(encodeOtlpTraces({s}, {}, "codecrew", ""));
  const auto& span = doc.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans").at(0);
  EXPECT_EQ(span.at("name"), "bad\xEF\xBF\xBD name");
  EXPECT_EQ(span.at("attributes").at(0).at("value").at("stringValue"), "ok \xc3\xa9 then \xEF\xBF\xBD\xEF\xBF\xBD cut");
  EXPECT_EQ(span.at("status").at("message"), "\xEF\xBF\xBD");
}

TEST(OtlpJsonTest, NoSpansIsStillARequest) {
  EXPECT_EQ(encodeOtlpTraces({}, {}, "codecrew", "1"),
            R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"codecrew",)"
            R"("version":"1"},"spans":[]}]}]})");
}

}  // namespace
}  // namespace codecrew::telemetry
