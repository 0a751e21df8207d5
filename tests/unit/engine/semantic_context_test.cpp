#include "engine/semantic_context.h"
#include "engine/context_retrieval.h"
#include "engine/router_embedder.h"

#include "engine_fixture.h"
#include "fake_embeddings.h"
#include "fake_upstream.h"
#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "tools/git/git_repository.h"
#include "tools/workspace/local_workspace.h"

#include <boost/asio/thread_pool.hpp>
#include <boost/json/parse.hpp>

namespace codecrew::engine::test {
namespace {

namespace json = boost::json;

// The fake upstream's vectors without HTTP.
class HashEmbedder : public tools::Embedder {
 public:
  std::string model() const override { return "fake/hash"; }
  core::Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) out.push_back(codecrew::testing::fakeEmbedding(t, 16));
    ++calls;
    return out;
  }
  std::atomic<int> calls{0};
};

constexpr const char* kSearchCrew = R"(
name: searchcrew
agents:
  planner: {role: planner, model: planner, tools: [list_files, semantic_search], max_iterations: 4, max_output_tokens: 50}
stages:
  - stage: PLANNING
    tasks: [{name: plan, agent: planner, output: plan, artifact: plan, description: "Plan {{goal}}"}]
limits: {max_parallel: 1, guardrail_retries: 1, stall_turns: 3}
)";

class SemanticContextTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    crewYaml(kSearchCrew);
    auto repo = dir_.path() / "repo";
    dir_.write("repo/src/cache.cpp",
               "// Evicts the least recently used entry when the cache is full.\n"
               "void LruCache::evictOldest() {\n  entries_.pop_back();\n}\n");
    dir_.write("repo/src/server.py", "def listen(port):\n    return port\n");
    dir_.write("repo/docs/guide.md", "# Install\nRun make.\n");
    auto git = tools::GitRepository::openOrInit(repo.string());
    ASSERT_TRUE(git.ok());
    ASSERT_TRUE(git->commitAll({"t", "t@example.com"}, "initial").ok());
    script_ = [](const std::string&, const std::string&, int index) -> Turn {
      if (index == 0) return {"", {{"semantic_search", {{"query", "evict cache entries"}, {"k", 2}}}}};
      return {planJson({"alpha"})};
    };
  }

  std::vector<json::object> eventsOf(const std::string& type) {
    std::vector<json::object> out;
    auto events = store_->listEvents(tenant_, workflow_, 0, 1000);
    EXPECT_TRUE(events.ok());
    for (const auto& e : *events)
      if (e.type == type) out.push_back(e.data.as_object());
    return out;
  }

  // The semantic_search tool's answer, as the model got it.
  json::object toolAnswer() {
    const auto& messages = provider_->seen.at(1).request.messages;
    return json::parse(messages.back().content).as_object();
  }
};

TEST_F(SemanticContextTest, WithoutAnEmbedderTheFirstPromptGetsTheMapAndBm25ChunksAndTheToolRanksByBm25) {
  semantic_ = std::make_shared<SemanticContext>(dir_.path() / "index", SemanticSettings{});
  auto engine = makeEngine();
  auto exec = newExecution("searchcrew", "evict the least recently used cache entry");
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  const auto& task = provider_->seen.at(0).request.messages.at(1).content;
  EXPECT_NE(task.find("## Repository context"), std::string::npos) << task;
  EXPECT_NE(task.find("### src/cache.cpp:1-4 (LruCache::evictOldest)"), std::string::npos) << task;
  auto retrieved = eventsOf("context.retrieved");
  ASSERT_EQ(retrieved.size(), 1u);
  EXPECT_EQ(retrieved[0].at("ranking"), "bm25");
  EXPECT_EQ(retrieved[0].at("step"), "PLANNING#0/plan");
  EXPECT_EQ(retrieved[0].at("chunks").at(0).at("path"), "src/cache.cpp");
  EXPECT_LE(retrieved[0].at("tokens").to_number<std::int64_t>(),
            retrieved[0].at("budget_tokens").to_number<std::int64_t>());
  EXPECT_GT(retrieved[0].at("index").at("chunks").to_number<std::int64_t>(), 0);
  auto answer = toolAnswer();
  EXPECT_EQ(answer.at("ranking"), "bm25");
  EXPECT_EQ(answer.at("results").at(0).at("path"), "src/cache.cpp");
  // The index lives under the data folder, by tenant and repository.
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "index" / ("t" + std::to_string(tenant_))));
}

