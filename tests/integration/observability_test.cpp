// What an operator sees of the real server, against the fake upstream and a
// fake OTLP collector: an execution is one trace from the request that
// started it (its server span, the run, each stage, each agent, each model
// call) down to the provider, which is sent the model call's traceparent and
// the starting request's X-Request-Id, both kept on the call's record; and
// GET /metrics (admin key only) passes `promtool check metrics` after an
// execution and gateway calls, with the counters of a failing upstream's
// retries where they belong.
#include "api_fixture.h"
#include "fake_otlp.h"
#include "fake_upstream.h"
#include "support/free_port.h"
#include "telemetry/trace_context.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sys/statvfs.h>

#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace codecrew::testing {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kProjects = fs::path(CODECREW_SOURCE_DIR) / "tests" / "data" / "crewai";
constexpr const char* kTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
constexpr const char* kTraceId = "0af7651916cd43dd8448eb211c80319c";
constexpr const char* kParentSpan = "b7ad6b7169203331";

class ObservabilityTest : public ApiTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(upstream_.start().ok());
    upstream_.setDefault(FakeReply::text_reply("# A short report"));
    ASSERT_TRUE(collector_.start().ok());
    ApiTest::SetUp();
  }
  void TearDown() override {
    server_.reset();  // its last spans go out while the collector listens
    upstream_.stop();
    collector_.stop();
  }
  std::vector<std::string> serverArgs() const override { return {}; }
  std::map<std::string, std::string> serverEnv() const override {
    return {{"OPENAI_API_KEY", "sk-test"},
            {"OPENAI_BASE_URL", upstream_.baseUrl() + "/v1"},
            {"CODECREW_MODEL", "gpt-4o-mini"},
            {"CODECREW_CREWS_DIR", kProjects.string()},
            {"OTEL_EXPORTER_OTLP_ENDPOINT", collector_.baseUrl()},
            {"OTEL_BSP_SCHEDULE_DELAY", "50"},
            {"OTEL_SERVICE_NAME", "codecrew-under-test"}};
  }

  // Runs the CrewAI template to its end, started with `headers`; returns (workflow, execution).
  std::pair<core::Id, core::Id> runExecution(HeaderList headers = {}) {
    json::object body{{"name", "ai news"},
                      {"crew", "latest_ai_development"},
                      {"inputs", json::object{{"topic", "AI agents"}, {"current_year", "2026"}}}};
    auto created = call("POST", "/workflows", json::serialize(body));
    EXPECT_EQ(created.status, 201) << created.body;
    auto wf = created.json().at("id").as_int64();
    auto started = call("POST", "/workflows/" + std::to_string(wf) + "/executions/start", "", "", headers);
    EXPECT_EQ(started.status, 202) << started.body;
    auto e = started.json().at("execution").at("id").as_int64();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string status;
    while (std::chrono::steady_clock::now() < deadline) {
      status = call("GET", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e))
                   .json()
                   .at("status")
                   .as_string();
      if (status == "completed" || status == "failed" || status == "cancelled") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(status, "completed");
    return {wf, e};
  }

  // The collector's spans once `ready` holds of them (at most 20 s: the
  // exporter sends every 50 ms here).
  std::vector<ReceivedSpan> spansWhen(const std::function<bool(const std::vector<ReceivedSpan>&)>& ready) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto spans = collector_.spans();
    while (!ready(spans) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      spans = collector_.spans();
    }
    return spans;
  }

  // The samples of a Prometheus text exposition: series -> value.
  static std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      auto space = line.rfind(' ');
      out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return out;
  }

  FakeUpstream upstream_;
  FakeOtlpCollector collector_;
};

const ReceivedSpan* find(const std::vector<ReceivedSpan>& spans, const std::function<bool(const ReceivedSpan&)>& is) {
  for (const auto& s : spans)
    if (is(s)) return &s;
  return nullptr;
}

