#include "app/tool_command.h"
#include "tools/sandbox/fake_sandbox.h"
#include "tools/tool_registry.h"
#include "tools/workspace/local_workspace.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace codecrew::tools {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// The workspace is a sub-folder of the temp dir, so a path that escapes it
// ("../outside.txt") would still land somewhere the test can look.
class EditToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root());
    auto ws = LocalWorkspace::open(root().string());
    ASSERT_TRUE(ws.ok());
    ws_ = std::move(ws.value());
    context_.emplace(ToolContext{.workspace = *ws_, .sandbox = &sandbox_});
  }

  fs::path root() const { return dir_.path() / "ws"; }
  void put(const std::string& path, const std::string& content) { dir_.write("ws/" + path, content); }
  std::string get(const std::string& path) const {
    std::ifstream in(root() / path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  bool exists(const std::string& path) const { return fs::exists(root() / path); }

  core::Result<json::value> call(std::string_view tool, std::string_view key, const std::string& text) {
    return registry_.invoke(tool, json::object{{key, text}}, *context_);
  }
  core::Result<json::value> patch(const std::string& text) { return call("apply_patch", "patch", text); }
  core::Result<json::value> edit(const std::string& text) { return call("edit_file", "blocks", text); }

  static std::string detail(const core::Result<json::value>& r, std::string_view key) {
    if (r.ok() || !r.error().details.is_object()) return "";
    const auto* v = r.error().details.as_object().if_contains(key);
    if (!v) return "";
    return v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
  }

  testing::TempDir dir_;
  std::unique_ptr<LocalWorkspace> ws_;
  FakeSandbox sandbox_;
  ToolRegistry registry_ = makeDefaultToolRegistry();
  std::optional<ToolContext> context_;
};

const std::string kTen = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n";

TEST_F(EditToolsTest, BothToolsAreRegisteredWithStringArguments) {
  const Tool* applyPatch = registry_.find("apply_patch");
  const Tool* editFile = registry_.find("edit_file");
  ASSERT_NE(applyPatch, nullptr);
  ASSERT_NE(editFile, nullptr);
  EXPECT_EQ(applyPatch->spec().parameters.at("properties").at("patch").at("type"), "string");
  EXPECT_EQ(editFile->spec().parameters.at("properties").at("blocks").at("type"), "string");
  const auto& blocksHelp = editFile->spec().parameters.at("properties").at("blocks").at("description").as_string();
  EXPECT_NE(std::string_view(blocksHelp).find("<<<<<<< SEARCH"), std::string_view::npos);
  EXPECT_FALSE(registry_.invoke("apply_patch", json::object{}, *context_).ok());
  EXPECT_FALSE(registry_.invoke("edit_file", json::object{{"blocks", 3}}, *context_).ok());
}

TEST_F(EditToolsTest, MultiFilePatchCreatesModifiesAndDeletes) {
  put("src/a.txt", kTen);
  put("old.txt", "bye\n");
  auto r = patch(
      "diff --git a/src/a.txt b/src/a.txt\n"
      "--- a/src/a.txt\n+++ b/src/a.txt\n"
      "@@ -2,3 +2,3 @@\n two\n-three\n+THREE\n four\n"
      "@@ -8,3 +8,4 @@\n eight\n nine\n ten\n+eleven\n"
      "--- /dev/null\n+++ b/docs/new.md\n@@ -0,0 +1,2 @@\n+# New\n+text\n"
      "--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(get("src/a.txt"), "one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\n");
  EXPECT_EQ(get("docs/new.md"), "# New\ntext\n");
  EXPECT_FALSE(exists("old.txt"));

  const auto& files = r->at("files").as_array();
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].at("path"), "src/a.txt");
  EXPECT_EQ(files[0].at("action"), "modified");
  ASSERT_EQ(files[0].at("hunks").as_array().size(), 2u);
  EXPECT_EQ(files[0].at("hunks").at(1).at("line"), 8);
  EXPECT_EQ(files[0].at("hunks").at(1).at("offset"), 0);
  EXPECT_EQ(files[1].at("path"), "docs/new.md");
  EXPECT_EQ(files[1].at("action"), "created");
  EXPECT_EQ(files[2].at("path"), "old.txt");
  EXPECT_EQ(files[2].at("action"), "deleted");
  EXPECT_EQ(r->at("summary"), "3 files: 1 created, 1 modified, 1 deleted");
}

