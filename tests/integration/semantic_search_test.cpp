// GET /workflows/{id}/search against the real server: a workflow on a local
// repository runs to its first gate (the wordcount cassette), its agents'
// first prompts got retrieved context (event context.retrieved), and the
// repository is searchable by its owner only; without an embedding model
// the ranking is BM25 and says so.
#include "engine_api_fixture.h"
#include "fake_upstream.h"

#include <thread>

namespace codecrew::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class SemanticSearchApiTest : public EngineApiTest {
 protected:
  std::string makeRepository() {
    std::string repo = repos_.str() + "/shop";
    fs::create_directories(repo + "/src");
    std::ofstream(repo + "/src/cache.cpp") << "// Evicts the least recently used entry when the cache is full.\n"
                                              "void LruCache::evictOldest() {\n  entries_.pop_back();\n}\n";
    std::ofstream(repo + "/src/server.py") << "def listen(port):\n    return port\n";
    std::ofstream(repo + "/README.md") << "# Shop\n\n## Install\nRun make.\n";
    EXPECT_EQ(std::system(("cd " + repo +
                           " && git -c init.defaultBranch=main init -q . && git add -A && git -c user.name=t -c "
                           "user.email=t@t commit -qm seed")
                              .c_str()),
              0);
    return repo;
  }
};

TEST_F(SemanticSearchApiTest, SearchesTheWorkflowsRepositoryByBm25ForItsTenantOnly) {
  json::object body{{"name", "shop"}, {"crew", "sdlc"}, {"repository_url", makeRepository()}};
  auto wf = call("POST", "/workflows", json::serialize(body)).json().at("id").as_int64();
  const std::string path = "/workflows/" + std::to_string(wf) + "/search";
  auto before = call("GET", path + "?q=cache");
  EXPECT_EQ(before.status, 409) << "no execution yet: " << before.body;
  auto e = start(wf);
  auto x = waitFor(wf, e, {"waiting_approval", "failed"});
  ASSERT_EQ(x.at("status").as_string(), "waiting_approval") << json::serialize(x);

  auto r = call("GET", path + "?q=evict%20the%20least%20recently%20used%20entry&k=3");
  ASSERT_EQ(r.status, 200) << r.body;
  auto found = r.json().as_object();
  EXPECT_EQ(found.at("ranking"), "bm25");
  EXPECT_EQ(found.at("execution_id").as_int64(), e);
  const auto& results = found.at("results").as_array();
  ASSERT_FALSE(results.empty());
  EXPECT_LE(results.size(), 3u);
  EXPECT_EQ(results[0].at("path"), "src/cache.cpp");
  EXPECT_EQ(results[0].at("symbol"), "LruCache::evictOldest");
  EXPECT_EQ(results[0].at("start_line").as_int64(), 1);
  auto onlyPy = call("GET", path + "?q=listen%20port&path=*.py");
  ASSERT_EQ(onlyPy.status, 200) << onlyPy.body;
  auto pyResults = onlyPy.json();
  for (const auto& h : pyResults.at("results").as_array()) EXPECT_EQ(h.at("path"), "src/server.py");

  EXPECT_EQ(call("GET", path + "?q=cache", "", other_key_).status, 404) << "another tenant's workflow";
  EXPECT_EQ(call("GET", path).status, 400) << "q is required";
  EXPECT_EQ(call("GET", path + "?q=cache&k=0").status, 400);
  EXPECT_EQ(call("GET", path + "?q=cache&k=51").status, 400);
  // The path filter only narrows the workspace's own index: a pattern that
  // climbs out of it or names an absolute path finds nothing, and reads nothing.
  for (const char* outside : {"../../*", "%2Fetc%2F*", "..%2F..%2F..%2Fetc%2Fpasswd"}) {
    auto escaped = call("GET", path + "?q=root%20passwd&path=" + outside);
    ASSERT_EQ(escaped.status, 200) << outside << " " << escaped.body;
    EXPECT_TRUE(escaped.json().at("results").as_array().empty()) << outside << " " << escaped.body;
  }
  EXPECT_EQ(call("GET", path + "?q=cache", "", viewer_key_).status, 200) << "reading is a viewer's right";

  // The planner's first prompt was given the repository's context.
  auto events = db().listEvents(tenantId("acme"), wf, 0, 10000);
  ASSERT_TRUE(events.ok());
  int retrieved = 0;
  for (const auto& ev : *events) {
    if (ev.type != "context.retrieved") continue;
    ++retrieved;
    EXPECT_EQ(ev.data.at("ranking"), "bm25");
  }
  EXPECT_GE(retrieved, 1);
}