TEST_F(ObservabilityTest, AnExecutionIsOneTraceFromItsStartRequestToTheProvider) {
  auto [wf, e] = runExecution({{"traceparent", kTraceparent}, {"X-Request-Id", "obs-start-1"}});
  const auto requests = upstream_.requests();
  ASSERT_FALSE(requests.empty());
  auto chats = [](const std::vector<ReceivedSpan>& spans) {
    std::vector<const ReceivedSpan*> out;
    for (const auto& s : spans)
      if (s.kind == 3 && s.name.rfind("chat ", 0) == 0 && s.trace_id == kTraceId) out.push_back(&s);
    return out;
  };
  auto spans = spansWhen([&](const std::vector<ReceivedSpan>& s) {
    return chats(s).size() == requests.size() &&
           find(s, [](const ReceivedSpan& x) { return x.name == "execution run"; }) != nullptr;
  });
  ASSERT_EQ(chats(spans).size(), requests.size());

  // The starting request's server span continues the client's trace.
  const auto* start = find(spans, [](const ReceivedSpan& s) {
    return s.kind == 2 && s.name == "POST /workflows/{id:int}/executions/start";
  });
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->trace_id, kTraceId);
  EXPECT_EQ(start->parent_span_id, kParentSpan);
  EXPECT_EQ(start->attributes.at("http.response.status_code").as_int64(), 202);
  EXPECT_EQ(start->resource.at("service.name").as_string(), "codecrew-under-test");

  // The run is the start request's child; stages the run's; agents a stage's; model calls an agent's.
  const auto* run = find(spans, [](const ReceivedSpan& s) { return s.name == "execution run"; });
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->trace_id, kTraceId);
  EXPECT_EQ(run->parent_span_id, start->span_id);
  EXPECT_EQ(run->attributes.at("codecrew.outcome").as_string(), "completed");
  EXPECT_EQ(run->attributes.at("codecrew.execution.id").as_int64(), e);
  std::set<std::string> stages, agents, calls;
  for (const auto& s : spans)
    if (s.name.rfind("stage ", 0) == 0 && s.parent_span_id == run->span_id) stages.insert(s.span_id);
  ASSERT_FALSE(stages.empty());
  for (const auto& s : spans)
    if (s.name.rfind("invoke_agent ", 0) == 0) {
      EXPECT_TRUE(stages.count(s.parent_span_id)) << s.name << " is not a stage's child";
      agents.insert(s.span_id);
    }
  ASSERT_FALSE(agents.empty());
  for (const auto* c : chats(spans)) {
    EXPECT_TRUE(agents.count(c->parent_span_id)) << c->name << " is not an agent's child";
    EXPECT_EQ(c->attributes.at("gen_ai.system").as_string(), "openai");
    EXPECT_EQ(c->attributes.at("gen_ai.request.model").as_string(), "gpt-4o-mini");
    EXPECT_EQ(c->attributes.at("gen_ai.usage.input_tokens").as_int64(), 12);  // the fake's usage
    EXPECT_EQ(c->attributes.at("gen_ai.usage.output_tokens").as_int64(), 7);
    calls.insert(c->span_id);
  }

  // The provider was sent each call's own span as its traceparent, and the request id.
  for (const auto& r : requests) {
    auto parent = telemetry::parseTraceparent(r.header("traceparent"));
    ASSERT_TRUE(parent) << "no traceparent on " << r.target;
    EXPECT_EQ(parent->traceIdHex(), kTraceId);
    EXPECT_TRUE(calls.count(parent->spanIdHex())) << r.header("traceparent");
    EXPECT_EQ(r.header("X-Request-Id"), "obs-start-1");
  }
  // And the records say so: the web UI and the API show them.
  auto recorded = call("GET", "/workflows/" + std::to_string(wf) + "/llm-calls?page_size=100").json();
  ASSERT_EQ(recorded.at("calls").as_array().size(), requests.size());
  for (const auto& c : recorded.at("calls").as_array()) {
    EXPECT_EQ(c.at("trace_id").as_string(), kTraceId);
    EXPECT_EQ(c.at("request_id").as_string(), "obs-start-1");
    EXPECT_TRUE(calls.count(std::string(c.at("span_id").as_string())));
  }
  // An operator finds them from the request id or the trace id alone.
  for (const std::string q : {std::string("obs-start-1"), std::string(kTraceId)}) {
    auto found = call("GET", "/workflows/" + std::to_string(wf) + "/llm-calls?page_size=100&q=" + q).json();
    EXPECT_EQ(found.at("calls").as_array().size(), requests.size()) << q;
  }
  EXPECT_EQ(call("GET", "/workflows/" + std::to_string(wf) + "/llm-calls?q=obs-start-2").json().at("total"), 0);
  // No prompt or answer text in any span.
  for (const auto& s : spans)
    for (const auto& [key, value] : s.attributes)
      if (value.is_string()) EXPECT_EQ(value.as_string().find("A short report"), std::string::npos) << key;
}

