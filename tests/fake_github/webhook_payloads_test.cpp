// The payload builders make what codecrew's webhook parser reads as the
// event the test meant, and sign as GitHub does (its published vector).
#include "webhook_payloads.h"
#include "integrations/github/webhook_event.h"
#include "integrations/github/webhook_signature.h"

#include <gtest/gtest.h>

namespace codecrew::testing {
namespace {

namespace github = integrations::github;
constexpr const char* kSha = "3f786850e387550fdab836ed7e6dc881de23001b";

github::HostEvent read(const std::string& event, const std::string& body) {
  auto e = github::parseWebhook(event, "guid", body);
  EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message) << "\n" << body;
  return e.ok() ? *e : github::HostEvent{};
}

TEST(WebhookPayloadsTest, SignedAsGitHubSigns) {
  EXPECT_EQ(signatureFor("It's a Secret to Everybody", "Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  auto body = pingPayload({});
  std::string signature;
  for (const auto& [k, v] : webhookHeaders("ping", "guid-1", "s", body))
    if (k == "X-Hub-Signature-256") signature = v;
  EXPECT_TRUE(github::verifyWebhookSignature("s", body, signature).ok());
}

TEST(WebhookPayloadsTest, PingAndPullRequest) {
  auto ping = read("ping", pingPayload({.repository = "octo/app", .zen = "Keep it simple."}));
  EXPECT_EQ(ping.kind, github::HostEventKind::kPing);
  EXPECT_EQ(ping.repository, "octo/app");
  EXPECT_EQ(ping.body, "Keep it simple.");

  auto merged = read("pull_request", pullRequestPayload({.action = "closed",
                                                         .repository = "octo/app",
                                                         .number = 4,
                                                         .head_branch = "codecrew/wf-9",
                                                         .head_sha = kSha,
                                                         .state = "closed",
                                                         .merged = true}));
  EXPECT_EQ(merged.kind, github::HostEventKind::kPullRequest);
  EXPECT_EQ(merged.action, "closed");
  EXPECT_EQ(merged.pull_numbers, std::vector<std::int64_t>{4});
  EXPECT_EQ(merged.head_branch, "codecrew/wf-9");
  EXPECT_EQ(merged.head_sha, kSha);
  EXPECT_EQ(merged.pr_state, "closed");
  EXPECT_TRUE(merged.merged);
  EXPECT_EQ(read("pull_request", pullRequestPayload({.action = "labeled"})).kind, github::HostEventKind::kIgnored);
}

TEST(WebhookPayloadsTest, ChecksOfOursAndOfAFork) {
  auto run = read("check_run", checkRunPayload({.repository = "octo/app",
                                                .name = "test",
                                                .head_branch = "codecrew/wf-9",
                                                .head_sha = kSha,
                                                .pull_numbers = {4},
                                                .summary = "2 failed",
                                                .text = "FAILED test_a"}));
  EXPECT_EQ(run.kind, github::HostEventKind::kCheckRun);
  EXPECT_EQ(run.check_name, "test");
  EXPECT_EQ(run.check_conclusion, "failure");
  EXPECT_EQ(run.head_branch, "codecrew/wf-9");
  EXPECT_EQ(run.pull_numbers, std::vector<std::int64_t>{4});
  EXPECT_EQ(run.check_summary, "1 failing test\n\n2 failed");
  EXPECT_EQ(run.check_text, "FAILED test_a");
  EXPECT_FALSE(run.check_url.empty());

  auto fork = read("check_run", checkRunPayload({.head_branch = "patch-1", .head_sha = kSha}));
  EXPECT_TRUE(fork.pull_numbers.empty());
  auto running = read("check_run", checkRunPayload({.action = "created", .status = "in_progress", .conclusion = ""}));
  EXPECT_EQ(running.check_status, "in_progress");
  EXPECT_EQ(running.check_conclusion, "");

  auto suite = read("check_suite", checkSuitePayload({.head_branch = "codecrew/wf-9",
                                                      .head_sha = kSha,
                                                      .conclusion = "success",
                                                      .pull_numbers = {4}}));
  EXPECT_EQ(suite.kind, github::HostEventKind::kCheckSuite);
  EXPECT_EQ(suite.check_conclusion, "success");
  EXPECT_EQ(suite.check_name, "GitHub Actions");
  EXPECT_EQ(suite.pull_numbers, std::vector<std::int64_t>{4});
}

TEST(WebhookPayloadsTest, ReviewsAndComments) {
  auto review = read("pull_request_review", reviewPayload({.number = 4,
                                                           .head_branch = "codecrew/wf-9",
                                                           .head_sha = kSha,
                                                           .state = "approved",
                                                           .body = "LGTM",
                                                           .user = "bob",
                                                           .author_association = "OWNER"}));
  EXPECT_EQ(review.kind, github::HostEventKind::kReview);
  EXPECT_EQ(review.review_state, "approved");
  EXPECT_EQ(review.body, "LGTM");
  EXPECT_EQ(review.author, "bob");
  EXPECT_EQ(review.author_association, "OWNER");
  EXPECT_EQ(review.head_sha, kSha);

  auto comment = read("pull_request_review_comment", reviewCommentPayload({.number = 4,
                                                                           .head_branch = "codecrew/wf-9",
                                                                           .head_sha = kSha,
                                                                           .comment_id = 77,
                                                                           .path = "src/a.py",
                                                                           .line = 12}));
  EXPECT_EQ(comment.kind, github::HostEventKind::kReviewComment);
  EXPECT_EQ(comment.comment_id, 77);
  EXPECT_EQ(comment.comment_path, "src/a.py");
  EXPECT_EQ(comment.comment_line, 12);
  EXPECT_EQ(comment.author_association, "COLLABORATOR");

  auto on_pull = read("issue_comment", issueCommentPayload({.number = 4, .body = "@codecrew rename it"}));
  EXPECT_EQ(on_pull.kind, github::HostEventKind::kIssueComment);
  EXPECT_EQ(on_pull.pull_numbers, std::vector<std::int64_t>{4});
  EXPECT_EQ(on_pull.body, "@codecrew rename it");
  EXPECT_EQ(read("issue_comment", issueCommentPayload({.on_pull_request = false})).kind,
            github::HostEventKind::kIgnored);
}

}  // namespace
}  // namespace codecrew::testing
