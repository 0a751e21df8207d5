#include "telemetry/otlp_config.h"

#include <gtest/gtest.h>

#include <string>

namespace codecrew::telemetry {
namespace {

using OtlpHeadersForTest = std::vector<std::pair<std::string, std::string>>;

core::EnvMap on(core::EnvMap extra = {}) {
  extra.emplace("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
  return extra;
}

core::Result<OtlpConfig> load(const core::EnvMap& env) { return loadOtlpConfig(env, "1.2.3", "node-7"); }

const AttributeValue* find(const Attributes& attrs, const std::string& key) {
  for (const auto& [k, v] : attrs)
    if (k == key) return &v;
  return nullptr;
}

std::string str(const Attributes& attrs, const std::string& key) {
  const auto* v = find(attrs, key);
  return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "<absent>";
}

// The error's message, which must name the variable and the value.
void expectRefused(const core::EnvMap& env, const std::string& variable, const std::string& value) {
  auto config = load(env);
  ASSERT_FALSE(config.ok()) << variable << "=" << value;
  EXPECT_EQ(config.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(config.error().message.find(variable), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find(value), std::string::npos) << config.error().message;
}

TEST(OtlpConfigTest, OffWithoutAnEndpoint) {
  auto config = load({});
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->enabled);
  EXPECT_TRUE(config->endpoint.empty());
  // An empty value is unset.
  config = load({{"OTEL_EXPORTER_OTLP_ENDPOINT", ""}, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ""}});
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->enabled);
}

TEST(OtlpConfigTest, OffWhenTheSdkIsDisabledOrTheExporterIsNone) {
  for (core::EnvMap extra : {core::EnvMap{{"OTEL_SDK_DISABLED", "true"}}, core::EnvMap{{"OTEL_SDK_DISABLED", "TRUE"}},
                             core::EnvMap{{"OTEL_TRACES_EXPORTER", "none"}}}) {
    auto config = load(on(extra));
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_FALSE(config->enabled) << extra.begin()->first;
  }
  auto config = load(on({{"OTEL_SDK_DISABLED", "false"}, {"OTEL_TRACES_EXPORTER", "otlp"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->enabled);
}

TEST(OtlpConfigTest, OffIgnoresTheOtherVariables) {
  // Another program's settings in the same environment do not stop codecrew.
  auto config = load({{"OTEL_BSP_SCHEDULE_DELAY", "soon"}, {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->enabled);
  config = load(on({{"OTEL_SDK_DISABLED", "true"}, {"OTEL_TRACES_SAMPLER", "weird"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->enabled);
}

TEST(OtlpConfigTest, BaseEndpointGetsTheTracesPathWithOrWithoutATrailingSlash) {
  for (auto [base, url] : std::initializer_list<std::pair<std::string, std::string>>{
           {"http://collector:4318", "http://collector:4318/v1/traces"},
           {"http://collector:4318/", "http://collector:4318/v1/traces"},
           {"https://otel.example.com/otlp", "https://otel.example.com/otlp/v1/traces"},
           {"https://otel.example.com/otlp/", "https://otel.example.com/otlp/v1/traces"},
           {"http://[::1]:4318", "http://[::1]:4318/v1/traces"},
       }) {
    auto config = load({{"OTEL_EXPORTER_OTLP_ENDPOINT", base}});
    ASSERT_TRUE(config.ok()) << base << ": " << config.error().message;
    EXPECT_TRUE(config->enabled);
    EXPECT_EQ(config->endpoint, url) << base;
  }
}

TEST(OtlpConfigTest, TracesEndpointIsUsedAsItIsAndWins) {
  auto config = load(on({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example.com:4443/custom/path"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->enabled);
  EXPECT_EQ(config->endpoint, "https://traces.example.com:4443/custom/path");
  config = load({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint, "http://collector:4318/");
}

TEST(OtlpConfigTest, Defaults) {
  auto config = load(on());
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->enabled);
  EXPECT_TRUE(config->headers.empty());
  EXPECT_EQ(config->timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(config->sampler.root, Sampler::Root::kAlwaysOn);
  EXPECT_TRUE(config->sampler.parent_based);
  EXPECT_EQ(config->sampler.ratio, 1.0);
  EXPECT_EQ(config->batch.schedule_delay, std::chrono::milliseconds(5000));
  EXPECT_EQ(config->batch.max_queue_size, 2048u);
  EXPECT_EQ(config->batch.max_export_batch_size, 512u);
  EXPECT_EQ(config->batch.export_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(config->service_version, "1.2.3");
  EXPECT_EQ(str(config->resource, "service.name"), "codecrew");
  EXPECT_EQ(str(config->resource, "service.version"), "1.2.3");
  EXPECT_EQ(str(config->resource, "service.instance.id"), "node-7");
  EXPECT_NE(str(config->resource, "host.name"), "<absent>");
  EXPECT_EQ(str(config->resource, "telemetry.sdk.name"), "codecrew");
  EXPECT_EQ(str(config->resource, "telemetry.sdk.language"), "cpp");
}

TEST(OtlpConfigTest, EveryVariableIsRead) {
  auto config = load(on({
      {"OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=abc%3D%3D, x-tenant = acme"},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"},
      {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
      {"OTEL_SERVICE_NAME", "crew-api"},
      {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,team=a%20b,service.name=ignored"},
      {"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
      {"OTEL_TRACES_SAMPLER_ARG", "0.25"},
      {"OTEL_BSP_SCHEDULE_DELAY", "200"},
      {"OTEL_BSP_MAX_QUEUE_SIZE", "100"},
      {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10"},
      {"OTEL_BSP_EXPORT_TIMEOUT", "4000"},
  }));
  ASSERT_TRUE(config.ok()) << config.error().message;
  const OtlpHeadersForTest expected{{"x-api-key", "abc=="}, {"x-tenant", "acme"}};
  EXPECT_EQ(config->headers, expected);
  EXPECT_EQ(config->timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(str(config->resource, "service.name"), "crew-api");  // OTEL_SERVICE_NAME wins
  EXPECT_EQ(str(config->resource, "deployment.environment"), "prod");
  EXPECT_EQ(str(config->resource, "team"), "a b");
  EXPECT_EQ(config->sampler.root, Sampler::Root::kRatio);
  EXPECT_TRUE(config->sampler.parent_based);
  EXPECT_EQ(config->sampler.ratio, 0.25);
  EXPECT_EQ(config->batch.schedule_delay, std::chrono::milliseconds(200));
  EXPECT_EQ(config->batch.max_queue_size, 100u);
  EXPECT_EQ(config->batch.max_export_batch_size, 10u);
  EXPECT_EQ(config->batch.export_timeout, std::chrono::milliseconds(4000));
}

TEST(OtlpConfigTest, TracesSpecificVariablesReplaceTheGeneralOnes) {
  auto config = load(on({
      {"OTEL_EXPORTER_OTLP_HEADERS", "a=1"},
      {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "b=2"},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "1000"},
      {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "3000"},
      {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"},
      {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"},
  }));
  ASSERT_TRUE(config.ok()) << config.error().message;
  const OtlpHeadersForTest expected{{"b", "2"}};
  EXPECT_EQ(config->headers, expected);
  EXPECT_EQ(config->timeout, std::chrono::milliseconds(3000));
}

TEST(OtlpConfigTest, ResourceAttributesOverrideDetectedOnesButNotTheSdk) {
  auto config = load(on({{"OTEL_RESOURCE_ATTRIBUTES",
                          "service.name=billing,host.name=h1,service.instance.id=i9,telemetry.sdk.name=other"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(str(config->resource, "service.name"), "billing");
  EXPECT_EQ(str(config->resource, "host.name"), "h1");
  EXPECT_EQ(str(config->resource, "service.instance.id"), "i9");
  EXPECT_EQ(str(config->resource, "telemetry.sdk.name"), "codecrew");
}

TEST(OtlpConfigTest, EverySampler) {
  struct Case {
    std::string name;
    Sampler::Root root;
    bool parent_based;
  };
  for (const auto& c : std::initializer_list<Case>{
           {"always_on", Sampler::Root::kAlwaysOn, false},
           {"always_off", Sampler::Root::kAlwaysOff, false},
           {"traceidratio", Sampler::Root::kRatio, false},
           {"parentbased_always_on", Sampler::Root::kAlwaysOn, true},
           {"parentbased_always_off", Sampler::Root::kAlwaysOff, true},
           {"parentbased_traceidratio", Sampler::Root::kRatio, true},
       }) {
    auto config = load(on({{"OTEL_TRACES_SAMPLER", c.name}}));
    ASSERT_TRUE(config.ok()) << c.name;
    EXPECT_EQ(config->sampler.root, c.root) << c.name;
    EXPECT_EQ(config->sampler.parent_based, c.parent_based) << c.name;
    EXPECT_EQ(config->sampler.ratio, 1.0) << c.name;  // the default argument
  }
  auto config = load(on({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->sampler.ratio, 0.0);
  // The argument of a sampler that takes none is not read.
  config = load(on({{"OTEL_TRACES_SAMPLER", "always_on"}, {"OTEL_TRACES_SAMPLER_ARG", "lots"}}));
  ASSERT_TRUE(config.ok());
}

TEST(OtlpConfigTest, DefaultBatchSizeShrinksToASmallQueue) {
  auto config = load(on({{"OTEL_BSP_MAX_QUEUE_SIZE", "64"}}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->batch.max_export_batch_size, 64u);
}

TEST(OtlpConfigTest, EveryMalformedValueNamesTheVariableAndTheValue) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"OTEL_SDK_DISABLED", "maybe"},
      {"OTEL_TRACES_EXPORTER", "zipkin"},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "10s"},
      {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "0"},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "-5"},
      {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/xml"},
      {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "smoke-signals"},
      {"OTEL_RESOURCE_ATTRIBUTES", "novalue"},
      {"OTEL_RESOURCE_ATTRIBUTES", "=v"},
      {"OTEL_RESOURCE_ATTRIBUTES", "k=%zz"},
      {"OTEL_TRACES_SAMPLER", "jaeger_remote"},
      {"OTEL_BSP_SCHEDULE_DELAY", "fast"},
      {"OTEL_BSP_MAX_QUEUE_SIZE", "0"},
      {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1e3"},
      {"OTEL_BSP_EXPORT_TIMEOUT", "99999999999999"},
  };
  for (const auto& [name, value] : cases) expectRefused(on({{name, value}}), name, value);
  for (const std::string arg : {"1.5", "-0.1", "half", "nan", "0.5x"})
    expectRefused(on({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", arg}}),
                  "OTEL_TRACES_SAMPLER_ARG", arg);
  expectRefused(on({{"OTEL_BSP_MAX_QUEUE_SIZE", "10"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "20"}}),
                "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "20");
}

TEST(OtlpConfigTest, MalformedEndpointsAreRefused) {
  for (const std::string url :
       {"collector:4318", "grpc://collector:4317", "http://", "http://:4318/x", "http://collector:notaport",
        "http://collector:70000", "http://coll ector:4318", "http://[::1:4318"}) {
    expectRefused({{"OTEL_EXPORTER_OTLP_ENDPOINT", url}}, "OTEL_EXPORTER_OTLP_ENDPOINT", url);
    expectRefused({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", url}}, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", url);
  }
  expectRefused({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/?x=1"}}, "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://c:4318/?x=1");
}

TEST(OtlpConfigTest, ProtobufAndGrpcAreRefusedWithTheReason) {
  for (const std::string protocol : {"http/protobuf", "grpc"}) {
    auto config = load(on({{"OTEL_EXPORTER_OTLP_PROTOCOL", protocol}}));
    ASSERT_FALSE(config.ok());
    const auto& m = config.error().message;
    EXPECT_NE(m.find("OTEL_EXPORTER_OTLP_PROTOCOL"), std::string::npos) << m;
    EXPECT_NE(m.find(protocol), std::string::npos) << m;
    EXPECT_NE(m.find("http/json"), std::string::npos) << m;
    EXPECT_NE(m.find("OpenTelemetry Collector"), std::string::npos) << m;
  }
}

TEST(OtlpConfigTest, MalformedHeadersNameTheVariableButNotTheirText) {
  // Headers carry credentials: the error says which item, not what it holds.
  for (const std::string name : {"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"}) {
    auto config = load(on({{name, "a=1,Bearer-s3cr3t-token"}}));
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().code, core::ErrorCode::kInvalidArgument);
    const auto& m = config.error().message;
    EXPECT_NE(m.find(name), std::string::npos) << m;
    EXPECT_NE(m.find("item 2"), std::string::npos) << m;
    EXPECT_EQ(m.find("s3cr3t"), std::string::npos) << m;
  }
  auto config = load(on({{"OTEL_EXPORTER_OTLP_HEADERS", "authorization=Basic%zz"}}));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message.find("Basic"), std::string::npos) << config.error().message;
}

}  // namespace
}  // namespace codecrew::telemetry
