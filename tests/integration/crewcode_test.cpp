// CrewCode over the real binary, offline: POST /generate through the
// hand-written codegen cassette, a session updated in diff mode through the
// update cassette (changed files and diff answered and stored back), and the
// refusals: bad paths, unknown sessions, another tenant's session, viewers.
#include "api_fixture.h"

#include <filesystem>

namespace codecrew::testing {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kExamples = fs::path(CODECREW_SOURCE_DIR) / "examples" / "crewcode";

const HeaderList kText = {{"Content-Type", "text/plain"}};

class GenerateTest : public ApiTest {
 protected:
  std::vector<std::string> serverArgs() const override {
    return {"--replay", (kExamples / "codegen.cassette.jsonl").string()};
  }
};

class SessionTest : public ApiTest {
 protected:
  std::vector<std::string> serverArgs() const override {
    return {"--replay", (kExamples / "update.cassette.jsonl").string()};
  }
  std::int64_t createSession(const std::string& key = "") {
    json::object files{{"greet.py", "def greet(name):\n    return f\"Hello, {name}!\"\n"},
                       {"TODO.txt", "add farewell\n"}};
    auto r = call("POST", "/sessions", json::serialize(json::object{{"name", "greeter"}, {"files", files}}), key);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("id").as_int64();
  }
};

std::map<std::string, std::string> filesByStatus(const json::value& answer) {
  std::map<std::string, std::string> out;
  for (const auto& f : answer.at("files").as_array())
    out[std::string(f.at("path").as_string())] = std::string(f.at("status").as_string());
  return out;
}

TEST_F(GenerateTest, GeneratesFencedFilesThroughTheCodegenCrew) {
  auto r = call("POST", "/generate", R"({"request": "A python slugify(text) function with unit tests"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = r.json();
  EXPECT_EQ(a.at("status").as_string(), "completed");
  EXPECT_EQ(a.at("crew").as_string(), "codegen");
  EXPECT_EQ(filesByStatus(a),
            (std::map<std::string, std::string>{{"slugify.py", "added"}, {"test_slugify.py", "added"}}));
  std::string md(a.at("markdown").as_string());
  EXPECT_EQ(md.rfind("```slugify.py\n", 0), 0u) << md;
  EXPECT_NE(md.find("def slugify(text):"), std::string::npos);
  EXPECT_NE(md.find("```test_slugify.py\n"), std::string::npos);
  EXPECT_NE(std::string(a.at("diff").as_string()).find("+++ b/slugify.py"), std::string::npos);
  const auto& usage = a.at("usage");
  EXPECT_EQ(usage.at("calls").as_int64(), 5);  // planner + two writer tasks of two turns each
  EXPECT_EQ(usage.at("prompt_tokens").as_int64(), 2500);
  EXPECT_EQ(usage.at("total_tokens").as_int64(),
            usage.at("prompt_tokens").as_int64() + usage.at("completion_tokens").as_int64());

  // Stateless: the workspace is gone; the execution stays visible with its totals.
  auto wf = a.at("workflow_id").as_int64(), e = a.at("execution_id").as_int64();
  EXPECT_FALSE(
      fs::exists(dir_.path() / "workspaces" / ("t" + std::to_string(tenantId("acme"))) / ("e" + std::to_string(e))));
  auto x = call("GET", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e));
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_EQ(x.json().at("status").as_string(), "completed");
  EXPECT_EQ(x.json().at("total_calls").as_int64(), 5);
}

TEST_F(GenerateTest, RefusesBadRequests) {
  EXPECT_EQ(call("POST", "/generate", R"({"request": ""})").status, 400);
  EXPECT_EQ(call("POST", "/generate", R"({"prompt": "x"})").status, 400);
  EXPECT_EQ(call("POST", "/generate", R"({"request": "x"})", viewer_key_).status, 403);
  EXPECT_EQ(call("POST", "/generate", R"({"request": "x"})", "none").status, 401);
}

TEST_F(SessionTest, UpdateAnswersChangedFilesAndDiffAndStoresThemBack) {
  auto id = createSession();
  std::string base = "/sessions/" + std::to_string(id);
  auto put = call("PUT", base + "/files/docs/readme.md", "# Greeter\n", "", kText);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json().at("session").at("file_count").as_int64(), 3);

