// Run as root, a workspace codecrew prepares is given to the sandbox's user
// (nobody), what LocalWorkspace writes in it later is too, and a command in
// the sandbox can then change both. As another user nothing changes hands.
#include "tools/sandbox/sandbox_owner.h"
#include "tools/sandbox/bubblewrap_sandbox.h"
#include "tools/workspace/local_workspace.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace codecrew::tools {
namespace {

namespace fs = std::filesystem;

uid_t ownerOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_uid;
}

void writeText(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

class SandboxOwnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A root reachable by nobody, as codecrew's data directory must be when run as root.
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    ws_ = dir_.path() / "ws";
    fs::create_directories(ws_ / "src");
    writeText(ws_ / "src" / "main.py", "print('hi')\n");
    writeText(dir_.path() / "outside.txt", "not the workspace's\n");
    fs::create_symlink(dir_.path() / "outside.txt", ws_ / "link");
  }

  testing::TempDir dir_;
  fs::path ws_;
};

TEST_F(SandboxOwnerTest, AsAnotherUserNothingChangesHands) {
  if (::geteuid() == 0) GTEST_SKIP() << "run as root: see the tests below";
  ASSERT_TRUE(giveToSandboxUser(ws_).ok());
  EXPECT_EQ(ownerOf(ws_ / "src" / "main.py"), ::geteuid());
}

TEST_F(SandboxOwnerTest, RunAsRootTheTreeBecomesNobodysWithoutFollowingLinks) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root gives files away";
  auto given = giveToSandboxUser(ws_);
  ASSERT_TRUE(given.ok()) << given.error().message;
  for (const auto& p : {ws_, ws_ / "src", ws_ / "src" / "main.py", ws_ / "link"})
    EXPECT_EQ(ownerOf(p), kSandboxNobody) << p;
  EXPECT_EQ(ownerOf(dir_.path() / "outside.txt"), 0u);  // the link's target is not the workspace's
}

TEST_F(SandboxOwnerTest, RunAsRootWhatTheWorkspaceWritesIsItsOwnersAndTheSandboxCanChangeIt) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root gives files away";
  ASSERT_TRUE(giveToSandboxUser(ws_).ok());
  auto ws = LocalWorkspace::open(ws_.string());
  ASSERT_TRUE(ws.ok());
  ASSERT_TRUE((*ws)->writeFile("pkg/new/mod.py", "x = 1\n").ok());
  ASSERT_TRUE((*ws)->writeFile("src/main.py", "print('edited')\n").ok());  // replaced by a rename
  for (const auto& p : {ws_ / "pkg", ws_ / "pkg" / "new", ws_ / "pkg" / "new" / "mod.py", ws_ / "src" / "main.py"})
    EXPECT_EQ(ownerOf(p), kSandboxNobody) << p;

  BubblewrapSandbox sandbox;
  if (auto probe = sandbox.probe(); !probe.ok())
    GTEST_SKIP() << "bubblewrap cannot run here: " << probe.error().message;
  // A build writing its outputs beside the agents' files, and changing one of them.
  SandboxCommand command{
      .argv = {"sh", "-c", "mkdir pkg/new/out && echo built > pkg/new/out/a.txt && echo '# more' >> src/main.py"},
      .workspaceRoot = ws_.string()};
  auto ran = sandbox.run(command);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  EXPECT_EQ(ran->exitCode, 0) << ran->stderrText;
  EXPECT_TRUE(fs::exists(ws_ / "pkg" / "new" / "out" / "a.txt"));
}

}  // namespace
}  // namespace codecrew::tools

namespace codecrew::tools {
namespace {

// A data directory only root can enter leaves the sandbox's user outside
// every workspace: found and named (with the chmod) before any command.
TEST(SandboxReach, ADirectoryOthersCannotSearchIsNamed) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root hands workspaces to the sandbox's user";
  codecrew::testing::TempDir dir;
  auto data = dir.path() / "data";
  std::filesystem::create_directories(data / "workspaces");
  EXPECT_TRUE(checkReachableBySandboxUser(data / "workspaces").ok());
  EXPECT_TRUE(checkReachableBySandboxUser(data / "workspaces" / "not-yet").ok()) << "made later by the server";
  std::filesystem::permissions(data, std::filesystem::perms::owner_all);
  auto refused = checkReachableBySandboxUser(data / "workspaces");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("chmod o+x " + data.string()), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace codecrew::tools
