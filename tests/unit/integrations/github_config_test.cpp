// [github] and its environment: GitHub Actions' variable names win over the
// file, base URLs are checked, owners come from a list or a comma list.
#include "integrations/github/github_config.h"

#include <boost/json.hpp>

#include <gtest/gtest.h>

namespace codecrew::integrations::github {
namespace {

boost::json::object doc(std::string_view json) { return boost::json::parse(json).as_object(); }

TEST(GitHubConfigTest, DefaultsFileAndEnvironment) {
  auto none = loadGitHubConfig({}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->api_url, "https://api.github.com");
  EXPECT_EQ(none->web_url, "https://github.com");
  EXPECT_TRUE(none->draft);
  EXPECT_EQ(none->deliver_stage, "DEPLOY");
  EXPECT_EQ(none->max_fix_attempts, 3);
  auto file = loadGitHubConfig(
      doc(R"({"github": {"api_url": "https://ghe.example/api/v3/", "web_url": "https://ghe.example", "draft": false,
                         "max_fix_attempts": 5, "owners": ["acme"]},
              "repositories": {"remote_hosts": ["https://git.example/"]}})"),
      {{"GITHUB_TOKEN", "t0k"}, {"GITHUB_OWNERS", "acme, acme-labs"}});
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->api_url, "https://ghe.example/api/v3");
  EXPECT_FALSE(file->draft);
  EXPECT_EQ(file->max_fix_attempts, 5);
  EXPECT_EQ(file->token, "t0k");
  EXPECT_EQ(file->owners, (std::vector<std::string>{"acme", "acme-labs"})) << "the variable wins";
  EXPECT_EQ(file->remote_hosts, (std::vector<std::string>{"https://git.example"}));
  auto env = loadGitHubConfig({}, {{"GITHUB_SERVER_URL", "https://ghe.example"}});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->web_url, "https://ghe.example");
}

TEST(GitHubConfigTest, BadValuesNameTheKey) {
  auto expectBad = [](std::string_view json, const std::string& key) {
    auto r = loadGitHubConfig(doc(json), {});
    ASSERT_FALSE(r.ok()) << json;
    EXPECT_NE(r.error().message.find(key), std::string::npos) << r.error().message;
  };
  expectBad(R"({"github": {"api_url": "ftp://x"}})", "api_url");
  expectBad(R"({"github": {"web_url": "https://user:pw@github.com"}})", "credentials");
  expectBad(R"({"github": {"max_fix_attempts": -1}})", "max_fix_attempts");
  expectBad(R"({"github": {"owners": "acme"}})", "owners");
  expectBad(R"({"repositories": {"remote_hosts": ["http://git.example"]}})", "remote_hosts");
  expectBad(R"({"github": {"tenants": {"acme": {"owners": "acme"}}}})", "[github.tenants.acme] owners");
}

TEST(GitHubConfigTest, OwnersPerTenant) {
  auto c = loadGitHubConfig(doc(R"({"github": {"tenants": {"acme": {"owners": ["acme", "acme-labs"]}}}})"), {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->tenant_owners.at("acme"), (std::vector<std::string>{"acme", "acme-labs"}));
}

}  // namespace
}  // namespace codecrew::integrations::github
