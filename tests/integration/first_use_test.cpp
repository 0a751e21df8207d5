// The first step off the offline demo, against the real binary and the fake
// upstream: a provider's key (and base URL) alone runs a built-in crew, every
// call names a model and is recorded with its tokens; `codecrew doctor` says
// which keys were found where and which model each crew role uses; and an
// embeddings endpoint answering the wrong shape leaves chat working.
#include "fake_upstream.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

namespace codecrew::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// The environment with only `keys` of the provider variables set (the others
// empty, which codecrew reads as unset).
std::map<std::string, std::string> onlyEnv(std::map<std::string, std::string> keys) {
  std::map<std::string, std::string> env = {{"OPENAI_API_KEY", ""},        {"OPENAI_BASE_URL", ""},
                                            {"ANTHROPIC_API_KEY", ""},     {"ANTHROPIC_BASE_URL", ""},
                                            {"GEMINI_API_KEY", ""},        {"GROQ_API_KEY", ""},
                                            {"OPENROUTER_API_KEY", ""},    {"AZURE_OPENAI_ENDPOINT", ""},
                                            {"AZURE_OPENAI_API_KEY", ""},  {"OLLAMA_HOST", ""},
                                            {"CODECREW_MODEL", ""},        {"CODECREW_CREWS_DIR", ""},
                                            {"CODECREW_LOG_LEVEL", "info"}};
  for (auto& [k, v] : keys) env[k] = v;
  return env;
}

std::string writeConfig(const TempDir& dir, const std::string& text = "") {
  auto path = (dir.path() / "codecrew.toml").string();
  std::ofstream(path) << text;
  return path;
}

// Runs the review crew with `env`, then reads its recorded calls through a
// dev server on the same data directory.
json::array runReviewCrew(const TempDir& dir, const std::map<std::string, std::string>& env) {
  const auto data = (dir.path() / "var").string();
  const auto config = writeConfig(dir);
  auto run = runCommand(CODECREW_BINARY,
                        {"run", "Review the code", "--repo", (dir.path() / "repo").string(), "--crew", "review",
                         "--data-dir", data, "--config", config, "--no-ask"},
                        env);
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.out << run.err;
  EXPECT_EQ(run.err.find("could not record"), std::string::npos) << run.err;
  ServerProcess dev(CODECREW_BINARY, data, {"--dev", "--no-engine", "--config", config}, env);
  HttpClient c("127.0.0.1", dev.port());
  auto workflows = c.request("GET", "/workflows").json();
  EXPECT_EQ(workflows.at("total").as_int64(), 1);
  auto wf = workflows.at("workflows").at(0).at("id").as_int64();
  auto calls = c.request("GET", "/workflows/" + std::to_string(wf) + "/llm-calls?page_size=200").json();
  return calls.at("calls").as_array();
}

void expectEveryCallNamedAndRecorded(const FakeUpstream& upstream, const json::array& calls,
                                     const std::string& provider, const std::string& model) {
  auto requests = upstream.requests();
  ASSERT_FALSE(requests.empty());
  for (const auto& r : requests) {
    auto body = json::parse(r.body).as_object();
    ASSERT_TRUE(body.contains("model")) << r.body;
    EXPECT_EQ(body.at("model").as_string(), model) << r.body;
  }
  ASSERT_EQ(calls.size(), requests.size()) << "every call the upstream saw is recorded";
  for (const auto& c : calls) {
    EXPECT_EQ(c.at("provider").as_string(), provider);
    EXPECT_EQ(c.at("model").as_string(), model);
    EXPECT_GT(c.at("total_tokens").as_int64(), 0) << json::serialize(c);
  }
}

TEST(FirstUse, AnOpenAiKeyAndBaseUrlAloneRunABuiltInCrew) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  TempDir dir;
  auto calls = runReviewCrew(dir, onlyEnv({{"OPENAI_API_KEY", "sk-first-use-0123456789"},
                                           {"OPENAI_BASE_URL", upstream.baseUrl() + "/v1"}}));
  expectEveryCallNamedAndRecorded(upstream, calls, "openai", "gpt-4.1");
}

