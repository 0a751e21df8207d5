// POST /workflows/from-jira/{story_id} on the real binary against the fake
// Jira on loopback: seed 001's exact answers, idempotency per story (the key
// asked and the key Jira returns), a custom criteria field, a moved issue,
// 404, 401, 429 with Retry-After, and a server without Jira.
#include "api_fixture.h"
#include "fake_jira.h"

namespace codecrew::testing {
namespace {
namespace json = boost::json;

json::value criteria(const std::string& line) { return adfParagraphs({line}); }

class JiraApiTest : public ApiTest {
 protected:
  void SetUp() override {
    if (!jira_.start().ok()) GTEST_SKIP() << "the fake Jira cannot listen on loopback";
    jira_.setFieldNames(json::object{{"customfield_10010", "Acceptance Criteria"}, {"customfield_10200", "Done When"}});
    jira_.addIssue(makeIssue("PAY-1", "Pay with a saved card", json::parse(R"({"type": "doc", "version": 1, "content": [
            {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Why"}]},
            {"type": "paragraph", "content": [{"type": "text", "text": "Shoppers re-type cards."}]}]})"),
                             json::object{{"customfield_10010", criteria("the card is charged once")},
                                          {"customfield_10200", criteria("the receipt is mailed")}}));
    jira_.addIssue(makeIssue("NEW-7", "A moved story", criteria("moved here")));
    jira_.moveIssue("OLD-1", "NEW-7");
    ApiTest::SetUp();
  }

  // The seed's variable names (NEGISHI_JIRA_*), which also win over any
  // JIRA_* of the environment the tests run in.
  std::map<std::string, std::string> serverEnv() const override {
    return {{"NEGISHI_JIRA_BASE_URL", jira_.baseUrl()},
            {"NEGISHI_JIRA_EMAIL", kFakeJiraEmail},
            {"NEGISHI_JIRA_API_TOKEN", kFakeJiraToken}};
  }

  void restartWith(const std::map<std::string, std::string>& env) {
    server_.reset();
    startServer(env);
  }

  HttpResult fromJira(const std::string& story, const std::string& key = "") {
    return call("POST", "/workflows/from-jira/" + story, "", key);
  }

  static json::value created(const std::string& story, std::int64_t id) {
    return json::object{{"message", "Workflow created successfully for " + story}, {"workflow_id", id}};
  }

  std::int64_t workflowCount() { return call("GET", "/workflows").json().at("total").as_int64(); }

  FakeJira jira_;
};

TEST_F(JiraApiTest, AStoryBecomesAWorkflowOnceWithTheSeedsAnswer) {
  auto first = fromJira("PAY-1");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto id = first.json().at("workflow_id").as_int64();
  EXPECT_EQ(first.json(), created("PAY-1", id));
  auto w = call("GET", "/workflows/" + std::to_string(id)).json();
  EXPECT_EQ(w.at("name").as_string(), "PAY-1: Pay with a saved card");
  EXPECT_EQ(w.at("jira_story_id").as_string(), "PAY-1");
  EXPECT_EQ(w.at("description").as_string(),
            "## Why\n\nShoppers re-type cards.\n\n## Acceptance criteria\n\nthe card is charged once");
  ASSERT_EQ(jira_.requests().size(), 1u);
  EXPECT_EQ(jira_.requests()[0].target, "/rest/api/3/issue/PAY-1?expand=names");

  auto again = fromJira("PAY-1");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json(), created("PAY-1", id));
  EXPECT_EQ(jira_.requests().size(), 1u) << "a story already made is not fetched again";
  EXPECT_EQ(workflowCount(), 1);

  // Another tenant's workflows are its own.
  auto theirs = fromJira("PAY-1", other_key_);
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  EXPECT_NE(theirs.json().at("workflow_id").as_int64(), id);

  // Audited as a mutating call.
  auto audit = db().listAudit(tenantId("acme"), {1, 50});
  ASSERT_TRUE(audit.ok());
  int audited = 0;
  for (const auto& e : audit->items)
    if (e.action == "workflow.create_from_jira" && e.status == 200) ++audited;
  EXPECT_EQ(audited, 2);
}

