// Which local repositories an execution may start from: only git
// repositories under the configured roots, never under the data directory
// (symlinks and dot segments resolved first), repositories the user named
// on the command line as they are; every refusal with one message.
#include "engine/repository_location.h"
#include "tools/git/git_repository.h"

#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace codecrew::engine {
namespace {

namespace fs = std::filesystem;

class RepositoryPolicyTest : public ::testing::Test {
 protected:
  fs::path repo(const fs::path& dir) {
    EXPECT_TRUE(tools::GitRepository::openOrInit(dir.string()).ok());
    return dir;
  }
  std::string refusalOf(const RepositoryPolicy& policy, const std::string& url) {
    auto st = policy.check(url);
    EXPECT_FALSE(st.ok()) << url;
    if (st.ok()) return "";
    std::string m = st.error().message;
    m.replace(m.find(url), url.size(), "URL");
    return m;
  }
  codecrew::testing::TempDir dir_;
};

TEST_F(RepositoryPolicyTest, OnlyRepositoriesUnderTheRootsOutsideTheDataDirectory) {
  fs::path roots = dir_.path() / "roots";
  fs::path data = roots / "var";  // a data directory inside a root is still refused
  auto allowed = repo(roots / "project");
  auto workspace = repo(data / "workspaces" / "t1" / "e1");
  auto outside = repo(dir_.path() / "elsewhere");
  fs::create_directories(roots / "plain");
  fs::create_symlink(outside, roots / "link");
  RepositoryPolicy policy({roots}, data);
  EXPECT_TRUE(policy.check("").ok());
  EXPECT_TRUE(policy.check(allowed.string()).ok());
  EXPECT_TRUE(policy.check("file://" + allowed.string()).ok());
  auto missing = refusalOf(policy, (roots / "missing").string());
  EXPECT_NE(missing.find("local_roots"), std::string::npos);
  EXPECT_EQ(refusalOf(policy, workspace.string()), missing);
  EXPECT_EQ(refusalOf(policy, outside.string()), missing);
  EXPECT_EQ(refusalOf(policy, (roots / "link").string()), missing) << "a symlink out of the roots";
  EXPECT_EQ(refusalOf(policy, (roots / "project" / ".." / ".." / "elsewhere").string()), missing);
  EXPECT_EQ(refusalOf(policy, (roots / "plain").string()), missing) << "not a git repository";
  EXPECT_EQ(refusalOf(policy, "relative/path"), missing);
  EXPECT_NE(refusalOf(policy, "https://example.invalid/r.git").find("does not clone from"), std::string::npos);
}

// Network repositories: https:// on a configured host only, the plain URL
// (the server's token, never one in the URL), an owner/name path; other
// schemes refused with a message that says what is accepted.
TEST_F(RepositoryPolicyTest, NetworkRepositoriesOnlyOnConfiguredHostsOverHttps) {
  RepositoryPolicy policy({}, dir_.path() / "var");
  policy.setRemoteHosts({{"https://github.com", "tok", true}, {"http://127.0.0.1:9", "", false}});
  EXPECT_TRUE(policy.check("https://github.com/acme/app").ok());
  EXPECT_TRUE(policy.check("https://github.com/acme/app.git").ok());
  EXPECT_TRUE(policy.check("http://127.0.0.1:9/acme/app.git").ok()) << "the configured base's own scheme";
  ASSERT_NE(policy.remoteFor("https://github.com/acme/app"), nullptr);
  EXPECT_EQ(policy.remoteFor("https://github.com/acme/app")->token, "tok");
  EXPECT_EQ(policy.remoteFor("https://github.company.com/acme/app"), nullptr) << "a prefix is not the host";
  EXPECT_NE(refusalOf(policy, "https://x:secret@github.com/acme/app").find("credentials"), std::string::npos);
  EXPECT_NE(refusalOf(policy, "git@github.com:acme/app.git").find("ssh"), std::string::npos);
  EXPECT_NE(refusalOf(policy, "ssh://git@github.com/acme/app").find("credentials"), std::string::npos);
  EXPECT_NE(refusalOf(policy, "git://github.com/acme/app").find("only https://"), std::string::npos);
  EXPECT_NE(refusalOf(policy, "http://github.com/acme/app").find("only https://"), std::string::npos);
  EXPECT_NE(refusalOf(policy, "https://gitlab.example/acme/app").find("does not clone from"), std::string::npos);
  EXPECT_NE(refusalOf(policy, "https://github.com/acme").find("<owner>/<name>"), std::string::npos);
  EXPECT_NE(refusalOf(policy, "https://github.com/acme/../x").find("<owner>/<name>"), std::string::npos);
}

// [github] owners narrows a shared token to some owners' repositories.
TEST_F(RepositoryPolicyTest, OwnersNarrowWhichRepositoriesTheTokenServes) {
  RepositoryPolicy policy({}, dir_.path() / "var");
  policy.setRemoteHosts({{"https://github.com", "tok", true, {"Acme"}}});
  EXPECT_TRUE(policy.check("https://github.com/acme/app").ok()) << "owners compare case-insensitively";
  EXPECT_NE(refusalOf(policy, "https://github.com/globex/secret").find("[github] owners"), std::string::npos);
}

// [github.tenants.<name>] owners: each tenant reaches its own owners only,
// tenants without a list fall back to [github] owners.
TEST_F(RepositoryPolicyTest, EachTenantReachesItsOwnOwners) {
  RepositoryPolicy policy({}, dir_.path() / "var");
  RemoteHost host{"https://github.com", "tok", true, {"shared-org"}, {{"acme", {"acme"}}, {"globex", {"globex"}}}};
  policy.setRemoteHosts({host});
  EXPECT_TRUE(policy.check("https://github.com/acme/app", "acme").ok());
  EXPECT_TRUE(policy.check("https://github.com/globex/app", "globex").ok());
  auto cross = policy.check("https://github.com/acme/app", "globex");
  ASSERT_FALSE(cross.ok()) << "another tenant's owner";
  EXPECT_NE(cross.error().message.find("[github.tenants.globex] owners"), std::string::npos);
  EXPECT_TRUE(policy.check("https://github.com/shared-org/lib", "initech").ok()) << "unlisted: [github] owners";
  EXPECT_FALSE(policy.check("https://github.com/acme/app", "initech").ok());
}

TEST_F(RepositoryPolicyTest, NoRootsAllowsNoLocalRepositoryButTheTrustedOnes) {
  auto project = repo(dir_.path() / "var" / "examples" / "mine");
  RepositoryPolicy none({}, dir_.path() / "var");
  EXPECT_FALSE(none.check(project.string()).ok());
  RepositoryPolicy cli({}, dir_.path() / "var", {project});
  EXPECT_TRUE(cli.check(project.string()).ok()) << "codecrew run --repo names it itself";
  EXPECT_FALSE(cli.check((dir_.path() / "var").string()).ok());
}

}  // namespace
}  // namespace codecrew::engine