// A CrewCode session's files, searched the same way (its own index).
TEST_F(SemanticSearchApiTest, SearchesACrewCodeSessionsFilesForItsTenantOnly) {
  json::object files{{"greet.py", "def greet(name):\n    return f\"Hello, {name}!\"\n"},
                     {"billing/invoice.py",
                      "def invoice_total(lines, tax_rate):\n    return sum(lines) * (1 + tax_rate)\n"},
                     {"NOTES.md", "# Farewell\nAdd a farewell greeting.\n"}};
  auto created = call("POST", "/sessions", json::serialize(json::object{{"name", "s"}, {"files", files}}));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/sessions/" + std::to_string(created.json().at("id").as_int64()) + "/search";
  auto r = call("GET", path + "?q=invoice%20total%20with%20tax");
  ASSERT_EQ(r.status, 200) << r.body;
  auto found = r.json();
  EXPECT_EQ(found.at("ranking"), "bm25");
  ASSERT_FALSE(found.at("results").as_array().empty());
  EXPECT_EQ(found.at("results").at(0).at("path"), "billing/invoice.py");
  EXPECT_EQ(found.at("results").at(0).at("symbol"), "invoice_total");
  EXPECT_EQ(call("GET", path + "?q=invoice", "", other_key_).status, 404) << "another tenant's session";
  EXPECT_EQ(call("GET", path).status, 400);
}

// With [semantic] embedding_model, the real binary embeds the repository's
// chunks through its router (the fake upstream's /v1/embeddings) and both
// retrieval and the search box rank by vectors.
TEST(SemanticSearchWithEmbeddings, TheServerEmbedsThroughItsRouterAndRanksByVectors) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  TempDir dir, repos;
  const std::string repo = repos.str() + "/shop";
  fs::create_directories(repo + "/src");
  std::ofstream(repo + "/src/cache.cpp") << "// Evicts the least recently used entry.\nvoid evictOldest() {}\n";
  std::ofstream(repo + "/src/server.py") << "def listen(port):\n    return port\n";
  ASSERT_EQ(std::system(("cd " + repo +
                         " && git -c init.defaultBranch=main init -q . && git add -A && git -c user.name=t -c "
                         "user.email=t@t commit -qm seed")
                            .c_str()),
            0);
  const auto config = (dir.path() / "codecrew.toml").string();
  std::ofstream(config) << "[semantic]\nembedding_model = \"openai/text-embedding-3-small\"\ndimensions = 16\n";
  fs::create_directories(dir.path() / "var");
  ServerProcess server(CODECREW_BINARY, (dir.path() / "var").string(), {"--dev", "--config", config},
                       {{"OPENAI_API_KEY", "sk-embed-0123456789"},
                        {"OPENAI_BASE_URL", upstream.baseUrl() + "/v1"},
                        {"ANTHROPIC_API_KEY", ""},
                        {"GEMINI_API_KEY", ""},
                        {"CODECREW_MODEL", ""},
                        {"CODECREW_REPOSITORY_ROOTS", repos.str()}});
  HttpClient c("127.0.0.1", server.port());
  json::object body{{"name", "shop"}, {"crew", "sdlc"}, {"repository_url", repo}};
  auto created = c.request("POST", "/workflows", json::serialize(body));
  ASSERT_EQ(created.status, 201) << created.body;
  auto wf = std::to_string(created.json().at("id").as_int64());
  ASSERT_EQ(c.request("POST", "/workflows/" + wf + "/executions/start").status, 202);
  // The fake's chat answers are not plans: the run stops early; its first step was given context.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string status;
  while (std::chrono::steady_clock::now() < deadline) {
    auto list = c.request("GET", "/workflows/" + wf + "/executions").json();
    status = std::string(list.at("executions").at(0).at("status").as_string());
    if (status != "pending" && status != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(status, "running");
  std::size_t embeddingCalls = 0;
  for (const auto& r : upstream.requests()) embeddingCalls += r.target.ends_with("/embeddings");
  EXPECT_GE(embeddingCalls, 1u);

  auto r = c.request("GET", "/workflows/" + wf + "/search?q=evict%20the%20oldest");
  ASSERT_EQ(r.status, 200) << r.body;
  auto found = r.json();
  EXPECT_EQ(found.at("ranking"), "semantic") << r.body;
  ASSERT_FALSE(found.at("results").as_array().empty());
  // The fake's vectors are hashes of the text: a chunk's own text finds it first.
  std::string text(found.at("results").at(0).at("text").as_string());
  std::string path(found.at("results").at(0).at("path").as_string());
  std::string q;
  for (unsigned char ch : text) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%%%02X", ch);
    q += hex;
  }
  auto self = c.request("GET", "/workflows/" + wf + "/search?k=1&q=" + q);
  ASSERT_EQ(self.status, 200) << self.body;
  EXPECT_EQ(self.json().at("results").at(0).at("path").as_string(), path);
  EXPECT_GT(self.json().at("results").at(0).at("score").to_number<double>(), 0.999);
}

}  // namespace
}  // namespace codecrew::testing
