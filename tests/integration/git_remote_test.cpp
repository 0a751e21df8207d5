// git against the fake host (tools/git/git_remote.h): the token works from
// the environment only (nothing in the clone's .git/config), a push never
// forces, and a change to .github/workflows/ without the workflow scope is
// refused with a message that names the permission.
#include "tools/git/git_remote.h"
#include "fake_github/fake_github.h"
#include "support/temp_dir.h"
#include "tools/git/git_repository.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace codecrew::testing {
namespace {
namespace fs = std::filesystem;

TEST(GitRemote, TokenStaysOutOfTheCloneAndPushesNeverForce) {
  FakeGitHub github;
  ASSERT_TRUE(github.start().ok());
  ASSERT_TRUE(github.createRepository("acme", "app", "trunk").ok());
  TempDir dir;
  const std::string token = github.options().token;
  tools::RemoteAccess remote{github.baseUrl() + "/acme/app", token};
  auto clone = tools::cloneRemote(remote, (fs::path(dir.str()) / "a").string(), "codecrew/x");
  ASSERT_TRUE(clone.ok()) << clone.error().message;
  EXPECT_EQ(clone->branch, "trunk");
  EXPECT_FALSE(clone->had_branch);
  std::ifstream config(fs::path(dir.str()) / "a" / ".git" / "config");
  std::string text((std::istreambuf_iterator<char>(config)), {});
  EXPECT_EQ(text.find(token), std::string::npos);
  EXPECT_EQ(text.find("extraHeader"), std::string::npos);
  auto anonymous = tools::cloneRemote({remote.url, ""}, (fs::path(dir.str()) / "b").string());
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.error().code, core::ErrorCode::kUnauthenticated) << anonymous.error().message;

  auto commit = [&](const std::string& repo, const std::string& path, const std::string& content) {
    fs::create_directories((fs::path(repo) / path).parent_path());
    std::ofstream(fs::path(repo) / path) << content;
    auto r = tools::GitRepository::open(repo);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->commitAll({"t", "t@example.com"}, "change " + path).ok());
  };
  const std::string a = (fs::path(dir.str()) / "a").string();
  commit(a, "one.txt", "1\n");
  ASSERT_TRUE(tools::pushHead(remote, a, "codecrew/x").ok());
  EXPECT_EQ(github.branchSha("acme", "app", "codecrew/x"), tools::GitRepository::open(a)->headCommit().value());
  // Another clone moves the branch elsewhere: a's next push is refused.
  auto c = tools::cloneRemote(remote, (fs::path(dir.str()) / "c").string(), "codecrew/x");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->had_branch);
  const std::string cdir = (fs::path(dir.str()) / "c").string();
  commit(cdir, "two.txt", "2\n");
  ASSERT_TRUE(tools::pushHead(remote, cdir, "codecrew/x").ok());
  commit(a, "three.txt", "3\n");
  auto refused = tools::pushHead(remote, a, "codecrew/x");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kFailedPrecondition) << refused.error().message;
  EXPECT_NE(refused.error().message.find("never force-pushes"), std::string::npos);

  github.setScopes({"repo"});
  commit(cdir, ".github/workflows/ci.yml", "on: push\n");
  auto scoped = tools::pushHead(remote, cdir, "codecrew/x");
  ASSERT_FALSE(scoped.ok());
  EXPECT_EQ(scoped.error().code, core::ErrorCode::kPermissionDenied) << scoped.error().message;
  EXPECT_NE(scoped.error().message.find("`workflow` scope"), std::string::npos) << scoped.error().message;
  EXPECT_EQ(scoped.error().message.find(token), std::string::npos);
}

}  // namespace
}  // namespace codecrew::testing