TEST_F(EditToolsTest, PatchToleratesShiftedLinesAndWhitespaceInContext) {
  put("a.txt", "added\nlines\nabove\none\ntwo\n  three\nfour\nfive\n");
  auto r = patch("--- a/a.txt\n+++ b/a.txt\n@@ -2,3 +2,3 @@\n two\n-  three\n+3\n four  \n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(get("a.txt"), "added\nlines\nabove\none\ntwo\n3\nfour\nfive\n");
  const auto& hunk = r->at("files").at(0).at("hunks").at(0);
  EXPECT_EQ(hunk.at("line"), 5);
  EXPECT_EQ(hunk.at("offset"), 3);
  EXPECT_EQ(hunk.at("whitespace_fuzz"), true);
}

TEST_F(EditToolsTest, PatchRenamesAFile) {
  put("lib/old_name.txt", kTen);
  auto r = patch(
      "diff --git a/lib/old_name.txt b/lib/new_name.txt\n"
      "similarity index 90%\nrename from lib/old_name.txt\nrename to lib/new_name.txt\n"
      "--- a/lib/old_name.txt\n+++ b/lib/new_name.txt\n@@ -1,2 +1,2 @@\n-one\n+ONE\n two\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(exists("lib/old_name.txt"));
  EXPECT_EQ(get("lib/new_name.txt"), "ONE" + kTen.substr(3));
  const auto& files = r->at("files").as_array();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].at("action"), "deleted");
  EXPECT_EQ(files[1].at("action"), "created");
  EXPECT_EQ(files[1].at("renamed_from"), "lib/old_name.txt");
}

TEST_F(EditToolsTest, FailingHunkLeavesEveryFileUntouchedAndNamesTheHunk) {
  put("a.txt", kTen);
  put("b.txt", kTen);
  auto r = patch(
      "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n-one\n+ONE\n two\n"
      "--- /dev/null\n+++ b/c.txt\n@@ -0,0 +1 @@\n+new\n"
      "--- a/b.txt\n+++ b/b.txt\n@@ -1,2 +1,2 @@\n-one\n+ONE\n two\n"
      "@@ -6,3 +6,3 @@\n six\n-SEVEN point five\n+7\n eight\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("b.txt"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("hunk #2"), std::string::npos) << r.error().message;
  EXPECT_EQ(detail(r, "file"), "b.txt");
  EXPECT_EQ(detail(r, "hunk"), "2");
  const auto& nearest = r.error().details.at("nearest").as_array();
  ASSERT_FALSE(nearest.empty());
  EXPECT_EQ(nearest.at(0).at("line"), 6);
  EXPECT_EQ(get("a.txt"), kTen);
  EXPECT_EQ(get("b.txt"), kTen);
  EXPECT_FALSE(exists("c.txt"));
}

TEST_F(EditToolsTest, PatchPathsOutsideTheWorkspaceAreRefusedAndNothingIsWritten) {
  put("a.txt", kTen);
  const std::string modifyA = "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+ONE\n";
  auto up = patch(modifyA + "--- /dev/null\n+++ b/../outside.txt\n@@ -0,0 +1 @@\n+escaped\n");
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(detail(up, "rule"), "escapes_root") << up.error().message;
  EXPECT_FALSE(fs::exists(dir_.path() / "outside.txt"));

  const std::string absolute = (dir_.path() / "absolute.txt").string();
  auto abs = patch(modifyA + "--- /dev/null\n+++ " + absolute + "\n@@ -0,0 +1 @@\n+escaped\n");
  ASSERT_FALSE(abs.ok());
  EXPECT_EQ(detail(abs, "rule"), "absolute_path") << abs.error().message;
  EXPECT_FALSE(fs::exists(absolute));

  auto git = patch(modifyA + "--- /dev/null\n+++ b/.git/hooks/pre-commit\n@@ -0,0 +1 @@\n+evil\n");
  ASSERT_FALSE(git.ok());
  EXPECT_EQ(detail(git, "rule"), "protected_git_dir") << git.error().message;
  EXPECT_FALSE(exists(".git"));
  EXPECT_EQ(get("a.txt"), kTen);
}

TEST_F(EditToolsTest, PatchThroughAnEscapingSymlinkIsRefused) {
  dir_.write("secret.txt", "one\n");
  fs::create_directory_symlink(dir_.path(), root() / "up");
  auto r = patch("--- a/up/secret.txt\n+++ b/up/secret.txt\n@@ -1 +1 @@\n-one\n+pwned\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().code, core::ErrorCode::kFailedPrecondition) << r.error().message;
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied) << r.error().message;
  std::ifstream in(dir_.path() / "secret.txt");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "one");
}