TEST(FirstUse, AnAnthropicKeyAndBaseUrlAloneRunABuiltInCrew) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  TempDir dir;
  auto calls = runReviewCrew(dir, onlyEnv({{"ANTHROPIC_API_KEY", "sk-ant-first-use-0123456789"},
                                           {"ANTHROPIC_BASE_URL", upstream.baseUrl()}}));
  expectEveryCallNamedAndRecorded(upstream, calls, "anthropic", "claude-sonnet-4-5");
}

TEST(FirstUse, DoctorSaysWhichKeysWereFoundAndWhichModelEachRoleUses) {
  TempDir dir;
  const auto config = writeConfig(dir, "[roles.reviewer]\nprimary = \"openai/o3\"\n");
  const std::string key = "sk-doctor-secret-0123456789";
  auto doctor = runCommand(CODECREW_BINARY, {"doctor", "--config", config},
                           onlyEnv({{"OPENAI_API_KEY", key}, {"OPENAI_BASE_URL", "http://127.0.0.1:9/v1"}}));
  ASSERT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  const auto& out = doctor.out;
  EXPECT_NE(out.find("openai       found    key from OPENAI_API_KEY (environment), http://127.0.0.1:9/v1"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("anthropic    missing  set ANTHROPIC_API_KEY"), std::string::npos) << out;
  EXPECT_NE(out.find("azure        missing  set AZURE_OPENAI_ENDPOINT"), std::string::npos) << out;
  EXPECT_NE(out.find("ollama       missing  set OLLAMA_HOST"), std::string::npos) << out;
  auto row = [&](const std::string& crew, const std::string& agent, const std::string& role,
                 const std::string& provider, const std::string& model, const std::string& from) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-10s %-20s %-12s %-12s %-28s %s\n", crew.c_str(), agent.c_str(), role.c_str(),
                  provider.c_str(), model.c_str(), from.c_str());
    EXPECT_NE(out.find(line), std::string::npos) << "missing row: " << line << out;
  };
  row("sdlc", "planner", "planner", "openai", "gpt-4.1", "default of openai");
  row("sdlc", "tester", "tester", "openai", "gpt-4.1-mini", "default of openai");
  row("sdlc", "developer (cheaper)", "coder_cheap", "openai", "gpt-4.1-mini", "default of openai");
  row("review", "reviewer", "reviewer", "openai", "o3", "roles.reviewer.primary");
  EXPECT_EQ(out.find(key), std::string::npos);
  EXPECT_EQ(doctor.err.find(key), std::string::npos);

  auto none = runCommand(CODECREW_BINARY, {"doctor", "--config", writeConfig(dir)}, onlyEnv({}));
  EXPECT_EQ(none.exit_code, 1) << none.out << none.err;
  EXPECT_NE(none.out.find("NONE"), std::string::npos) << none.out;
  EXPECT_NE(none.out.find("openai       missing  set OPENAI_API_KEY"), std::string::npos) << none.out;
  EXPECT_NE(none.out.find("role(s) have no model"), std::string::npos) << none.out;
}

