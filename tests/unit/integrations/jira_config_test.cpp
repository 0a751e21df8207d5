// [jira] and its environment variables (JIRA_*, and seed 001's NEGISHI_JIRA_*).
#include "integrations/jira/jira_config.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace codecrew::integrations::jira {
namespace {

namespace bj = boost::json;

bj::object document(std::string_view jira_table) { return bj::object{{"jira", bj::parse(jira_table).as_object()}}; }

TEST(JiraConfigTest, DefaultsAreUnconfiguredAndSayWhatToSet) {
  auto c = loadJiraConfig({}, {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->configured());
  EXPECT_EQ(c->api_version, "3");
  EXPECT_EQ(c->criteria_field, "Acceptance Criteria");
  EXPECT_FALSE(c->criteriaIsFieldId());
  EXPECT_EQ(c->timeout_seconds, 30);
  EXPECT_EQ(c->missing(), (std::vector<std::string>{"jira.base_url (JIRA_BASE_URL)", "jira.email (JIRA_EMAIL)",
                                                    "jira.api_token (JIRA_API_TOKEN)"}));
}

TEST(JiraConfigTest, TheFileConfiguresEverything) {
  auto c = loadJiraConfig(document(R"({"base_url": "https://acme.atlassian.net/", "email": "a@acme.test",
      "api_token": "t0k", "api_version": 2, "criteria_field": "customfield_10010", "timeout_seconds": 5})"),
                          {});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->configured());
  EXPECT_EQ(c->base_url, "https://acme.atlassian.net");
  EXPECT_EQ(c->email, "a@acme.test");
  EXPECT_EQ(c->api_token, "t0k");
  EXPECT_EQ(c->api_version, "2");
  EXPECT_TRUE(c->criteriaIsFieldId());
  EXPECT_EQ(c->timeout_seconds, 5);
}

TEST(JiraConfigTest, VariablesOverrideTheFileAndTheSeedsNamesWin) {
  auto c = loadJiraConfig(document(R"({"base_url": "https://file.test", "email": "file@test"})"),
                          {{"JIRA_BASE_URL", "https://plain.test"},
                           {"NEGISHI_JIRA_BASE_URL", "https://negishi.test"},
                           {"JIRA_EMAIL", ""},  // empty: not set
                           {"NEGISHI_JIRA_API_TOKEN", "seed-token"},
                           {"JIRA_CRITERIA_FIELD", ""},
                           {"JIRA_API_VERSION", "latest"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->base_url, "https://negishi.test");
  EXPECT_EQ(c->email, "file@test");
  EXPECT_EQ(c->api_token, "seed-token");
  EXPECT_EQ(c->api_version, "latest");
  EXPECT_EQ(c->criteria_field, "Acceptance Criteria");
  EXPECT_TRUE(c->configured());
  auto plain = loadJiraConfig({},
                              {{"JIRA_BASE_URL", "http://127.0.0.1:9"}, {"JIRA_EMAIL", "e"}, {"JIRA_API_TOKEN", "t"}});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->base_url, "http://127.0.0.1:9");
  EXPECT_TRUE(plain->configured());
}

TEST(JiraConfigTest, AnEmptyCriteriaFieldInTheFileTurnsCriteriaOff) {
  auto c = loadJiraConfig(document(R"({"criteria_field": ""})"), {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->criteria_field, "");
}

TEST(JiraConfigTest, BadValuesNameTheirSetting) {
  auto url = loadJiraConfig(document(R"({"base_url": "acme.atlassian.net"})"), {});
  ASSERT_FALSE(url.ok());
  EXPECT_NE(url.error().message.find("jira.base_url"), std::string::npos) << url.error().message;
  auto env_url = loadJiraConfig({}, {{"NEGISHI_JIRA_BASE_URL", "ftp://x"}});
  ASSERT_FALSE(env_url.ok());
  EXPECT_NE(env_url.error().message.find("NEGISHI_JIRA_BASE_URL"), std::string::npos);
  auto version = loadJiraConfig(document(R"({"api_version": "4"})"), {});
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.error().message.find("jira.api_version"), std::string::npos);
  auto timeout = loadJiraConfig({}, {{"JIRA_TIMEOUT_SECONDS", "0"}});
  ASSERT_FALSE(timeout.ok());
  EXPECT_NE(timeout.error().message.find("JIRA_TIMEOUT_SECONDS"), std::string::npos);
  auto type = loadJiraConfig(document(R"({"email": ["a"]})"), {});
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(JiraConfigTest, OnlyCustomfieldIdsAreIds) {
  JiraConfig c;
  for (const char* id : {"customfield_10010", "customfield_1"}) {
    c.criteria_field = id;
    EXPECT_TRUE(c.criteriaIsFieldId()) << id;
  }
  for (const char* name : {"Acceptance Criteria", "customfield_", "customfield_10x", "environment", ""}) {
    c.criteria_field = name;
    EXPECT_FALSE(c.criteriaIsFieldId()) << name;
  }
}

}  // namespace
}  // namespace codecrew::integrations::jira