TEST_F(ObservabilityTest, AClientsMalformedTraceHeadersStartNoTraceOfTheirsAndAreNotKept) {
  // The only fields this work takes from a request are its traceparent and X-Request-Id; both
  // correlate only. Malformed ones are dropped: the server starts its own trace and request id.
  const std::string hostile_id(200, 'x');
  auto [wf, e] = runExecution(
      {{"traceparent", "00-../../../../etc/passwd-b7ad6b7169203331-01"}, {"X-Request-Id", hostile_id + "$(rm -rf /)"}});
  auto calls = call("GET", "/workflows/" + std::to_string(wf) + "/llm-calls?page_size=100").json();
  ASSERT_FALSE(calls.at("calls").as_array().empty());
  std::set<std::string> traces;
  for (const auto& c : calls.at("calls").as_array()) {
    const std::string trace(c.at("trace_id").as_string());
    EXPECT_TRUE(telemetry::parseTraceparent("00-" + trace + "-b7ad6b7169203331-01")) << trace;
    EXPECT_EQ(trace.find("etc"), std::string::npos);
    traces.insert(trace);
    const std::string id(c.at("request_id").as_string());
    EXPECT_LE(id.size(), 128u);
    EXPECT_EQ(id.find('$'), std::string::npos) << id;
    EXPECT_EQ(id.find(hostile_id), std::string::npos);
  }
  EXPECT_EQ(traces.size(), 1u) << "the run's calls share the one trace the server started";
  for (const auto& r : upstream_.requests()) EXPECT_EQ(r.header("X-Request-Id").find('$'), std::string::npos);
}

