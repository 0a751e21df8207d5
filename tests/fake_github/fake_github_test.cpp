// The fake GitHub's git side, driven by the git CLI: a clone needs the
// token (sent as http.extraHeader, never in the URL); a pushed branch lands
// in the bare repository; a non-fast-forward push is refused; a push
// touching .github/workflows/ without the workflow scope is refused with
// GitHub's words; a large clone (its request gzip-compressed by git) is served.
#include "test_workdir.h"

#include <gtest/gtest.h>

namespace codecrew::testing {
namespace {

class FakeGitHubGitTest : public ::testing::Test {
 protected:
  void start(FakeGitHubOptions options = {}) {
    hub_ = std::make_unique<FakeGitHub>(std::move(options));
    auto st = hub_->start();
    ASSERT_TRUE(st.ok()) << st.error().message;
    auto made = hub_->createRepository("octo-org", "widgets", "main",
                                       {{"README.md", "# widgets\n"},
                                        {"src/counter.py", "def count(x):\n  return 0\n"}});
    ASSERT_TRUE(made.ok()) << made.error().message;
  }
  void SetUp() override { start(); }

  std::unique_ptr<FakeGitHub> hub_;
};

TEST_F(FakeGitHubGitTest, ACloneWithTheTokenWorksAndWithoutItFails) {
  TestWorkdir ok(*hub_, hub_->options().token);
  auto cloned = ok.clone("octo-org", "widgets");
  ASSERT_TRUE(cloned.ok()) << cloned.err;
  EXPECT_EQ(ok.head(), *hub_->branchSha("octo-org", "widgets", "main"));
  EXPECT_EQ(*hub_->fileAt("octo-org", "widgets", "main", "README.md"), "# widgets\n");

  TestWorkdir none(*hub_, "");
  auto refused = none.clone("octo-org", "widgets");
  EXPECT_FALSE(refused.ok());
  TestWorkdir wrong(*hub_, "ghp_not_the_token");
  auto wrong_token = wrong.clone("octo-org", "widgets");
  EXPECT_FALSE(wrong_token.ok());
  // git asks for other credentials after the 401, and may not prompt.
  EXPECT_NE(wrong_token.err.find("terminal prompts disabled"), std::string::npos) << wrong_token.err;

  int unauthenticated = 0;
  for (const auto& r : hub_->requests()) {
    EXPECT_EQ(r.kind, "git");
    if (r.header("Authorization") != FakeGitHub::basicAuthorization(hub_->options().token)) {
      EXPECT_EQ(r.path, "/octo-org/widgets.git/info/refs") << "refused at the first request";
      ++unauthenticated;
    }
  }
  EXPECT_EQ(unauthenticated, 2);
}

TEST_F(FakeGitHubGitTest, AnUnknownRepositoryIsNotFound) {
  TestWorkdir w(*hub_, hub_->options().token);
  auto r = w.clone("octo-org", "nope");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
}

TEST_F(FakeGitHubGitTest, APushedBranchLandsInTheBareRepository) {
  TestWorkdir w(*hub_, hub_->options().token);
  ASSERT_TRUE(w.clone("octo-org", "widgets").ok());
  ASSERT_TRUE(w.git({"checkout", "--quiet", "-b", "codecrew/wf-1"}).ok());
  auto sha = w.commit("src/counter.py", "def count(x):\n  return len(x)\n", "count them");
  auto pushed = w.git({"push", "--quiet", "origin", "codecrew/wf-1"});
  ASSERT_TRUE(pushed.ok()) << pushed.err;
  EXPECT_EQ(hub_->branchSha("octo-org", "widgets", "codecrew/wf-1"), sha);
  EXPECT_EQ(*hub_->fileAt("octo-org", "widgets", "codecrew/wf-1", "src/counter.py"),
            "def count(x):\n  return len(x)\n");
  EXPECT_FALSE(hub_->branchSha("octo-org", "widgets", "missing").has_value());
  // A fast-forward of it is accepted too.
  auto next = w.commit("NOTES.md", "more\n", "notes");
  ASSERT_TRUE(w.git({"push", "--quiet", "origin", "codecrew/wf-1"}).ok());
  EXPECT_EQ(hub_->branchSha("octo-org", "widgets", "codecrew/wf-1"), next);
}

TEST_F(FakeGitHubGitTest, ANonFastForwardPushIsRefused) {
  TestWorkdir w(*hub_, hub_->options().token);
  ASSERT_TRUE(w.clone("octo-org", "widgets").ok());
  w.commit("a.txt", "one\n", "one");
  ASSERT_TRUE(w.git({"push", "--quiet", "origin", "main"}).ok());
  const auto published = *hub_->branchSha("octo-org", "widgets", "main");
  w.write("a.txt", "rewritten\n");
  ASSERT_TRUE(w.git({"commit", "--quiet", "-a", "--amend", "-m", "rewritten"}).ok());
  auto forced = w.git({"push", "--force", "origin", "main"});
  EXPECT_FALSE(forced.ok());
  EXPECT_NE(forced.err.find("non-fast-forward"), std::string::npos) << forced.err;
  EXPECT_EQ(*hub_->branchSha("octo-org", "widgets", "main"), published);
}

constexpr const char* kWorkflowRefusal =
    "refusing to allow an OAuth App to create or update workflow `.github/workflows/ci.yml` without `workflow` scope";

TEST_F(FakeGitHubGitTest, AWorkflowChangeWithoutTheWorkflowScopeIsRefused) {
  start({.scopes = {"repo"}});
  TestWorkdir w(*hub_, hub_->options().token);
  ASSERT_TRUE(w.clone("octo-org", "widgets").ok());
  ASSERT_TRUE(w.git({"checkout", "--quiet", "-b", "ci"}).ok());
  w.commit(".github/workflows/ci.yml", "on: push\n", "add ci");
  auto refused = w.git({"push", "origin", "ci"});
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find(kWorkflowRefusal), std::string::npos) << refused.err;
  EXPECT_FALSE(hub_->branchSha("octo-org", "widgets", "ci").has_value());