TEST_F(EditToolsTest, AFailedWriteRestoresTheFilesAlreadyWritten) {
  put("a.txt", kTen);
  put("target.txt", "one\n");
  fs::create_symlink("target.txt", root() / "link.txt");  // readable, but the workspace refuses to write it
  auto r = patch(
      "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+ONE\n"
      "--- a/link.txt\n+++ b/link.txt\n@@ -1 +1 @@\n-one\n+ONE\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(detail(r, "rule"), "symlink_target") << r.error().message;
  EXPECT_EQ(detail(r, "rolled_back"), "true");
  EXPECT_EQ(get("a.txt"), kTen);
  EXPECT_EQ(get("target.txt"), "one\n");
}

TEST_F(EditToolsTest, PatchWithoutFileSectionsIsAnInvalidArgument) {
  auto r = patch("just some prose, no diff here\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  auto malformed = patch("--- a/a.txt\n+++ b/a.txt\n@@ -x +y @@\n-one\n");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(EditToolsTest, SearchReplaceEditsSeveralFiles) {
  put("src/app.py", "def main():\n    print('hi')\n    return 0\n");
  put("README.md", "# App\n");
  auto r = edit(
      "src/app.py\n```python\n<<<<<<< SEARCH\n    print('hi')\n=======\n    print('hello')\n>>>>>>> REPLACE\n```\n"
      "<<<<<<< SEARCH\n    return 0\n=======\n    return 1\n>>>>>>> REPLACE\n"
      "README.md\n<<<<<<< SEARCH\n=======\nMore text.\n>>>>>>> REPLACE\n"
      "notes/todo.txt\n<<<<<<< SEARCH\n=======\n- write tests\n>>>>>>> REPLACE\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(get("src/app.py"), "def main():\n    print('hello')\n    return 1\n");
  EXPECT_EQ(get("README.md"), "# App\nMore text.\n");
  EXPECT_EQ(get("notes/todo.txt"), "- write tests\n");
  const auto& files = r->at("files").as_array();
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].at("action"), "modified");
  EXPECT_EQ(files[0].at("blocks"), (json::array{1, 2}));
  EXPECT_EQ(files[1].at("blocks"), (json::array{3}));
  EXPECT_EQ(files[2].at("action"), "created");
}

TEST_F(EditToolsTest, SearchThatMatchesNowhereNamesTheBlockAndTheNearestLinesAndWritesNothing) {
  put("a.py", "x = 1\n");
  put("b.py", "def f():\n    total = 0\n    for v in values:\n        total += v\n    return total\n");
  auto r = edit(
      "a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n"
      "b.py\n<<<<<<< SEARCH\n    for value in values:\n        total += value\n=======\n    total = sum(values)\n"
      ">>>>>>> REPLACE\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(detail(r, "file"), "b.py");
  EXPECT_EQ(detail(r, "block"), "2");
  const auto& nearest = r.error().details.at("nearest").as_array();
  ASSERT_FALSE(nearest.empty());
  EXPECT_EQ(nearest.at(0).at("line"), 3);
  EXPECT_EQ(get("a.py"), "x = 1\n");
}

TEST_F(EditToolsTest, SearchThatMatchesTwiceIsAmbiguous) {
  put("a.txt", "begin\nvalue = 0\nmiddle\nvalue = 0\nend\n");
  auto r = edit("a.txt\n<<<<<<< SEARCH\nvalue = 0\n=======\nvalue = 1\n>>>>>>> REPLACE\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(detail(r, "matches"), "[2,4]");
  EXPECT_EQ(get("a.txt"), "begin\nvalue = 0\nmiddle\nvalue = 0\nend\n");
}

TEST_F(EditToolsTest, SearchReplaceOutsideTheWorkspaceIsRefused) {
  auto r = edit("../outside.txt\n<<<<<<< SEARCH\n=======\nescaped\n>>>>>>> REPLACE\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(detail(r, "rule"), "escapes_root") << r.error().message;
  EXPECT_FALSE(fs::exists(dir_.path() / "outside.txt"));
  auto none = edit("no blocks at all\n");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(EditToolsTest, CommandLineAppliesAPatch) {
  put("a.txt", kTen);
  const json::object args{{"patch", "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+ONE\n"}};
  std::ostringstream out, err;
  ASSERT_EQ(app::runToolCommand("apply_patch", root().string(), json::serialize(args), out, err), 0) << err.str();
  EXPECT_EQ(json::parse(out.str()).at("files").at(0).at("action"), "modified");
  EXPECT_EQ(get("a.txt").substr(0, 4), "ONE\n");

  std::ostringstream out2, err2;
  ASSERT_EQ(app::runToolCommand("apply_patch", root().string(), json::serialize(args), out2, err2), 1);
  const auto failure = json::parse(out2.str());
  EXPECT_EQ(failure.at("error").at("code"), "failed_precondition");
  EXPECT_EQ(failure.at("error").at("details").at("hunk"), 1);
}

}  // namespace
}  // namespace codecrew::tools
