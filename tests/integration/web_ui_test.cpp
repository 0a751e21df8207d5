// The web UI's server side over HTTP: the built files served at / from
// CODECREW_WEB_DIR (public, cache headers, content types, traversal refused,
// API routes winning), the page shown when the UI is not built, /health's
// auth mode, and GET /crews for the new-workflow form.
#include "api_fixture.h"

namespace codecrew::testing {
namespace {
namespace json = boost::json;

class WebUiTest : public ApiTest {
 protected:
  void SetUp() override {
    dist_.write("dist/index.html", "<!doctype html><title>codecrew</title><div id=root></div>");
    dist_.write("dist/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    dist_.write("dist/assets/index-3f9a1c.js", "console.log('ui')");
    dist_.write("dist/assets/index-77aa.css", "body{margin:0}");
    dist_.write("secret.txt", "outside the web directory");
    dist_.write("crews/solo.yaml", R"(name: solo
description: One reviewer, for the test.
agents:
  reviewer: {role: reviewer, goal: review, system_prompt: "review {{goal}}", model: reviewer, tools: [read_file]}
stages:
  - stage: REVIEW
    tasks:
      - {name: review, agent: reviewer, description: "Review: {{goal}}"}
)");
    ApiTest::SetUp();
  }

  std::map<std::string, std::string> serverEnv() const override {
    return {{"CODECREW_WEB_DIR", (dist_.path() / "dist").string()},
            {"CODECREW_CREWS_DIR", (dist_.path() / "crews").string()}};
  }

  TempDir dist_;
};

TEST_F(WebUiTest, IndexAndAssetsArePublicWithCacheHeadersAndTypes) {
  auto index = call("GET", "/", "", "none");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("Cache-Control"), "no-cache");
  EXPECT_NE(index.body.find("<div id=root>"), std::string::npos);
  auto js = call("GET", "/assets/index-3f9a1c.js", "", "none");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log('ui')");
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(call("GET", "/assets/index-77aa.css", "", "none").header("Content-Type"), "text/css; charset=utf-8");
  auto icon = call("GET", "/favicon.svg", "", "none");
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(icon.header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(icon.header("Cache-Control"), "no-cache");
}

TEST_F(WebUiTest, TraversalAndMissingFilesAre404) {
  for (const char* target :
       {"/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt", "/assets/nope.js", "/assets/", "/nope.svg"}) {
    auto r = call("GET", target, "", "none");
    EXPECT_EQ(r.status, 404) << target << ": " << r.body;
    EXPECT_EQ(r.body.find("outside the web directory"), std::string::npos) << target;
  }
  auto nope = call("GET", "/nope");
  EXPECT_EQ(nope.status, 404);
  EXPECT_EQ(nope.json().at("error").at("code").as_string(), "not_found");
}

TEST_F(WebUiTest, ApiRoutesStillWin) {
  EXPECT_EQ(call("GET", "/workflows", "", "none").status, 401);  // the JSON API, not a file
  auto list = call("GET", "/workflows");
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.header("Content-Type"), "application/json");
  EXPECT_EQ(call("GET", "/health", "", "none").json().at("status").as_string(), "ok");
  auto generate = call("GET", "/generate");  // a POST-only API route stays a 405
  EXPECT_EQ(generate.status, 405) << generate.body;
  EXPECT_NE(generate.header("Allow").find("POST"), std::string::npos);
  EXPECT_EQ(call("PUT", "/workflows", "{}").status, 405);
}

TEST_F(WebUiTest, HealthSaysTheAuthMode) {
  auto h = call("GET", "/health", "", "none");
  EXPECT_EQ(h.json().at("auth").as_string(), "api_key");
  EXPECT_FALSE(h.json().at("dev_mode").as_bool());
}

TEST_F(WebUiTest, CrewsListTheTemplatesWithStagesAgentsAndGates) {
  EXPECT_EQ(call("GET", "/crews", "", "none").status, 401);
  auto r = call("GET", "/crews", "", viewer_key_);
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, json::object> crews;
  const auto body = r.json();
  for (const auto& c : body.at("crews").as_array()) crews[std::string(c.at("name").as_string())] = c.as_object();
  for (const char* name : {"sdlc", "codegen", "update", "review", "solo"}) EXPECT_TRUE(crews.count(name)) << name;
  const auto& sdlc = crews["sdlc"];
  EXPECT_FALSE(sdlc.at("description").as_string().empty());
  const auto& stages = sdlc.at("stages").as_array();
  ASSERT_FALSE(stages.empty());
  EXPECT_EQ(stages[0].at("name").as_string(), "PLANNING");
  EXPECT_EQ(stages[0].at("agents").as_array()[0].as_string(), "planner");
  EXPECT_EQ(stages[0].at("tasks").as_array()[0].at("name").as_string(), "requirements");
  const auto& planner = sdlc.at("agents").as_array()[0];  // in the order the stages use them
  EXPECT_EQ(planner.at("name").as_string(), "planner");
  EXPECT_EQ(planner.at("role").as_string(), "planner");
  EXPECT_EQ(planner.at("model").as_string(), "planner");
  EXPECT_FALSE(planner.at("tools").as_array().empty());
  json::array gates = sdlc.at("gates").as_array();
  EXPECT_NE(std::find(gates.begin(), gates.end(), json::value("after:PLANNING")), gates.end());
  EXPECT_TRUE(sdlc.at("budgets").at("execution").at("tokens").is_int64());
  EXPECT_EQ(crews["solo"].at("agents").as_array().size(), 1u);

  auto one = call("GET", "/crews/review", "", viewer_key_);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json().at("stages").as_array()[0].at("name").as_string(), "REVIEW");
  auto unknown = call("GET", "/crews/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("sdlc"), std::string::npos) << "names the known crews";
}

TEST_F(WebUiTest, UnbuiltUiGetsAPageSayingHowToBuildIt) {
  server_.reset();
  startServer({{"CODECREW_WEB_DIR", (dist_.path() / "not-built").string()}});
  auto r = call("GET", "/", "", "none");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("not built"), std::string::npos);
  EXPECT_NE(r.body.find("npm ci"), std::string::npos);
  EXPECT_EQ(call("GET", "/assets/index-3f9a1c.js", "", "none").status, 404);
}

TEST(WebUiDevTest, DevModeNeedsNoKeyAndSaysSo) {
  TempDir dir;
  ServerProcess server(binary(), dir.str(), {"--dev", "--no-engine"});
  HttpClient client("127.0.0.1", server.port());
  auto health = client.request("GET", "/health", "", {});
  EXPECT_EQ(health.json().at("auth").as_string(), "none");
  auto crews = client.request("GET", "/crews/sdlc", "", {});
  EXPECT_EQ(crews.status, 200);
}

}  // namespace
}  // namespace codecrew::testing
