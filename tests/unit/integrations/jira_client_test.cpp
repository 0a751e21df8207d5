// JiraClient against the fake Jira on loopback: rich text and criteria
// (by name and by a custom field's id), moved issues, 404, 401, 403, 429 with
// Retry-After (waited on a fake clock, or refused when too long), 5xx,
// REST v2, and what is never sent (no configuration, a key that is not one).
#include "integrations/jira/jira_client.h"

#include "fake_jira.h"
#include "http/client/beast_http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <optional>
#include <stdexcept>

namespace codecrew::integrations::jira {
namespace {

namespace bj = boost::json;
using codecrew::testing::FakeJira;
using codecrew::testing::FakeJiraFault;

bj::value richDescription() {
  return bj::parse(R"({"type": "doc", "version": 1, "content": [
      {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Goal"}]},
      {"type": "paragraph", "content": [{"type": "text", "text": "Pay with "},
        {"type": "text", "text": "one click", "marks": [{"type": "link", "attrs": {"href": "https://x.test/pay"}}]}]},
      {"type": "bulletList", "content": [{"type": "listItem", "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "keep the card"}]}]}]},
      {"type": "codeBlock", "attrs": {"language": "json"}, "content": [{"type": "text", "text": "{\"card\": 1}"}]},
      {"type": "table", "content": [
        {"type": "tableRow", "content": [{"type": "tableHeader", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "a"}]}]}]},
        {"type": "tableRow", "content": [{"type": "tableCell", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "1"}]}]}]}]},
      {"type": "somethingNew", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "kept"}]}]}]})");
}

class JiraClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(jira_.start().ok());
    jira_.setFieldNames(bj::object{{"summary", "Summary"},
                                   {"description", "Description"},
                                   {"customfield_10010", "Acceptance Criteria"},
                                   {"customfield_10200", "Done When"}});
    jira_.addIssue(codecrew::testing::makeIssue(
        "PAY-1", "Pay with a saved card", richDescription(),
        bj::object{{"customfield_10010", codecrew::testing::adfParagraphs({"the card is charged once"})},
                   {"customfield_10200", codecrew::testing::adfParagraphs({"the receipt is mailed"})},
                   {"customfield_10300", "unrelated"}}));
  }

  JiraConfig config() const {
    JiraConfig c;
    c.base_url = jira_.baseUrl();
    c.email = codecrew::testing::kFakeJiraEmail;
    c.api_token = codecrew::testing::kFakeJiraToken;
    return c;
  }

  core::Result<JiraStory> fetch(const JiraConfig& c, const std::string& key) {
    JiraClient client(c, http_, sleeper_, clock_);
    std::optional<core::Result<JiraStory>> story;
    auto run = [&]() -> boost::asio::awaitable<void> {
      auto result = co_await client.fetchStory(key);
      story.emplace(std::move(result));
    };
    boost::asio::co_spawn(io_, run(), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    io_.restart();
    io_.run();
    if (!story) throw std::logic_error("the fetch did not finish");
    return std::move(*story);
  }

  FakeJira jira_;
  boost::asio::io_context io_;  // outlives the client's pooled connections
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::shared_ptr<llm::FakeSleeper> sleeper_ = std::make_shared<llm::FakeSleeper>(clock_);
  std::shared_ptr<http::HttpClient> http_ = std::make_shared<http::BeastHttpClient>();
};

TEST_F(JiraClientTest, FetchesTheStoryAsMarkdownWithCriteriaFoundByName) {
  auto story = fetch(config(), "PAY-1");
  ASSERT_TRUE(story.ok()) << story.error().message;
  EXPECT_EQ(story->key, "PAY-1");
  EXPECT_EQ(story->summary, "Pay with a saved card");
  EXPECT_EQ(story->description_markdown,
            "## Goal\n\nPay with [one click](https://x.test/pay)\n\n- keep the card\n\n```json\n{\"card\": 1}\n```\n\n"
            "| a |\n| --- |\n| 1 |\n\nkept");
  EXPECT_EQ(story->criteria_markdown, "the card is charged once");
  auto seen = jira_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/rest/api/3/issue/PAY-1?expand=names");
  EXPECT_EQ(seen[0].authorization,
            "Basic Ym90QGV4YW1wbGUuY29tOmZha2UtamlyYS10b2tlbg==");  // bot@example.com:fake-jira-token
}

TEST_F(JiraClientTest, ACriteriaFieldNamedInAnyCaseOrByIdIsTheOneRead) {
  auto c = config();
  c.criteria_field = "done when";
  auto by_name = fetch(c, "PAY-1");
  ASSERT_TRUE(by_name.ok()) << by_name.error().message;
  EXPECT_EQ(by_name->criteria_markdown, "the receipt is mailed");
  c.criteria_field = "customfield_10200";
  auto by_id = fetch(c, "PAY-1");
  ASSERT_TRUE(by_id.ok()) << by_id.error().message;
  EXPECT_EQ(by_id->criteria_markdown, "the receipt is mailed");
  EXPECT_EQ(jira_.requests().back().target, "/rest/api/3/issue/PAY-1?fields=summary,description,customfield_10200");
  c.criteria_field = "";
  auto none = fetch(c, "PAY-1");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->criteria_markdown, "");
  EXPECT_EQ(jira_.requests().back().target, "/rest/api/3/issue/PAY-1?fields=summary,description");
  c.criteria_field = "No Such Field";
  auto missing = fetch(c, "PAY-1");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->criteria_markdown, "");
}

