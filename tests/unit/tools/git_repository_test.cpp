#include "tools/git/git_repository.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

namespace codecrew::tools {
namespace {

namespace fs = std::filesystem;

const GitAuthor kAgent{"Coder Agent", "coder@codecrew.local"};

class GitRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto repo = GitRepository::openOrInit(dir_.str());
    ASSERT_TRUE(repo.ok()) << repo.error().message;
    repo_.emplace(std::move(repo.value()));
  }
  testing::TempDir dir_;
  std::optional<GitRepository> repo_;
};

TEST_F(GitRepositoryTest, CommitsOnBranchAndDiffsAgainstBase) {
  EXPECT_EQ(repo_->headCommit().error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(*repo_->currentBranch(), "main");
  EXPECT_EQ(repo_->commitAll(kAgent, "empty").error().code, core::ErrorCode::kFailedPrecondition);
  dir_.write("a.txt", "one\ntwo\n");
  dir_.write("old.txt", "a long enough file to be detected as a rename\nline two\nline three\n");
  dir_.write("gone.txt", "bye\n");
  auto base = repo_->commitAll(kAgent, "base");
  ASSERT_TRUE(base.ok()) << base.error().message;
  EXPECT_EQ(base->size(), 40u);
  EXPECT_EQ(*repo_->headCommit(), *base);

  ASSERT_TRUE(repo_->checkoutBranch("codecrew/exec-42").ok());
  EXPECT_EQ(*repo_->currentBranch(), "codecrew/exec-42");
  dir_.write("a.txt", "one\nTWO\n");
  dir_.write("new.txt", "fresh\n");
  fs::rename(dir_.path() / "old.txt", dir_.path() / "renamed.txt");
  fs::remove(dir_.path() / "gone.txt");

  auto changed = repo_->changedFilesSince(*base);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  std::map<std::string, std::string> kinds;
  for (const auto& f : *changed) kinds[f.path] = std::string(changeKindName(f.kind)) + ":" + f.oldPath;
  EXPECT_EQ(kinds, (std::map<std::string, std::string>{{"a.txt", "modified:a.txt"},
                                                       {"gone.txt", "deleted:gone.txt"},
                                                       {"new.txt", "added:new.txt"},
                                                       {"renamed.txt", "renamed:old.txt"}}));
  auto diff = repo_->diffAgainst(*base);
  ASSERT_TRUE(diff.ok());
  EXPECT_NE(diff->find("diff --git a/a.txt b/a.txt"), std::string::npos) << *diff;
  EXPECT_NE(diff->find("-two\n+TWO\n"), std::string::npos);
  EXPECT_NE(diff->find("rename from old.txt"), std::string::npos);
  EXPECT_NE(diff->find("+fresh"), std::string::npos);

  auto second = repo_->commitAll(kAgent, "agent work");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_NE(*second, *base);
  EXPECT_TRUE(repo_->status()->empty());
  EXPECT_EQ(repo_->commitAll(kAgent, "again").error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(repo_->changedFilesSince(*second)->empty());

  ASSERT_TRUE(repo_->checkoutBranch("main").ok());
  EXPECT_EQ(*repo_->headCommit(), *base);
  EXPECT_TRUE(fs::exists(dir_.path() / "gone.txt"));
  EXPECT_FALSE(fs::exists(dir_.path() / "new.txt"));
}

// What `git` runs, with its standard output, in the test's repository.
std::string gitOutput(const fs::path& dir, const std::string& args) {
  std::string command = "git -c safe.directory='*' -C '" + dir.string() + "' " + args + " 2>&1";
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

std::size_t filesUnder(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) ++n;
  return n;
}

// A commit's blobs, trees and commit go to disk as one pack (ObjectBatch),
// never as loose objects; git itself reads the history, finds every object
// and sees a clean tree, and the reflog names each commit.
TEST_F(GitRepositoryTest, CommitsAreWrittenAsOnePackEachThatGitReads) {
  dir_.write("a.txt", "one\n");
  dir_.write("docs/crew/plan.md", "the plan\n");
  auto base = repo_->commitAll(kAgent, "base");
  ASSERT_TRUE(base.ok()) << base.error().message;
  ASSERT_TRUE(repo_->checkoutBranch("codecrew/execution-7").ok());
  dir_.write("docs/crew/design.md", "the design\n");
  auto second = repo_->commitAll(kAgent, "design\n\nCodecrew-Step: x");
  ASSERT_TRUE(second.ok()) << second.error().message;

  const fs::path objects = dir_.path() / ".git" / "objects";
  std::size_t loose = 0;
  for (const auto& e : fs::directory_iterator(objects))
    if (e.is_directory() && e.path().filename() != "pack" && e.path().filename() != "info")
      loose += filesUnder(e.path());
  EXPECT_EQ(loose, 0u);
  std::size_t packs = 0;
  for (const auto& e : fs::directory_iterator(objects / "pack")) packs += e.path().extension() == ".pack";
  EXPECT_EQ(packs, 2u);

  EXPECT_EQ(gitOutput(dir_.path(), "rev-parse HEAD"), *second + "\n");
  EXPECT_EQ(gitOutput(dir_.path(), "rev-parse HEAD~1"), *base + "\n");
  EXPECT_EQ(gitOutput(dir_.path(), "symbolic-ref HEAD"), "refs/heads/codecrew/execution-7\n");
  EXPECT_EQ(gitOutput(dir_.path(), "fsck --full --no-dangling"), "");
  EXPECT_EQ(gitOutput(dir_.path(), "status --porcelain"), "");
  EXPECT_EQ(gitOutput(dir_.path(), "show HEAD:docs/crew/design.md"), "the design\n");
  EXPECT_NE(gitOutput(dir_.path(), "reflog").find("commit: design"), std::string::npos);
  EXPECT_TRUE(repo_->status()->empty());
}

// Nothing to commit writes nothing: no pack, the branch where it was.
TEST_F(GitRepositoryTest, NothingToCommitWritesNoPack) {
  dir_.write("a.txt", "one\n");
  auto base = repo_->commitAll(kAgent, "base");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(repo_->commitAll(kAgent, "again").error().code, core::ErrorCode::kFailedPrecondition);
  std::size_t packs = 0;
  for (const auto& e : fs::directory_iterator(dir_.path() / ".git" / "objects" / "pack"))
    packs += e.path().extension() == ".pack";
  EXPECT_EQ(packs, 1u);
  EXPECT_EQ(*repo_->headCommit(), *base);
}

TEST_F(GitRepositoryTest, StatusSeesUntrackedAndRespectsGitignore) {
  dir_.write(".gitignore", "*.log\n");
  dir_.write("keep.txt", "x\n");
  ASSERT_TRUE(repo_->commitAll(kAgent, "init").ok());
  dir_.write("debug.log", "noise\n");
  dir_.write("src/new.cpp", "int x;\n");
  auto status = repo_->status();
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->size(), 1u);
  EXPECT_EQ((*status)[0].path, "src/new.cpp");
  EXPECT_EQ((*status)[0].kind, ChangeKind::kUntracked);
}

TEST_F(GitRepositoryTest, RefusesBadInput) {
  EXPECT_EQ(repo_->checkoutBranch("bad..name").error().code, core::ErrorCode::kInvalidArgument);
  dir_.write("a.txt", "x");
  EXPECT_EQ(repo_->commitAll({"", ""}, "m").error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(repo_->diffAgainst("0123456789abcdef0123456789abcdef01234567").error().code, core::ErrorCode::kNotFound);
  testing::TempDir plain;
  EXPECT_EQ(GitRepository::open(plain.str()).error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::tools
