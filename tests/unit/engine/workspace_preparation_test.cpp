// Preparing an execution's workspace is idempotent and safe after a crash:
// a server workspace is cloned whole or not at all (a half-made clone is
// made again), a prepared one is kept as it is, git locks a killed process
// left are removed from server workspaces only, and a user's directory
// (`codecrew run`) is used in place.
#include "engine/workspace_preparation.h"
#include "tools/git/git_repository.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace codecrew::engine {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

class WorkspacePreparationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = dir_.path() / "source";
    auto repo = tools::GitRepository::openOrInit(source_.string());
    ASSERT_TRUE(repo.ok()) << repo.error().message;
    write(source_ / "README.md", "hello\n");
    ASSERT_TRUE(repo->commitAll({"t", "t@example.com"}, "first").ok());
    root_ = dir_.path() / "workspaces";
    ws_ = root_ / "t1" / "e1";
  }
  core::Status prepare() { return prepareWorkspace({ws_, source_.string(), root_}); }

  codecrew::testing::TempDir dir_;
  fs::path source_, root_, ws_;
};

TEST_F(WorkspacePreparationTest, ClonesOnceAndKeepsWhatIsThere) {
  ASSERT_TRUE(prepare().ok());
  EXPECT_TRUE(fs::exists(ws_ / ".git"));
  EXPECT_TRUE(fs::exists(ws_ / "README.md"));
  write(ws_ / "work.txt", "in progress\n");
  ASSERT_TRUE(prepare().ok());
  EXPECT_TRUE(fs::exists(ws_ / "work.txt")) << "a prepared workspace is never cloned over";
}

TEST_F(WorkspacePreparationTest, AHalfMadeCloneIsMadeAgain) {
  // What a kill -9 in the middle of a clone leaves: the partial clone, and
  // a workspace directory without its .git.
  write(fs::path(ws_.string() + ".partial") / "junk", "x");
  write(ws_ / "stray", "x");
  ASSERT_TRUE(prepare().ok());
  EXPECT_TRUE(fs::exists(ws_ / "README.md"));
  EXPECT_FALSE(fs::exists(ws_ / "stray"));
  EXPECT_FALSE(fs::exists(ws_.string() + ".partial"));
  EXPECT_TRUE(tools::GitRepository::open(ws_.string())->headCommit().ok());
}

TEST_F(WorkspacePreparationTest, StaleGitLocksAreRemovedFromServerWorkspaces) {
  ASSERT_TRUE(prepare().ok());
  write(ws_ / ".git" / "refs" / "heads" / "main.lock", "");
  write(ws_ / ".git" / "index.lock", "");
  ASSERT_TRUE(prepare().ok());
  EXPECT_FALSE(fs::exists(ws_ / ".git" / "refs" / "heads" / "main.lock"));
  EXPECT_FALSE(fs::exists(ws_ / ".git" / "index.lock"));
  auto repo = tools::GitRepository::open(ws_.string());
  ASSERT_TRUE(repo.ok());
  EXPECT_TRUE(repo->checkoutBranch("codecrew/execution-1", *repo->headCommit()).ok());
}

TEST_F(WorkspacePreparationTest, AUsersDirectoryIsUsedInPlace) {
  // `codecrew run --repo DIR`: the workspace is the repository itself.
  write(source_ / ".git" / "index.lock", "");
  ASSERT_TRUE(prepareWorkspace({source_, source_.string(), root_}).ok());
  EXPECT_TRUE(fs::exists(source_ / ".git" / "index.lock")) << "a user's locks are the user's";
  fs::path fresh = dir_.path() / "fresh";
  ASSERT_TRUE(prepareWorkspace({fresh, fresh.string(), root_}).ok());
  EXPECT_TRUE(fs::exists(fresh / ".git"));
}

TEST_F(WorkspacePreparationTest, OnlyPathsUnderTheRootAreTheServers) {
  EXPECT_TRUE(isUnder(root_ / "t1" / "e1", root_));
  EXPECT_FALSE(isUnder(root_, root_));
  EXPECT_FALSE(isUnder(root_ / ".." / "elsewhere", root_));
  EXPECT_FALSE(isUnder(dir_.path() / "workspaces-other" / "x", root_));
  EXPECT_FALSE(isUnder(root_ / "x", ""));
}

}  // namespace
}  // namespace codecrew::engine
