// The wordcount example end to end: `codecrew run` logic with the sdlc crew
// replaying the hand-written cassette, real tools and the bubblewrap sandbox.
// The produced repository's tests pass, the branch holds one
// commit per stage, and artifacts, code files, diffs, conversations and LLM
// calls are recorded.
#include "app/run_command.h"
#include "app/runtime.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"
#include "tools/sandbox/bubblewrap_sandbox.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace codecrew::app {
namespace {

const std::filesystem::path kExample =
    std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path() / "examples" / "wordcount";

TEST(ExampleTest, WordcountRunsThroughEveryStage) {
  tools::BubblewrapSandbox probe;
  if (!probe.probe().ok()) GTEST_SKIP() << "bubblewrap is not usable here";
  testing::TempDir dir;
  RunOptions o;
  o.goal = "A python3 command-line program wordcount.py that counts lines, words and characters, with unit tests";
  o.repo = (dir.path() / "repo").string();
  o.replay = (kExample / "wordcount.cassette.jsonl").string();
  o.data_dir = (dir.path() / "var").string();
  o.approve_all = true;
  std::istringstream in;
  std::ostringstream out, err;
  int code = runCrewCommand(o, in, out, err);
  ASSERT_EQ(code, 0) << out.str() << err.str();
  EXPECT_NE(out.str().find("== MONITOR"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("tool write_file ok"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("completed at DONE"), std::string::npos) << out.str();

  // The produced tree's tests pass (run directly: see the report on the
  // sandbox's --bind-fd failure inside this test process).
  std::string test_cmd = "cd " + o.repo + " && python3 -m unittest -q 2>/dev/null";
  EXPECT_EQ(std::system(test_cmd.c_str()), 0);

  auto store = store::openSqliteStore((dir.path() / "var" / "codecrew.db").string(), core::SystemClock::instance());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto tenant = (*store)->ensureTenant(kDevTenantName)->id;
  auto wf = (*store)->listWorkflows(tenant, {}).value().items.at(0);
  auto exec = (*store)->listExecutions(tenant, wf.id, {}).value().items.at(0);
  EXPECT_EQ(exec.status, store::RunStatus::kCompleted);
  EXPECT_EQ(exec.total_calls, 16);
  EXPECT_GT(exec.total_tokens, 16 * 600);
  EXPECT_EQ((*store)->listArtifacts(tenant, wf.id, exec.id, std::nullopt, {1, 50}).value().total, 7);
  EXPECT_EQ((*store)->listCodeFiles(tenant, wf.id, exec.id).value().size(), 3u);  // .gitignore, wordcount.py, tests
  EXPECT_EQ((*store)->listConversations(tenant, wf.id).value().size(), 9u);

  std::string log_cmd = "git -C " + o.repo + " log --format=%s > " + (dir.path() / "log.txt").string();
  ASSERT_EQ(std::system(log_cmd.c_str()), 0);
  std::ifstream log(dir.path() / "log.txt");
  std::vector<std::string> subjects;
  for (std::string line; std::getline(log, line);) subjects.push_back(line);
  ASSERT_EQ(subjects.size(), 8u);  // one per stage, and the initial import
  EXPECT_EQ(subjects.front(), "codecrew: MONITOR stage of execution " + std::to_string(exec.id));
  EXPECT_EQ(subjects.back(), "codecrew: initial import");
}

}  // namespace
}  // namespace codecrew::app
