// A CrewAI project through the real server: the crews folder holds the
// `crewai create crew` template (tests/data/crewai), the model is the fake
// upstream behind OPENAI_BASE_URL. Inputs come with the workflow and the
// start; a start that leaves a placeholder unfilled is a 400 naming it and
// stores nothing; the run goes research first, then the report, with the
// research in the report's prompt, and writes report.md in its workspace.
#include "api_fixture.h"
#include "fake_upstream.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace codecrew::testing {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kProjects = fs::path(CODECREW_SOURCE_DIR) / "tests" / "data" / "crewai";

class CrewAiApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(upstream_.start().ok());
    FakeReply reply;
    reply.text = "- agents plan\n- agents use tools";
    upstream_.enqueue(reply);
    reply.text = "# Report on AI agents";
    upstream_.setDefault(reply);
    ApiTest::SetUp();
  }
  void TearDown() override { upstream_.stop(); }
  std::vector<std::string> serverArgs() const override { return {}; }
  std::map<std::string, std::string> serverEnv() const override {
    return {{"OPENAI_API_KEY", "sk-test"},
            {"OPENAI_BASE_URL", upstream_.baseUrl() + "/v1"},
            {"CODECREW_MODEL", "gpt-4o-mini"},
            {"CODECREW_CREWS_DIR", kProjects.string()}};
  }

  json::object waitForEnd(core::Id wf, core::Id e) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    json::object x;
    while (std::chrono::steady_clock::now() < deadline) {
      x = call("GET", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e)).json().as_object();
      auto s = x.at("status").as_string();
      if (s == "completed" || s == "failed" || s == "cancelled") return x;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution " << e << " did not end: " << json::serialize(x);
    return x;
  }

  FakeUpstream upstream_;
};

TEST_F(CrewAiApiTest, InputsFillTheTemplateAndAnUnfilledOneIsRefused) {
  json::object body{{"name", "ai news"},
                    {"description", "A briefing for the board"},
                    {"crew", "latest_ai_development"},
                    {"inputs", json::object{{"topic", "AI agents"}}}};
  auto created = call("POST", "/workflows", json::serialize(body));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json().at("inputs"), (json::object{{"topic", "AI agents"}}));
  auto wf = created.json().at("id").as_int64();
  std::string base = "/workflows/" + std::to_string(wf);

  auto refused = call("POST", base + "/executions/start");
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("needs inputs that were not given: {current_year}"), std::string::npos) << refused.body;
  EXPECT_EQ(call("GET", base + "/executions").json().at("total").as_int64(), 0);  // nothing stored
  auto wrong = call("POST", base + "/executions/start", R"({"inputs": {"current_year": ["2026"]}})");
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_NE(wrong.body.find("inputs.current_year must be a string"), std::string::npos) << wrong.body;

  auto started = call("POST", base + "/executions/start", R"({"inputs": {"current_year": "2026"}})");
  ASSERT_EQ(started.status, 202) << started.body;
  auto e = started.json().at("execution").at("id").as_int64();
  EXPECT_EQ(started.json().at("execution").at("inputs"), (json::object{{"current_year", "2026"}}));
  auto done = waitForEnd(wf, e);
  ASSERT_EQ(done.at("status").as_string(), "completed") << json::serialize(done);

  auto requests = upstream_.requests();
  ASSERT_EQ(requests.size(), 2u);
  const auto& research = requests[0].body;
  EXPECT_NE(research.find("You are AI agents Senior Data Researcher."), std::string::npos) << research;
  EXPECT_NE(research.find("the current year is 2026."), std::string::npos);
  EXPECT_NE(research.find("The goal of this work: A briefing for the board"), std::string::npos);
  EXPECT_EQ(research.find("{topic}"), std::string::npos);
  const auto& report = requests[1].body;
  EXPECT_NE(report.find("AI agents Reporting Analyst"), std::string::npos);
  EXPECT_NE(report.find("## Output of research_task\\n- agents plan\\n- agents use tools"), std::string::npos)
      << report;

  fs::path workspace = fs::path(dir_.str()) / "workspaces" / ("t" + std::to_string(tenantId("acme"))) /
                       ("e" + std::to_string(e));
  std::ifstream in(workspace / "report.md");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "# Report on AI agents");
}

TEST(CrewAiRunTest, RunRefusesAnUnfilledInputBeforeMakingAnything) {
  TempDir dir;
  const fs::path repo = dir.path() / "repo";
  const fs::path cassette = fs::path(CODECREW_SOURCE_DIR) / "examples" / "wordcount" / "wordcount.cassette.jsonl";
  std::vector<std::string> args{"run",      "A briefing for the board", "--repo",      repo.string(),
                                "--crew",   "latest_ai_development",    "--crews-dir", kProjects.string(),
                                "--replay", cassette.string(),          "--data-dir",  (dir.path() / "var").string(),
                                "--input",  "topic=AI agents"};
  auto refused = runCommand(CODECREW_BINARY, args);
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("needs inputs that were not given: {current_year}"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--input current_year=..."), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(repo));
  args.back() = "topic";
  auto malformed = runCommand(CODECREW_BINARY, args);
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("--input topic: give it as name=text"), std::string::npos) << malformed.err;
}

}  // namespace
}  // namespace codecrew::testing