  auto r = call("POST", base + "/update", R"({"requirement": "Add farewell(name) beside greet"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = r.json();
  EXPECT_EQ(a.at("session_id").as_int64(), id);
  EXPECT_EQ(filesByStatus(a), (std::map<std::string, std::string>{{"TODO.txt", "deleted"},
                                                                  {"greet.py", "modified"},
                                                                  {"test_greet.py", "added"}}));
  std::string diff(a.at("diff").as_string());
  EXPECT_NE(diff.find("--- a/greet.py\n+++ b/greet.py\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+def farewell(name):\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("deleted file mode"), std::string::npos) << diff;
  EXPECT_EQ(diff.find("docs/crew/"), std::string::npos) << "the crew's notes are not the user's files";
  EXPECT_EQ(a.at("usage").at("calls").as_int64(), 8);

  auto s = call("GET", base);
  ASSERT_EQ(s.status, 200) << s.body;
  auto session = s.json();
  std::vector<std::string> paths;
  for (const auto& f : session.at("files").as_array()) paths.emplace_back(f.at("path").as_string());
  EXPECT_EQ(paths, (std::vector<std::string>{"docs/readme.md", "greet.py", "test_greet.py"}));
  EXPECT_EQ(session.at("workflow_id").as_int64(), a.at("workflow_id").as_int64());
  auto greet = call("GET", base + "/files/greet.py");
  ASSERT_EQ(greet.status, 200);
  EXPECT_NE(greet.body.find("def farewell(name):"), std::string::npos) << greet.body;
  EXPECT_EQ(call("GET", base + "/files/TODO.txt").status, 404);
}

TEST_F(SessionTest, RefusesBadPathsUnknownSessionsAndOtherTenants) {
  auto id = createSession();
  std::string base = "/sessions/" + std::to_string(id);
  for (const char* bad : {"/files/%2E%2E/escape.txt", "/files/a/%2E%2E/%2E%2E/escape.txt", "/files/%2Fetc%2Fpasswd",
                          "/files/.git/config", "/files/a%5Cb"}) {
    auto r = call("PUT", base + bad, "x", "", kText);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(r.json().at("error").at("code").as_string(), "invalid_argument") << r.body;
  }
  auto bad_create = call("POST", "/sessions", R"({"files": {"../up.py": "x"}})");
  EXPECT_EQ(bad_create.status, 400) << bad_create.body;
  EXPECT_EQ(call("POST", "/sessions", R"({"files": {"a.py": 7}})").status, 400);
  EXPECT_EQ(call("POST", base + "/update", R"({})").status, 400);
  EXPECT_EQ(call("GET", base + "/files/nope.py").status, 404);

  EXPECT_EQ(call("GET", "/sessions/999").status, 404);
  EXPECT_EQ(call("PUT", "/sessions/999/files/a.py", "x", "", kText).status, 404);
  EXPECT_EQ(call("POST", "/sessions/999/update", R"({"requirement": "x"})").status, 404);

  EXPECT_EQ(call("GET", base, "", other_key_).status, 404);
  EXPECT_EQ(call("GET", base + "/files/greet.py", "", other_key_).status, 404);
  EXPECT_EQ(call("PUT", base + "/files/a.py", "x", other_key_, kText).status, 404);
  EXPECT_EQ(call("POST", base + "/update", R"({"requirement": "x"})", other_key_).status, 404);

  EXPECT_EQ(call("GET", base, "", viewer_key_).status, 200);
  EXPECT_EQ(call("PUT", base + "/files/a.py", "x", viewer_key_, kText).status, 403);
  auto files = call("GET", base).json().at("files").as_array();
  EXPECT_EQ(files.size(), 2u) << "nothing refused was stored";
}

TEST_F(SessionTest, AnEmptySessionHasNothingToUpdate) {
  auto r = call("POST", "/sessions", "");
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json().at("id").as_int64();
  auto u = call("POST", "/sessions/" + std::to_string(id) + "/update", R"({"requirement": "x"})");
  EXPECT_EQ(u.status, 409) << u.body;
}

}  // namespace
}  // namespace codecrew::testing