TEST_F(SemanticContextTest, WithAnEmbedderRetrievalAndTheToolRankByVectors) {
  auto embedder = std::make_shared<HashEmbedder>();
  semantic_ = std::make_shared<SemanticContext>(dir_.path() / "index", SemanticSettings{},
                                                [embedder](const llm::CallContext&) { return embedder; });
  auto engine = makeEngine();
  auto exec = newExecution("searchcrew", "evict the least recently used cache entry");
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  auto retrieved = eventsOf("context.retrieved");
  ASSERT_EQ(retrieved.size(), 1u);
  EXPECT_EQ(retrieved[0].at("ranking"), "semantic");
  EXPECT_TRUE(retrieved[0].at("index").at("complete").as_bool());
  EXPECT_EQ(toolAnswer().at("ranking"), "semantic");
  EXPECT_GT(embedder->calls.load(), 0);
}

TEST_F(SemanticContextTest, ContextOffLeavesThePromptAsItWasButKeepsTheTool) {
  SemanticSettings settings;
  settings.context = false;
  semantic_ = std::make_shared<SemanticContext>(dir_.path() / "index", settings);
  auto engine = makeEngine();
  auto exec = newExecution("searchcrew", "evict the least recently used cache entry");
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(provider_->seen.at(0).request.messages.at(1).content.find("## Repository context"), std::string::npos);
  EXPECT_TRUE(eventsOf("context.retrieved").empty());
  EXPECT_EQ(toolAnswer().at("ranking"), "bm25");
}

constexpr const char* kToollessCrew = R"(
name: toolless
agents:
  writer: {role: writer, model: planner, tools: [], max_iterations: 2, max_output_tokens: 50}
stages:
  - stage: PLANNING
    tasks: [{name: notes, agent: writer, artifact: notes, description: "Notes on {{goal}}"}]
limits: {max_parallel: 1, guardrail_retries: 1, stall_turns: 3}
)";

TEST_F(SemanticContextTest, AnAgentGivenNoToolsOpensNoIndexAndGetsNoRetrievedContext) {
  crewYaml(kToollessCrew);
  script_ = [](const std::string&, const std::string&, int) -> Turn { return {"the notes"}; };
  semantic_ = std::make_shared<SemanticContext>(dir_.path() / "index", SemanticSettings{});
  auto engine = makeEngine();
  auto exec = newExecution("toolless", "evict the least recently used cache entry");
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(provider_->seen.at(0).request.messages.at(1).content.find("## Repository context"), std::string::npos);
  EXPECT_TRUE(eventsOf("context.retrieved").empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "index" / ("t" + std::to_string(tenant_))));
}

// A search that answers fixed hits, best first.
class FixedSearch : public tools::SemanticSearch {
 public:
  core::Result<tools::SemanticResult> search(const tools::SemanticQuery& query) override {
    last_query = query.text;
    return result;
  }
  tools::SemanticResult result;
  std::string last_query;
};

tools::SemanticHit hitOf(std::string path, std::size_t lines, double score) {
  tools::CodeChunk c;
  c.path = std::move(path);
  c.startLine = 1;
  c.endLine = static_cast<int>(lines);
  c.symbol = "f";
  for (std::size_t i = 0; i < lines; ++i) c.text += "int line_" + std::to_string(i) + " = compute_something();\n";
  c.id = tools::chunkIdOf(c.path, 1, c.text);
  return {c, score};
}

TEST(ContextRetrieval, FillsTheBudgetBestFirstSkippingWhatDoesNotFit) {
  testing::TempDir dir;
  dir.write("a.cpp", "int a() { return 1; }\n");
  auto ws = tools::LocalWorkspace::open(dir.str());
  ASSERT_TRUE(ws.ok());
  FixedSearch search;
  search.result.ranking = "bm25";
  search.result.hits = {hitOf("big.cpp", 200, 3.0), hitOf("small.cpp", 3, 2.0), hitOf("other.cpp", 4, 1.0)};
  auto got = retrieveContext(**ws, search, "the task", {20000, 0.05, 4096});  // 1000 tokens
  EXPECT_EQ(search.last_query, "the task");
  EXPECT_EQ(got.budget, 1000);
  EXPECT_LE(got.tokens, got.budget);
  EXPECT_EQ(got.record.at("ranking"), "bm25");
  const auto& chunks = got.record.at("chunks").as_array();
  ASSERT_EQ(chunks.size(), 2u);  // the 200-line chunk does not fit
  EXPECT_EQ(chunks[0].at("path"), "small.cpp");
  EXPECT_EQ(chunks[1].at("path"), "other.cpp");
  EXPECT_NE(got.text.find("### small.cpp:1-3 (f)"), std::string::npos);
  EXPECT_EQ(got.text.find("big.cpp"), std::string::npos);
  EXPECT_NE(got.text.find("Repository map"), std::string::npos);
  // Too small a budget retrieves nothing.
  auto none = retrieveContext(**ws, search, "the task", {1000, 0.05, 4096});
  EXPECT_TRUE(none.text.empty());
  EXPECT_EQ(none.record.at("ranking"), "none");
}

