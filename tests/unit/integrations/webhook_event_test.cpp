// parseWebhook over deliveries in GitHub's shapes (tests/data/github/):
// each event delivery acts on gives its kind, repository, branch, commit,
// pull request numbers and content; other events and actions are ignored;
// a fork's check names no pull request; bad JSON is refused.
#include "integrations/github/webhook_event.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace codecrew::integrations::github {
namespace {

constexpr const char* kHead = "3f786850e387550fdab836ed7e6dc881de23001b";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CODECREW_GITHUB_TEST_DATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

HostEvent parse(const std::string& event, const std::string& file) {
  auto e = parseWebhook(event, "d-" + file, fixture(file));
  EXPECT_TRUE(e.ok()) << file << ": " << (e.ok() ? "" : e.error().message);
  return e.ok() ? *e : HostEvent{};
}

TEST(WebhookEventTest, Ping) {
  auto e = parse("ping", "ping.json");
  EXPECT_EQ(e.kind, HostEventKind::kPing);
  EXPECT_EQ(e.delivery_id, "d-ping.json");
  EXPECT_EQ(e.event, "ping");
  EXPECT_EQ(e.repository, "octo-org/widgets");
  EXPECT_EQ(e.body, "Design for failure.");
}

TEST(WebhookEventTest, PullRequestOpenedAndClosedMerged) {
  auto opened = parse("pull_request", "pull_request.opened.json");
  EXPECT_EQ(opened.kind, HostEventKind::kPullRequest);
  EXPECT_EQ(opened.action, "opened");
  EXPECT_EQ(opened.repository, "octo-org/widgets");
  EXPECT_EQ(opened.head_branch, "codecrew/wf-12");
  EXPECT_EQ(opened.head_sha, kHead);
  EXPECT_EQ(opened.pull_numbers, std::vector<std::int64_t>{42});
  EXPECT_EQ(opened.pr_state, "open");
  EXPECT_FALSE(opened.merged);
  EXPECT_EQ(opened.author, "codecrew-bot");

  auto closed = parse("pull_request", "pull_request.closed.json");
  EXPECT_EQ(closed.kind, HostEventKind::kPullRequest);
  EXPECT_EQ(closed.action, "closed");
  EXPECT_EQ(closed.pr_state, "closed");
  EXPECT_TRUE(closed.merged);
}

TEST(WebhookEventTest, CheckRunCompletedWithItsOutput) {
  auto e = parse("check_run", "check_run.completed.json");
  EXPECT_EQ(e.kind, HostEventKind::kCheckRun);
  EXPECT_EQ(e.action, "completed");
  EXPECT_EQ(e.head_branch, "codecrew/wf-12");
  EXPECT_EQ(e.head_sha, kHead);
  EXPECT_EQ(e.pull_numbers, std::vector<std::int64_t>{42});
  EXPECT_EQ(e.check_run_id, 34100012345);
  EXPECT_EQ(e.check_name, "build (ubuntu-latest)");
  EXPECT_EQ(e.check_status, "completed");
  EXPECT_EQ(e.check_conclusion, "failure");
  EXPECT_EQ(e.check_url, "https://github.com/octo-org/widgets/actions/runs/12700011111/job/34100012345");
  EXPECT_EQ(e.check_summary, "1 failing test\n\ntests/test_counter.py::test_empty failed");
  EXPECT_NE(e.check_text.find("1 failed, 7 passed"), std::string::npos) << e.check_text;
}

TEST(WebhookEventTest, AForksCheckRunNamesNoPullRequest) {
  auto e = parse("check_run", "check_run.completed.fork.json");
  EXPECT_EQ(e.kind, HostEventKind::kCheckRun);
  EXPECT_TRUE(e.pull_numbers.empty());
  EXPECT_EQ(e.head_branch, "patch-1");
  EXPECT_EQ(e.head_sha, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  EXPECT_EQ(e.repository, "octo-org/widgets");
}

TEST(WebhookEventTest, CheckSuiteCompleted) {
  auto e = parse("check_suite", "check_suite.completed.json");
  EXPECT_EQ(e.kind, HostEventKind::kCheckSuite);
  EXPECT_EQ(e.head_branch, "codecrew/wf-12");
  EXPECT_EQ(e.head_sha, kHead);
  EXPECT_EQ(e.pull_numbers, std::vector<std::int64_t>{42});
  EXPECT_EQ(e.check_run_id, 31920045512);
  EXPECT_EQ(e.check_name, "GitHub Actions");
  EXPECT_EQ(e.check_status, "completed");
  EXPECT_EQ(e.check_conclusion, "failure");
}

TEST(WebhookEventTest, ReviewSubmitted) {
  auto e = parse("pull_request_review", "pull_request_review.submitted.json");
  EXPECT_EQ(e.kind, HostEventKind::kReview);
  EXPECT_EQ(e.action, "submitted");
  EXPECT_EQ(e.head_branch, "codecrew/wf-12");
  EXPECT_EQ(e.head_sha, kHead);
  EXPECT_EQ(e.pull_numbers, std::vector<std::int64_t>{42});
  EXPECT_EQ(e.review_state, "changes_requested");
  EXPECT_EQ(e.body, "Please handle an empty input: the counter must answer 0.");
  EXPECT_EQ(e.author, "alice-reviewer");
  EXPECT_EQ(e.author_association, "MEMBER");
  EXPECT_TRUE(hasWriteAccess(e.author_association));
  EXPECT_EQ(e.comment_id, 2458801200);
}

TEST(WebhookEventTest, AnUpperCaseReviewStateIsLowered) {
  auto body = fixture("pull_request_review.submitted.json");
  auto at = body.find("\"changes_requested\"");
  ASSERT_NE(at, std::string::npos);
  body.replace(at, 19, "\"APPROVED\"");
  auto e = parseWebhook("pull_request_review", "d", body);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->review_state, "approved");
}

TEST(WebhookEventTest, ReviewCommentCreated) {
  auto e = parse("pull_request_review_comment", "pull_request_review_comment.created.json");
  EXPECT_EQ(e.kind, HostEventKind::kReviewComment);
  EXPECT_EQ(e.head_branch, "codecrew/wf-12");
  EXPECT_EQ(e.head_sha, kHead);
  EXPECT_EQ(e.pull_numbers, std::vector<std::int64_t>{42});
  EXPECT_EQ(e.body, "This loop never sees an empty list; add a test for it.");
  EXPECT_EQ(e.comment_id, 1904400321);
  EXPECT_EQ(e.comment_path, "src/counter.py");
  EXPECT_EQ(e.comment_line, 12);
  EXPECT_EQ(e.author, "alice-reviewer");
  EXPECT_EQ(e.author_association, "COLLABORATOR");
  EXPECT_TRUE(e.review_state.empty());
}

TEST(WebhookEventTest, APullRequestsIssueComment) {
  auto e = parse("issue_comment", "issue_comment.created.json");
  EXPECT_EQ(e.kind, HostEventKind::kIssueComment);
  EXPECT_EQ(e.pull_numbers, std::vector<std::int64_t>{42});
  EXPECT_TRUE(e.head_branch.empty()) << "an issue comment names no branch";
  EXPECT_EQ(e.body, "@codecrew please also update the README.");
  EXPECT_EQ(e.comment_id, 2571100042);
  EXPECT_EQ(e.author, "alice-reviewer");
  EXPECT_EQ(e.author_association, "OWNER");
}

TEST(WebhookEventTest, AnIssuesCommentIsIgnored) {
  auto e = parse("issue_comment", "issue_comment.created.issue.json");
  EXPECT_EQ(e.kind, HostEventKind::kIgnored);
  EXPECT_EQ(e.event, "issue_comment");
  EXPECT_EQ(e.action, "created");
  EXPECT_EQ(e.repository, "octo-org/widgets");
}

TEST(WebhookEventTest, OtherActionsAreIgnored) {
  auto labeled = parse("pull_request", "pull_request.labeled.json");
  EXPECT_EQ(labeled.kind, HostEventKind::kIgnored);
  EXPECT_EQ(labeled.action, "labeled");
  EXPECT_EQ(labeled.repository, "octo-org/widgets");
  EXPECT_EQ(parse("check_run", "check_run.requested_action.json").kind, HostEventKind::kIgnored);
}

TEST(WebhookEventTest, UnknownEventsAreIgnored) {
  for (const char* event : {"push", "star", "workflow_run", "installation", ""}) {
    auto e = parseWebhook(event, "d", R"({"action":"created","repository":{"full_name":"octo-org/widgets"}})");
    ASSERT_TRUE(e.ok()) << event;
    EXPECT_EQ(e->kind, HostEventKind::kIgnored) << event;
    EXPECT_EQ(e->repository, "octo-org/widgets");
  }
}

TEST(WebhookEventTest, NullsReadAsEmpty) {
  auto e = parseWebhook("check_run", "d", R"({"action":"created","check_run":{"id":5,"name":"lint","head_sha":"abc",
      "status":"queued","conclusion":null,"html_url":null,"details_url":"https://ci.example/5",
      "output":{"title":null,"summary":null,"text":null},"check_suite":{"head_branch":null},"pull_requests":[]},
      "repository":{"full_name":"octo-org/widgets"}})");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->kind, HostEventKind::kCheckRun);
  EXPECT_EQ(e->check_conclusion, "");
  EXPECT_EQ(e->head_branch, "");
  EXPECT_EQ(e->check_url, "https://ci.example/5") << "details_url when there is no html_url";
  EXPECT_EQ(e->check_summary, "");
}

