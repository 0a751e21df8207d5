// [github] webhook_secret, overridden by GITHUB_WEBHOOK_SECRET.
#include "integrations/github/webhook_config.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace codecrew::integrations::github {
namespace {

boost::json::object doc(const char* text) { return boost::json::parse(text).as_object(); }

TEST(WebhookConfigTest, NothingConfiguredIsNoSecret) {
  auto c = loadWebhookConfig({}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->configured());
}

TEST(WebhookConfigTest, TheFileAndTheEnvironmentWhichWins) {
  auto file = loadWebhookConfig(doc(R"({"github": {"webhook_secret": "from-file"}})"), {});
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->secret, "from-file");
  auto env = loadWebhookConfig(doc(R"({"github": {"webhook_secret": "from-file"}})"),
                               {{"GITHUB_WEBHOOK_SECRET", "from-env"}});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->secret, "from-env");
  auto empty_env = loadWebhookConfig(doc(R"({"github": {"webhook_secret": "from-file"}})"),
                                     {{"GITHUB_WEBHOOK_SECRET", ""}});
  ASSERT_TRUE(empty_env.ok());
  EXPECT_EQ(empty_env->secret, "from-file");
}

TEST(WebhookConfigTest, ASecretMustBeAString) {
  auto bad = loadWebhookConfig(doc(R"({"github": {"webhook_secret": 42}})"), {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("github.webhook_secret"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::integrations::github