// doctor also says what the code host and tracker integrations will do,
// never printing a token.
TEST(FirstUse, DoctorSaysWhatGitHubAndJiraWillDo) {
  TempDir dir;
  const std::string token = "ghp_doctor_secret_0123456789";
  auto env = onlyEnv({{"OPENAI_API_KEY", "sk-x"},
                      {"GITHUB_TOKEN", token},
                      {"GITHUB_WEBHOOK_SECRET", ""},
                      {"GITHUB_SERVER_URL", "https://ghe.example"},
                      {"GITHUB_API_URL", "https://ghe.example/api/v3"},
                      {"JIRA_BASE_URL", "https://acme.atlassian.net"},
                      {"JIRA_EMAIL", ""},
                      {"JIRA_API_TOKEN", ""},
                      {"NEGISHI_JIRA_BASE_URL", ""},
                      {"NEGISHI_JIRA_EMAIL", ""},
                      {"NEGISHI_JIRA_API_TOKEN", ""}});
  auto doctor = runCommand(CODECREW_BINARY,
                           {"doctor", "--config", writeConfig(dir, "[github]\nmax_fix_attempts = 2\n")}, env);
  ASSERT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  for (const char* line :
       {"  github: repositories under https://ghe.example (API https://ghe.example/api/v3)\n", "    token: set\n",
        "up to 2 follow-ups",
        "    webhooks: no secret: POST /webhooks/github answers 503 (set GITHUB_WEBHOOK_SECRET)\n",
        "  jira: not configured; missing: jira.email (JIRA_EMAIL) jira.api_token (JIRA_API_TOKEN)\n"})
    EXPECT_NE(doctor.out.find(line), std::string::npos) << line << doctor.out;
  EXPECT_EQ(doctor.out.find(token), std::string::npos);
}

TEST(FirstUse, DoctorListsOllamasDiscoveredModels) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  TempDir dir;
  auto doctor = runCommand(CODECREW_BINARY, {"doctor", "--config", writeConfig(dir)},
                           onlyEnv({{"OLLAMA_HOST", "127.0.0.1:" + std::to_string(upstream.port())}}));
  ASSERT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  EXPECT_NE(doctor.out.find(std::string("models: ") + kFakeOllamaModels[0] + " " + kFakeOllamaModels[1]),
            std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find(std::string("ollama       ") + kFakeOllamaModels[0]), std::string::npos) << doctor.out;
}

TEST(FirstUse, AWrongShapedEmbeddingsAnswerLeavesChatWorking) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  TempDir dir;
  const auto config = writeConfig(dir, "[roles.gateway]\nmax_attempts = 1\n");
  fs::create_directories(dir.path() / "var");  // where the server's log goes
  ServerProcess server(CODECREW_BINARY, (dir.path() / "var").string(), {"--dev", "--config", config},
                       onlyEnv({{"OPENAI_API_KEY", "sk-embed-0123456789"},
                                {"OPENAI_BASE_URL", upstream.baseUrl() + "/v1"}}));
  HttpClient c("127.0.0.1", server.port());
  FakeReply wrong;
  wrong.malformed = true;
  const std::string embed = R"({"model": "text-embedding-3-small", "input": "hello"})";
  for (int i = 0; i < 5; ++i) {  // the breaker opens after 5 failures in a row
    upstream.enqueue(wrong);
    EXPECT_NE(c.request("POST", "/v1/embeddings", embed).status, 200);
  }
  auto refused = c.request("POST", "/v1/embeddings", embed);  // open: refused without a call
  EXPECT_NE(refused.status, 200);
  EXPECT_EQ(upstream.requests().size(), 5u);
  auto chat = c.request("POST", "/v1/chat/completions",
                        R"({"model": "gpt-4.1", "messages": [{"role": "user", "content": "still there?"}]})");
  ASSERT_EQ(chat.status, 200) << chat.body;
  EXPECT_NE(chat.body.find("Hello from the fake upstream."), std::string::npos);

  server.terminate();
  auto log = server.stderrText();
  EXPECT_NE(log.find(R"("msg":"circuit breaker opened: calls to this provider's endpoint are refused for a while")"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(R"("endpoint":"embeddings")"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("msg":"upstream call failed")"), std::string::npos) << log;
  // The start-up log says which model each role of each crew uses.
  EXPECT_NE(log.find(R"("msg":"crew models")"), std::string::npos) << log;
  EXPECT_NE(log.find("openai/gpt-4.1-mini (default of openai)"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("msg":"model provider keys")"), std::string::npos) << log;
  EXPECT_EQ(log.find("sk-embed-0123456789"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::testing