TEST(ContextRetrieval, TheBudgetIsAShareOfTheWindowCapped) {
  EXPECT_EQ(retrievalTokens({128000, 0.05, 4096}), 4096);
  EXPECT_EQ(retrievalTokens({16000, 0.05, 4096}), 800);
  EXPECT_EQ(retrievalTokens({0, 0.01, 4096}), 1280);  // unknown window: 128000
  EXPECT_EQ(retrievalTokens({16000, 0.0, 4096}), 0);
}

TEST(SemanticSettingsTest, ReadsTheTableAndRefusesBadValues) {
  auto s = loadSemanticSettings(json::parse(R"({"semantic": {"embedding_model": "openai/text-embedding-3-small",
      "dimensions": 256, "context_share": 0.1, "context": false}})")
                                    .as_object());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->embedding_model, "openai/text-embedding-3-small");
  EXPECT_EQ(s->dimensions, 256);
  EXPECT_DOUBLE_EQ(s->context_share, 0.1);
  EXPECT_FALSE(s->context);
  EXPECT_TRUE(s->enabled);
  EXPECT_FALSE(loadSemanticSettings(json::parse(R"({"semantic": {"context_share": 0.9}})").as_object()).ok());
  EXPECT_FALSE(loadSemanticSettings(json::parse(R"({"semantic": {"batch": 0}})").as_object()).ok());
  EXPECT_FALSE(loadSemanticSettings(json::parse(R"({"semantic": {"enabled": "yes"}})").as_object()).ok());
}

TEST(RouterEmbedderTest, EmbedsThroughTheRouterRecordsTheCallAndReportsAFailure) {
  codecrew::testing::FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  llm::LlmConfig config;
  config.providers.push_back(llm::ProviderConfig{"openai", "openai", upstream.baseUrl() + "/v1", "sk-test-0123456789"});
  auto registry = llm::ProviderRegistry::fromConfig(config, std::make_shared<http::BeastHttpClient>(),
                                                    core::SystemClock::instance());
  auto clock = core::SystemClock::instance();
  auto sleeper = std::make_shared<llm::AsioSleeper>();
  auto recorder = std::make_shared<llm::MemoryCallRecorder>();
  llm::RouterDeps deps{registry, recorder, llm::Redactor::create(config.secrets()).value(),
                       clock,    sleeper,  std::make_shared<llm::RateScheduler>(clock, sleeper)};
  auto router = std::make_shared<llm::Router>(deps);
  SemanticSettings settings;
  settings.embedding_model = "openai/text-embedding-3-small";
  settings.dimensions = 8;
  auto factory = routerEmbedders(router, settings);
  ASSERT_TRUE(factory);
  llm::CallContext context;
  context.tenant_id = 7;
  context.execution_id = 42;
  auto embedder = factory(context);
  EXPECT_EQ(embedder->model(), "openai/text-embedding-3-small@8");
  auto vectors = embedder->embed({"alpha", "beta"});
  ASSERT_TRUE(vectors.ok()) << vectors.error().message;
  ASSERT_EQ(vectors->size(), 2u);
  EXPECT_EQ((*vectors)[0], codecrew::testing::fakeEmbedding("alpha", 8));
  EXPECT_EQ((*vectors)[1], codecrew::testing::fakeEmbedding("beta", 8));
  auto calls = recorder->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].tenant_id, 7);
  EXPECT_EQ(calls[0].execution_id, std::optional<core::Id>(42));
  codecrew::testing::FakeReply failure;
  failure.status = 400;
  upstream.enqueue(failure);
  auto failed = embedder->embed({"gamma"});
  EXPECT_FALSE(failed.ok());
  EXPECT_FALSE(routerEmbedders(router, SemanticSettings{}));  // no model: BM25 only
}

}  // namespace
}  // namespace codecrew::engine::test