TEST(WebhookEventTest, MalformedPayloadsAreInvalid) {
  for (const char* bad : {"", "{", "[1,2]", "\"text\"", "{\"action\": }"}) {
    auto e = parseWebhook("pull_request", "d", bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
  auto no_run = parseWebhook("check_run", "d", R"({"action":"completed"})");
  ASSERT_FALSE(no_run.ok());
  EXPECT_NE(no_run.error().message.find("check_run"), std::string::npos);
  EXPECT_FALSE(parseWebhook("pull_request_review", "d", R"({"action":"submitted","review":{}})").ok());
}

TEST(WebhookEventTest, AFormEncodedDeliveryCarriesItsPayloadField) {
  auto text = webhookPayloadText("application/x-www-form-urlencoded",
                                 "payload=%7B%22zen%22%3A%22Keep+it+logically+awesome.%22%7D");
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(*text, R"({"zen":"Keep it logically awesome."})");
  auto e = parseWebhook("ping", "d", *text);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->body, "Keep it logically awesome.");
  auto json = webhookPayloadText("application/json; charset=utf-8", "{\"a\":1}");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, "{\"a\":1}");
  EXPECT_FALSE(webhookPayloadText("application/x-www-form-urlencoded", "other=1").ok());
}

TEST(WebhookEventTest, KindNames) {
  EXPECT_EQ(hostEventKindName(HostEventKind::kCheckRun), "check_run");
  EXPECT_EQ(hostEventKindName(HostEventKind::kIgnored), "ignored");
}

}  // namespace
}  // namespace codecrew::integrations::github