  hub_->setScopes({"repo", "workflow"});
  auto accepted = w.git({"push", "--quiet", "origin", "ci"});
  EXPECT_TRUE(accepted.ok()) << accepted.err;
  EXPECT_EQ(hub_->branchSha("octo-org", "widgets", "ci"), w.head());
}

TEST_F(FakeGitHubGitTest, ABranchOfARepositoryThatHasWorkflowsNeedsNoScopeIfItLeavesThemAlone) {
  hub_ = std::make_unique<FakeGitHub>(FakeGitHubOptions{.scopes = {"repo"}});
  ASSERT_TRUE(hub_->start().ok());
  ASSERT_TRUE(hub_->createRepository("octo-org", "widgets", "main", {{".github/workflows/ci.yml", "on: push\n"}}).ok());
  TestWorkdir w(*hub_, hub_->options().token);
  ASSERT_TRUE(w.clone("octo-org", "widgets").ok());
  ASSERT_TRUE(w.git({"checkout", "--quiet", "-b", "feature"}).ok());
  w.commit("src/app.py", "print('hi')\n", "app");
  auto pushed = w.git({"push", "--quiet", "origin", "feature"});
  EXPECT_TRUE(pushed.ok()) << pushed.err;
  w.commit(".github/workflows/ci.yml", "on: [push, pull_request]\n", "change ci");
  auto refused = w.git({"push", "origin", "feature"});
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find(kWorkflowRefusal), std::string::npos) << refused.err;
}

TEST_F(FakeGitHubGitTest, ACloneOfManyBranchesIsCompressedAndServed) {
  TestWorkdir w(*hub_, hub_->options().token);
  ASSERT_TRUE(w.clone("octo-org", "widgets").ok());
  // Many branches at distinct commits: a clone asks for each ("want"), and
  // git compresses a request body that large.
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(w.git({"checkout", "--quiet", "-b", "b" + std::to_string(i), "main"}).ok());
    w.commit("b.txt", "branch " + std::to_string(i) + "\n", "branch " + std::to_string(i));
  }
  auto pushed = w.git({"push", "--quiet", "origin", "--all"});
  ASSERT_TRUE(pushed.ok()) << pushed.err;
  TestWorkdir other(*hub_, hub_->options().token);
  auto cloned = other.clone("octo-org", "widgets");
  ASSERT_TRUE(cloned.ok()) << cloned.err;
  auto branch = other.git({"rev-parse", "origin/b39"});
  EXPECT_EQ(branch.out, *hub_->branchSha("octo-org", "widgets", "b39") + "\n");
  bool gzipped = false;
  for (const auto& r : hub_->requests()) gzipped |= r.header("Content-Encoding") == "gzip";
  EXPECT_TRUE(gzipped) << "git sent no compressed request: the case is not exercised";
}

}  // namespace
}  // namespace codecrew::testing
