#include "tools/tool_registry.h"
#include "app/tool_command.h"
#include "tools/sandbox/fake_sandbox.h"
#include "tools/semantic/semantic_search.h"

#include "fake_embedder.h"
#include "fixture_repo.h"

#include <boost/json.hpp>

#include <sstream>

namespace codecrew::tools {
namespace {

namespace json = boost::json;

class ToolRegistryTest : public FixtureRepoTest {
 protected:
  void SetUp() override {
    FixtureRepoTest::SetUp();
    contextStorage_.emplace(ToolContext{.workspace = *ws_, .sandbox = &sandbox_});
  }
  core::Result<json::value> call(std::string_view name, std::string_view args) {
    return registry_.invoke(name, json::parse(args), *contextStorage_);
  }
  std::string rule(const core::Result<json::value>& r) {
    if (r.ok() || !r.error().details.is_object()) return "";
    auto* v = r.error().details.as_object().if_contains("rule");
    return v ? std::string(v->as_string()) : "";
  }

  ToolRegistry registry_ = makeDefaultToolRegistry();
  FakeSandbox sandbox_;
  std::optional<ToolContext> contextStorage_;
};

TEST_F(ToolRegistryTest, OffersEveryBuiltinToolWithAnObjectSchema) {
  std::vector<std::string> names;
  for (const auto& spec : registry_.specs()) {
    names.push_back(spec.name);
    EXPECT_EQ(spec.parameters.at("type"), "object") << spec.name;
    EXPECT_FALSE(spec.description.empty());
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"apply_patch", "delete_file", "edit_file", "find_symbol", "git_commit",
                                      "git_diff", "git_status", "list_files", "move_file", "read_file", "repo_map",
                                      "run_command", "search_text", "semantic_search", "write_file"}));
}

TEST_F(ToolRegistryTest, RejectsArgumentsThatDoNotMatchTheSchema) {
  auto missing = call("read_file", "{}");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find("path"), std::string::npos) << missing.error().message;
  EXPECT_FALSE(call("read_file", R"({"path": 7})").ok());
  EXPECT_FALSE(call("read_file", R"({"path": "a", "extra": 1})").ok());
  EXPECT_FALSE(call("search_text", R"({"query": "x", "max_results": 0})").ok());
  EXPECT_FALSE(call("read_file", "[1]").ok());
  EXPECT_EQ(call("no_such_tool", "{}").error().code, core::ErrorCode::kNotFound);
}

TEST_F(ToolRegistryTest, FileToolsWorkAndRefuseEscapes) {
  ASSERT_TRUE(call("write_file", R"({"path": "notes/a.txt", "content": "one\ntwo\nthree\n"})").ok());
  auto read = call("read_file", R"({"path": "notes/a.txt", "start_line": 2, "end_line": 2})");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->at("content"), "two\n");
  EXPECT_EQ(read->at("total_lines"), 3);
  ASSERT_TRUE(call("move_file", R"({"from": "notes/a.txt", "to": "notes/b.txt"})").ok());
  auto listed = call("list_files", R"({"directory": "notes"})");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->at("entries").as_array().size(), 1u);
  ASSERT_TRUE(call("delete_file", R"({"path": "notes", "recursive": true})").ok());

  EXPECT_EQ(rule(call("read_file", R"({"path": "../../../etc/passwd"})")), "escapes_root");
  EXPECT_EQ(rule(call("write_file", R"({"path": "/etc/evil", "content": "x"})")), "absolute_path");
  EXPECT_EQ(rule(call("list_files", R"({"directory": ".."})")), "escapes_root");
  EXPECT_EQ(rule(call("move_file", R"({"from": "src/main.cpp", "to": "../x"})")), "escapes_root");
  EXPECT_EQ(rule(call("delete_file", R"({"path": "/", "recursive": true})")), "absolute_path");
  EXPECT_EQ(rule(call("read_file", R"({"path": "a\u0000b"})")), "nul_byte");
  EXPECT_EQ(rule(call("search_text", R"({"query": "x", "directory": "../"})")), "escapes_root");
}

TEST_F(ToolRegistryTest, SearchToolsReturnStructuredResults) {
  auto found = call("search_text", R"({"query": "TODO", "glob": "*.py"})");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->at("matches").as_array().size(), 1u);
  EXPECT_EQ(found->at("matches").at(0).at("path"), "scripts/report.py");
  auto symbol = call("find_symbol", R"({"name": "Canvas"})");
  ASSERT_TRUE(symbol.ok()) << symbol.error().message;
  EXPECT_EQ(symbol->at("definitions").at(0).at("path"), "src/render/canvas.cpp");
  EXPECT_EQ(symbol->at("references").as_array().size(), 2u);
  auto map = call("repo_map", R"({"token_budget": 200})");
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->at("files").at(0).at("path"), "src/geometry/vector.h");
  EXPECT_LE(map->at("tokens").to_number<std::size_t>(), 200u);
}