TEST_F(JiraApiTest, AWorkflowAlreadyHoldingTheStoryIdIsAnswered) {
  auto made = call("POST", "/workflows", R"({"name": "by hand", "jira_story_id": "PAY-1"})");
  ASSERT_EQ(made.status, 201) << made.body;
  auto r = fromJira("PAY-1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), created("PAY-1", made.json().at("id").as_int64()));
  EXPECT_TRUE(jira_.requests().empty());
}

TEST_F(JiraApiTest, AMovedStoryIsKeptUnderTheKeyJiraReturns) {
  auto r = fromJira("OLD-1");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto id = r.json().at("workflow_id").as_int64();
  EXPECT_EQ(r.json(), created("OLD-1", id));
  auto w = call("GET", "/workflows/" + std::to_string(id)).json();
  EXPECT_EQ(w.at("jira_story_id").as_string(), "NEW-7");
  EXPECT_EQ(w.at("name").as_string(), "NEW-7: A moved story");
  // Asked by either key, the same workflow.
  EXPECT_EQ(fromJira("NEW-7").json(), created("NEW-7", id));
  EXPECT_EQ(fromJira("OLD-1").json(), created("OLD-1", id));
  EXPECT_EQ(workflowCount(), 1);
}

TEST_F(JiraApiTest, ACustomCriteriaFieldIsRead) {
  restartWith({{"JIRA_CRITERIA_FIELD", "customfield_10200"}});
  auto r = fromJira("PAY-1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto w = call("GET", "/workflows/" + std::to_string(r.json().at("workflow_id").as_int64())).json();
  EXPECT_NE(std::string(w.at("description").as_string()).find("## Acceptance criteria\n\nthe receipt is mailed"),
            std::string::npos)
      << w.at("description");
  EXPECT_EQ(jira_.requests().back().target, "/rest/api/3/issue/PAY-1?fields=summary,description,customfield_10200");
}

TEST_F(JiraApiTest, AStoryJiraDoesNotHaveIs404WithTheSeedsMessage) {
  auto r = fromJira("PAY-404");
  ASSERT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json().at("message").as_string(), "Could not retrieve story PAY-404 from Jira");
  EXPECT_NE(std::string(r.json().at("detail").as_string()).find("does not exist"), std::string::npos) << r.body;
  auto malformed = fromJira("not%20a%20key");
  ASSERT_EQ(malformed.status, 404) << malformed.body;
  EXPECT_EQ(malformed.json().at("message").as_string(), "Could not retrieve story not a key from Jira");
  EXPECT_EQ(workflowCount(), 0);
}

TEST_F(JiraApiTest, RefusedCredentialsAre500AndNothingIsStored) {
  restartWith({{"NEGISHI_JIRA_API_TOKEN", "a-wrong-secret"}});
  auto r = fromJira("PAY-1");
  ASSERT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.json().at("message").as_string(), "Could not retrieve story PAY-1 from Jira");
  EXPECT_NE(std::string(r.json().at("detail").as_string()).find("401"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("a-wrong-secret"), std::string::npos);
  EXPECT_EQ(server_->stderrText().find("a-wrong-secret"), std::string::npos);
  EXPECT_EQ(workflowCount(), 0);
}

TEST_F(JiraApiTest, A429WithRetryAfterIsWaitedOut) {
  jira_.enqueueFault({429, "1", ""});
  auto r = fromJira("PAY-1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto seen = jira_.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].status, 429);
  EXPECT_EQ(seen[1].status, 200);
  EXPECT_EQ(workflowCount(), 1);
}

TEST_F(JiraApiTest, ARateLimitTooLongToWaitIs500) {
  jira_.enqueueFault({429, "3600", ""});
  auto r = fromJira("PAY-1");
  ASSERT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.json().at("message").as_string(), "Could not retrieve story PAY-1 from Jira");
  EXPECT_NE(std::string(r.json().at("detail").as_string()).find("rate limit"), std::string::npos) << r.body;
  EXPECT_EQ(jira_.requests().size(), 1u);
  EXPECT_EQ(workflowCount(), 0);
}

TEST_F(JiraApiTest, ViewersCannotCreateFromJira) {
  auto r = fromJira("PAY-1", viewer_key_);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(jira_.requests().empty());
}

class UnconfiguredJiraTest : public ApiTest {
  std::map<std::string, std::string> serverEnv() const override {
    // Empty values count as unset, whatever the tests' own environment holds.
    std::map<std::string, std::string> env;
    for (const char* v : {"JIRA_BASE_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"}) {
      env[v] = "";
      env[std::string("NEGISHI_") + v] = "";
    }
    return env;
  }
};

TEST_F(UnconfiguredJiraTest, WithoutJiraTheAnswerSaysWhatToSet) {
  auto r = call("POST", "/workflows/from-jira/PAY-1");
  ASSERT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(r.json().at("message").as_string(), "Could not retrieve story PAY-1 from Jira");
  const std::string detail(r.json().at("detail").as_string());
  for (const char* setting : {"JIRA_BASE_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"})
    EXPECT_NE(detail.find(setting), std::string::npos) << detail;
  EXPECT_NE(server_->stderrText().find("could not retrieve a Jira story"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::testing