TEST_F(JiraClientTest, AMovedIssueAnswersWithItsNewKey) {
  jira_.addIssue(codecrew::testing::makeIssue("NEW-7", "Moved story", codecrew::testing::adfParagraphs({"moved"})));
  jira_.moveIssue("OLD-1", "NEW-7");
  auto story = fetch(config(), "OLD-1");
  ASSERT_TRUE(story.ok()) << story.error().message;
  EXPECT_EQ(story->key, "NEW-7");
  EXPECT_EQ(story->description_markdown, "moved");
  EXPECT_EQ(jira_.requests().back().key, "OLD-1");
}

TEST_F(JiraClientTest, AMissingStoryIsNotFoundWithJirasReason) {
  auto story = fetch(config(), "PAY-404");
  ASSERT_FALSE(story.ok());
  EXPECT_EQ(story.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(story.error().message.find("PAY-404"), std::string::npos);
  EXPECT_NE(story.error().message.find("Issue does not exist"), std::string::npos) << story.error().message;
}

TEST_F(JiraClientTest, RefusedCredentialsAreUnauthenticatedAndNeverQuoted) {
  auto c = config();
  c.api_token = "wrong-secret-token";
  auto story = fetch(c, "PAY-1");
  ASSERT_FALSE(story.ok());
  EXPECT_EQ(story.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(story.error().message.find("jira.api_token"), std::string::npos);
  EXPECT_EQ(story.error().message.find("wrong-secret-token"), std::string::npos);
  EXPECT_EQ(jira_.requests().size(), 1u) << "a 401 is not retried";
}

TEST_F(JiraClientTest, AForbiddenStoryIsPermissionDenied) {
  jira_.enqueueFault(FakeJiraFault{403, "", ""});
  auto story = fetch(config(), "PAY-1");
  ASSERT_FALSE(story.ok());
  EXPECT_EQ(story.error().code, core::ErrorCode::kPermissionDenied);
}

TEST_F(JiraClientTest, A429WaitsRetryAfterAndTriesAgain) {
  jira_.enqueueFault(FakeJiraFault{429, "7", ""});
  auto story = fetch(config(), "PAY-1");
  ASSERT_TRUE(story.ok()) << story.error().message;
  EXPECT_EQ(story->key, "PAY-1");
  auto seen = jira_.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].status, 429);
  EXPECT_EQ(seen[1].status, 200);
  EXPECT_EQ(sleeper_->sleeps(), (std::vector<std::chrono::milliseconds>{std::chrono::seconds(7)}));
}

TEST_F(JiraClientTest, ARateLimitLongerThanTheClientWaitsIsResourceExhausted) {
  jira_.enqueueFault(FakeJiraFault{429, "3600", ""});
  auto story = fetch(config(), "PAY-1");
  ASSERT_FALSE(story.ok());
  EXPECT_EQ(story.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(jira_.requests().size(), 1u);
  EXPECT_TRUE(sleeper_->sleeps().empty());
}

TEST_F(JiraClientTest, ServerErrorsAreRetriedThenUnavailable) {
  const int attempts = RestClientOptions{}.retry.max_attempts;
  for (int i = 0; i < attempts; ++i) jira_.enqueueFault(FakeJiraFault{503, "", ""});
  auto story = fetch(config(), "PAY-1");
  ASSERT_FALSE(story.ok());
  EXPECT_EQ(story.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(story.error().message.find("503"), std::string::npos) << story.error().message;
  EXPECT_EQ(static_cast<int>(jira_.requests().size()), attempts);
  jira_.enqueueFault(FakeJiraFault{502, "", ""});
  auto recovered = fetch(config(), "PAY-1");
  EXPECT_TRUE(recovered.ok()) << recovered.error().message;
  EXPECT_EQ(static_cast<int>(jira_.requests().size()), attempts + 2);
}

TEST_F(JiraClientTest, AnAnswerThatIsNotAnIssueIsUnavailable) {
  jira_.enqueueFault(FakeJiraFault{200, "", R"({"unexpected": true})"});
  auto story = fetch(config(), "PAY-1");
  ASSERT_FALSE(story.ok());
  EXPECT_EQ(story.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(story.error().message.find("jira.base_url"), std::string::npos);
}

TEST_F(JiraClientTest, RestV2SendsTheDescriptionAsText) {
  jira_.addIssue(codecrew::testing::makeIssue("WIKI-3", "Wiki", "h2. Goal\n\n* one\n",
                                              bj::object{{"customfield_10010", "* given a card"}}));
  auto c = config();
  c.api_version = "2";
  auto story = fetch(c, "WIKI-3");
  ASSERT_TRUE(story.ok()) << story.error().message;
  EXPECT_EQ(story->description_markdown, "h2. Goal\n\n* one");
  EXPECT_EQ(story->criteria_markdown, "* given a card");
  EXPECT_EQ(jira_.requests().back().api_version, "2");
}

TEST_F(JiraClientTest, NothingIsSentWithoutConfigurationOrForAKeyThatIsNotOne) {
  JiraConfig none;
  auto story = fetch(none, "PAY-1");
  ASSERT_FALSE(story.ok());
  EXPECT_EQ(story.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(story.error().message.find("JIRA_BASE_URL"), std::string::npos) << story.error().message;
  EXPECT_NE(story.error().message.find("JIRA_API_TOKEN"), std::string::npos);
  for (const char* bad : {"../admin", "PAY-1?x=1", "PAY", "-1", "PAY-", "1PAY-2", "PAY 1", ""}) {
    auto refused = fetch(config(), bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(jira_.requests().empty());
  auto by_id = fetch(config(), "10001");  // an issue's numeric id is a key too: asked, not found
  ASSERT_FALSE(by_id.ok());
  EXPECT_EQ(by_id.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(jira_.requests().size(), 1u);
}

}  // namespace
}  // namespace codecrew::integrations::jira