TEST_F(ObservabilityTest, MetricsPassPromtoolAndCountAFailingUpstreamsRetries) {
  runExecution();
  // A gateway call whose upstream fails twice before it answers.
  upstream_.enqueue(FakeReply::error(500, "upstream is having a moment"));
  upstream_.enqueue(FakeReply::error(500, "upstream is having a moment"));
  auto answered = call("POST", "/v1/chat/completions",
                       R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})", member_key_);
  ASSERT_EQ(answered.status, 200) << answered.body;

  auto refused = call("GET", "/metrics", "", viewer_key_);
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto scraped = call("GET", "/metrics");
  ASSERT_EQ(scraped.status, 200) << scraped.body;
  EXPECT_EQ(scraped.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto path = fs::path(dir_.str()) / "scrape.prom";
  std::ofstream(path) << scraped.body;
  auto check = runCommand("/bin/sh", {"-c",
                                      "command -v promtool >/dev/null || { echo 'promtool is missing: run make deps'; "
                                      "exit 127; }; promtool check metrics < " +
                                          path.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  auto m = samples(scraped.body);
  const std::string gateway = R"(provider="openai",model="gpt-4o-mini",endpoint="chat",origin="gateway")";
  EXPECT_EQ(m["codecrew_llm_requests_total{" + gateway + R"(,status="failed",error="server_error"})"], 2);
  EXPECT_EQ(m["codecrew_llm_requests_total{" + gateway + R"(,status="success",error=""})"], 1);
  EXPECT_EQ(m[R"(codecrew_llm_retries_total{provider="openai",endpoint="chat",reason="server_error"})"], 2);
  EXPECT_EQ(m["codecrew_llm_request_duration_seconds_count{" + gateway + "}"], 3);
  EXPECT_EQ(m[R"(codecrew_http_requests_total{route="/v1/chat/completions",method="POST",status="200"})"], 1);
  EXPECT_EQ(m[R"(codecrew_http_requests_total{route="/metrics",method="GET",status="403"})"], 1);
  // The execution's calls are the crew's, one per agent step.
  const std::string crew = R"(provider="openai",model="gpt-4o-mini",endpoint="chat",origin="crew")";
  const double steps = m["codecrew_agent_steps_total"];
  EXPECT_GE(steps, 2);
  EXPECT_EQ(m["codecrew_llm_requests_total{" + crew + R"(,status="success",error=""})"], steps);
  EXPECT_EQ(m[R"(codecrew_llm_tokens_total{provider="openai",model="gpt-4o-mini",origin="crew",direction="input"})"],
            12 * steps);
  EXPECT_EQ(m[R"(codecrew_executions{state="completed"})"], 1);
  EXPECT_EQ(m[R"(codecrew_executions_finished_total{state="completed"})"], 1);
  EXPECT_EQ(m["codecrew_queue_wait_seconds_count"], 1);
  EXPECT_EQ(m["codecrew_queue_depth"], 0);
  EXPECT_EQ(m["codecrew_ready"], 1);
  EXPECT_GT(m["process_resident_memory_bytes"], 0);
  EXPECT_GT(m[R"(codecrew_store_operation_duration_seconds_count{operation="write"})"], 0);
  // Every family the alert rules and the dashboard read is one this server exports.
  std::set<std::string> exported_families;
  std::istringstream lines(scraped.body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("# TYPE ", 0) == 0) exported_families.insert(line.substr(7, line.find(' ', 7) - 7));
  for (const char* file : {"deploy/prometheus/alerts.yml", "deploy/grafana/codecrew.json"}) {
    std::ifstream in(fs::path(CODECREW_SOURCE_DIR) / file);
    std::string text;
    for (std::string line; std::getline(in, line);)  // YAML comments are prose, not queries
      if (line.find_first_not_of(' ') == std::string::npos || line[line.find_first_not_of(' ')] != '#')
        text += line + "\n";
    ASSERT_FALSE(text.empty()) << file;
    static const std::regex kName(R"(\b((codecrew|process)_[a-z_]+[a-z])\b)");
    std::set<std::string> read;
    for (std::sregex_iterator it(text.begin(), text.end(), kName), end; it != end; ++it) read.insert((*it)[1]);
    EXPECT_GT(read.size(), 10u) << file;
    for (std::string name : read) {
      for (const char* suffix : {"_bucket", "_sum", "_count"})
        if (!exported_families.count(name) && name.size() > std::strlen(suffix) &&
            name.compare(name.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
          name.resize(name.size() - std::strlen(suffix));
      EXPECT_TRUE(exported_families.count(name)) << file << " reads " << name << ", which /metrics does not export";
    }
  }
  // The spans went out (they are counted as they are sent).
  auto exported = 0.0;
  for (int i = 0; i < 100 && exported == 0; ++i) {
    exported = samples(call("GET", "/metrics").body)[R"(codecrew_trace_spans_total{outcome="exported"})"];
    if (exported == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GT(exported, 0);
}

}  // namespace
}  // namespace codecrew::testing

namespace codecrew::testing {
namespace {

// A data directory on a small tmpfs of its own, unmounted at the end.
class SmallDisk {
 public:
  explicit SmallDisk(const fs::path& at) : at_(at) {
    fs::create_directories(at_);
    mounted_ = runCommand("/bin/mount", {"-t", "tmpfs", "-o", "size=16m", "tmpfs", at_.string()}).exit_code == 0;
  }
  ~SmallDisk() {
    if (mounted_) runCommand("/bin/umount", {"-l", at_.string()});
  }
  bool mounted() const { return mounted_; }

 private:
  fs::path at_;
  bool mounted_ = false;
};

std::string readyzStatus(HttpClient& client, int want, std::string& body) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  HttpResult r;
  do {
    r = client.request("GET", "/readyz");
    if (r.status == want) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  body = r.body;
  return std::to_string(r.status);
}

TEST(ReadinessOnDisk, ReadyzAndTheReadyGaugeFlipWhenTheDataDirectoryFillsAndComeBack) {
  TempDir dir;
  const auto data = dir.path() / "data";
  SmallDisk disk(data);
  if (!disk.mounted()) GTEST_SKIP() << "mounting a tmpfs needs CAP_SYS_ADMIN, which this test process lacks";
  ServerProcess server(CODECREW_BINARY, data.string(), {"--dev", "--no-engine"});
  HttpClient client("127.0.0.1", server.port());
  std::string body;
  EXPECT_EQ(readyzStatus(client, 200, body), "200") << body;

  // Fill the disk to less than the megabyte a database needs to grow.
  struct statvfs fs {};
  ASSERT_EQ(::statvfs(data.c_str(), &fs), 0);
  const auto fill = std::uint64_t(fs.f_bavail) * fs.f_frsize - 256 * 1024;
  {
    std::ofstream filler(data / "filler", std::ios::binary);
    std::string block(64 * 1024, 'x');
    for (std::uint64_t written = 0; written + block.size() <= fill; written += block.size()) filler << block;
  }
  EXPECT_EQ(readyzStatus(client, 503, body), "503") << body;
  EXPECT_NE(body.find("disk is full"), std::string::npos) << body;
  EXPECT_NE(client.request("GET", "/metrics").body.find("\ncodecrew_ready 0\n"), std::string::npos);
  EXPECT_EQ(client.request("GET", "/healthz").status, 200);

  fs::remove(data / "filler");
  EXPECT_EQ(readyzStatus(client, 200, body), "200") << body;
  EXPECT_NE(client.request("GET", "/metrics").body.find("\ncodecrew_ready 1\n"), std::string::npos);
  server.terminate();
}

TEST(MetricsListener, ServesMetricsAndProbesWithoutKeysWhileTheApiAsksForOne) {
  TempDir dir;
  const int port = freeLoopbackPort();
  ServerProcess server(CODECREW_BINARY, dir.str(), {"--no-engine"},
                       {{"CODECREW_METRICS_LISTEN", "127.0.0.1:" + std::to_string(port)}});
  HttpClient api("127.0.0.1", server.port());
  EXPECT_EQ(api.request("GET", "/metrics").status, 401) << "the API's address asks for a key";
  HttpClient listener("127.0.0.1", port);
  auto metrics = listener.request("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_NE(metrics.body.find("codecrew_build_info{version="), std::string::npos);
  EXPECT_EQ(listener.request("GET", "/readyz").status, 200);
  EXPECT_EQ(listener.request("GET", "/healthz").status, 200);
  EXPECT_EQ(listener.request("GET", "/workflows").status, 404) << "the listener serves nothing else";
  server.terminate();

  auto bad = runCommand(CODECREW_BINARY, {"serve", "--no-engine", "--port", "0", "--data-dir", dir.str()},
                        {{"CODECREW_METRICS_LISTEN", "localhost"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("[metrics] listen (CODECREW_METRICS_LISTEN) must be host:port"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace codecrew::testing

namespace codecrew::testing {
namespace {

TEST(DoctorObservability, SaysWhereMetricsAndSpansGoAndRefusesAMalformedSetting) {
  TempDir dir;
  auto doctor = [&](std::map<std::string, std::string> env) {
    env.emplace("CODECREW_DATA_DIR", dir.str());
    return runCommand(CODECREW_BINARY, {"doctor"}, env);
  };
  auto off = doctor({{"OTEL_EXPORTER_OTLP_ENDPOINT", ""}, {"CODECREW_METRICS_LISTEN", ""}});
  EXPECT_NE(off.out.find("  metrics: GET /metrics on the API's address for admin keys; no listener"), std::string::npos)
      << off.out;
  EXPECT_NE(off.out.find("  tracing: off (set OTEL_EXPORTER_OTLP_ENDPOINT"), std::string::npos) << off.out;

  auto on = doctor({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"},
                    {"OTEL_EXPORTER_OTLP_HEADERS", "api-key=doctor-secret-123"},
                    {"OTEL_SERVICE_NAME", "codecrew-api"},
                    {"CODECREW_METRICS_LISTEN", "127.0.0.1:9464"}});
  EXPECT_NE(on.out.find("without keys on 127.0.0.1:9464"), std::string::npos) << on.out;
  EXPECT_NE(on.out.find("  tracing: on, OTLP/HTTP JSON to http://127.0.0.1:4318/v1/traces as service codecrew-api"),
            std::string::npos)
      << on.out;
  EXPECT_EQ((on.out + on.err).find("doctor-secret-123"), std::string::npos) << "a header's value is never shown";

  auto grpc = doctor(
      {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"}, {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  EXPECT_EQ(grpc.exit_code, 2);
  EXPECT_NE(grpc.err.find("OTEL_EXPORTER_OTLP_PROTOCOL='grpc'"), std::string::npos) << grpc.err;
  auto listen = doctor({{"CODECREW_METRICS_LISTEN", "9464"}});
  EXPECT_EQ(listen.exit_code, 2);
  EXPECT_NE(listen.err.find("[metrics] listen (CODECREW_METRICS_LISTEN) must be host:port"), std::string::npos)
      << listen.err;
}

}  // namespace
}  // namespace codecrew::testing