TEST_F(ToolRegistryTest, SemanticSearchRanksByBm25WithoutAnIndexAndByVectorsWithOne) {
  auto lexical = call("semantic_search", R"({"query": "draw the shapes on a canvas", "k": 3})");
  ASSERT_TRUE(lexical.ok()) << lexical.error().message;
  EXPECT_EQ(lexical->at("ranking"), "bm25");
  const auto& hits = lexical->at("results").as_array();
  ASSERT_FALSE(hits.empty());
  EXPECT_LE(hits.size(), 3u);
  for (const auto& key : {"path", "start_line", "end_line", "symbol", "kind", "language", "score", "text"})
    EXPECT_TRUE(hits[0].as_object().contains(key)) << key;
  auto onlyPy = call("semantic_search", R"({"query": "report total area", "paths": ["scripts/*"]})");
  ASSERT_TRUE(onlyPy.ok());
  for (const auto& h : onlyPy->at("results").as_array()) EXPECT_EQ(h.at("path"), "scripts/report.py");
  EXPECT_FALSE(call("semantic_search", R"({"query": "x", "k": 51})").ok());

  testing::TempDir data;
  auto embedder = std::make_shared<FakeEmbedder>();
  RepositorySearch search(std::make_shared<SemanticIndex>(data.path() / "repo", embedder->model()), embedder);
  ASSERT_TRUE(search.prepare(*ws_).ok());
  contextStorage_->semantic = &search;
  auto chunks = search.index().chunks();
  ASSERT_TRUE(chunks.ok());
  json::object args{{"query", chunks->front().text}, {"k", 2}};
  auto semantic = registry_.invoke("semantic_search", args, *contextStorage_);
  ASSERT_TRUE(semantic.ok());
  EXPECT_EQ(semantic->at("ranking"), "semantic");
  EXPECT_EQ(semantic->at("results").at(0).at("path").as_string(), chunks->front().path);
  EXPECT_EQ(semantic->at("results").at(0).at("start_line"), chunks->front().startLine);
}

TEST_F(ToolRegistryTest, RunCommandGoesThroughTheSandbox) {
  sandbox_.pushResult(SandboxResult{.exitCode = 0, .stdoutText = "built\n"});
  contextStorage_->limits.wallClock = std::chrono::milliseconds(60000);
  auto r = call("run_command", R"({"command": "make", "working_directory": "src", "timeout_seconds": 5})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->at("stdout"), "built\n");
  EXPECT_EQ(r->at("exit_code"), 0);
  ASSERT_EQ(sandbox_.commands().size(), 1u);
  const auto commands = sandbox_.commands();
  const auto& command = commands[0];
  EXPECT_EQ(command.argv, (std::vector<std::string>{"sh", "-c", "make"}));
  EXPECT_EQ(command.workspaceRoot, ws_->root());
  EXPECT_EQ(command.workingDirectory, "src");
  EXPECT_EQ(command.limits.wallClock, std::chrono::milliseconds(5000));
  EXPECT_FALSE(command.allowNetwork);
  contextStorage_->sandbox = nullptr;
  EXPECT_EQ(call("run_command", R"({"command": "ls"})").error().code, core::ErrorCode::kFailedPrecondition);
}

TEST_F(ToolRegistryTest, GitToolsCommitAndDiff) {
  EXPECT_EQ(call("git_status", "{}").error().code, core::ErrorCode::kNotFound);
  auto repo = GitRepository::openOrInit(ws_->root());
  ASSERT_TRUE(repo.ok());
  contextStorage_->author = {"Tester Agent", "tester@codecrew.local"};
  auto first = call("git_commit", R"({"message": "base"})");
  ASSERT_TRUE(first.ok()) << first.error().message;
  contextStorage_->baseCommit = std::string(first->at("commit").as_string());
  ASSERT_TRUE(call("write_file", R"({"path": "src/new.cpp", "content": "int n;\n"})").ok());
  auto status = call("git_status", "{}");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->at("files").at(0).at("change"), "untracked");
  auto diff = call("git_diff", "{}");
  ASSERT_TRUE(diff.ok());
  EXPECT_NE(diff->at("diff").as_string().find("+int n;"), json::string::npos);
  EXPECT_EQ(diff->at("files").at(0).at("change"), "added");
  ASSERT_TRUE(call("git_commit", R"({"message": "add n"})").ok());
  EXPECT_EQ(call("git_commit", R"({"message": "again"})").error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(call("git_commit", R"({"message": ""})").ok());
}

TEST_F(ToolRegistryTest, CommandLinePrintsJsonResultsAndErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(app::runToolCommand("read_file", ws_->root(), R"({"path": "src/main.cpp"})", out, err), 0);
  auto printed = json::parse(out.str());
  EXPECT_EQ(printed.at("path"), "src/main.cpp");
  std::ostringstream out2, err2;
  EXPECT_EQ(app::runToolCommand("read_file", ws_->root(), R"({"path": "../x"})", out2, err2), 1);
  EXPECT_EQ(json::parse(out2.str()).at("error").at("code"), "permission_denied");
  std::ostringstream out3, err3;
  EXPECT_EQ(app::runToolCommand("read_file", ws_->root(), "{not json", out3, err3), 2);
  EXPECT_NE(err3.str().find("not valid JSON"), std::string::npos);
  std::ostringstream out4, err4;
  EXPECT_EQ(app::runToolCommand("list", "", "", out4, err4), 0);
  EXPECT_EQ(json::parse(out4.str()).as_array().size(), 15u);
}

}  // namespace
}  // namespace codecrew::tools
