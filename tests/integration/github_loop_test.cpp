// The loop end to end against the real binary and the fake GitHub: a draft
// pull request against a non-main default branch; a signed check_run
// webhook reports a failure, the fix crew fixes, pushes and comments; a
// redelivery acts once; a stale sha is ignored; a passing check (naming no
// pull request, as a fork's) is stored; a review comment from a collaborator
// is answered in its thread, a drive-by's ignored; the same failure coming
// back stops the loop with a comment; a rerun adopts the open pull request
// and starts the loop afresh; the token never lands in the data directory or
// the server's log; failed suites and mentioning comments; the fix cap. The
// loop's timeline and GitHub call counts are printed for the issue's note.
#include "github_delivery_fixture.h"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace codecrew::testing {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

TEST_F(GitHubDeliveryTest, PullRequestChecksReviewsAndTheBoundedLoop) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  auto e1 = start(wf);
  auto x1 = approveThrough(wf, e1);
  ASSERT_EQ(x1.at("status").as_string(), "completed") << json::serialize(x1);

  // One draft pull request against the repository's default branch.
  auto pulls = github_->pulls("acme", "shop");
  ASSERT_EQ(pulls.size(), 1u);
  const std::string branch = branchOf(wf);
  EXPECT_EQ(pulls[0].head, branch);
  EXPECT_EQ(pulls[0].base, "trunk") << "never a hard-coded main";
  EXPECT_TRUE(pulls[0].draft);
  for (const char* part :
       {"## Goal", "## Plan", "## Tests", "## Review", "## Cost", "https://codecrew.example/workflows/"})
    EXPECT_NE(pulls[0].body.find(part), std::string::npos) << part << "\n" << pulls[0].body;
  EXPECT_TRUE(github_->fileAt("acme", "shop", branch, "wordcount.py").has_value());
  auto pr = pullRequest(wf);
  EXPECT_EQ(pr.at("number").as_int64(), pulls[0].number);
  EXPECT_EQ(pr.at("base_branch").as_string(), "trunk");
  EXPECT_EQ(pr.at("head_sha").as_string(), head(branch));
  EXPECT_EQ(pr.at("repository").as_string(), "acme/shop");
  EXPECT_EQ(pr.at("loop").at("state").as_string(), "idle");
  const std::int64_t number = pulls[0].number;
  const std::string sha1 = head(branch);

  // A failed check on the head: the fix crew fixes, pushes and comments.
  std::string failing = checkRunPayload(
      {.repository = "acme/shop",
       .name = "unit",
       .head_branch = branch,
       .head_sha = sha1,
       .conclusion = "failure",
       .pull_numbers = {number},
       .title = "1 failing test",
       .summary = "test_count failed",
       .text = "FAIL: test_count (test_wordcount.CountTest)\nAssertionError: 3 != 4"});
  auto seq0 = lastSeq(wf);
  auto hook = deliver("check_run", "d-1", failing);
  EXPECT_EQ(hook.status, 202) << hook.body;
  auto started = awaitEvent(wf, "delivery.follow_up_started", seq0);
  EXPECT_EQ(started.at("kind").as_string(), "fix_checks");
  auto fix1 = newestEnded(wf, 2);
  EXPECT_EQ(fix1.at("status").as_string(), "completed") << json::serialize(fix1);
  const std::string sha2 = head(branch);
  EXPECT_NE(sha2, sha1) << "the fix was pushed";
  EXPECT_TRUE(github_->fileAt("acme", "shop", branch, "FIXES.md").has_value());
  auto comments = github_->comments("acme", "shop", number);
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_NE(comments[0].body.find("Fixed the failing checks"), std::string::npos) << comments[0].body;
  EXPECT_NE(comments[0].body.find("FIXES.md"), std::string::npos) << comments[0].body;
  pr = pullRequest(wf);
  EXPECT_EQ(pr.at("head_sha").as_string(), sha2);
  EXPECT_EQ(pr.at("loop").at("fix_attempts").as_int64(), 1);
  EXPECT_EQ(pr.at("loop").at("state").as_string(), "idle");

  // The same delivery again acts once.
  auto again = deliver("check_run", "d-1", failing);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find("duplicate"), std::string::npos) << again.body;

  // A result for the old head is ignored.
  seq0 = lastSeq(wf);
  EXPECT_EQ(deliver("check_run", "d-2", failing).status, 202);
  auto ignored = awaitEvent(wf, "delivery.check_ignored", seq0);
  EXPECT_EQ(ignored.at("head_sha").as_string(), sha1);
  EXPECT_EQ(executions(wf).size(), 2u);

  // A passing check on the new head is stored; it names no pull request
  // (as a fork's check runs do): found by branch.
  seq0 = lastSeq(wf);
  EXPECT_EQ(deliver("check_run", "d-3",
                    checkRunPayload({.repository = "acme/shop",
                                     .name = "unit",
                                     .head_branch = branch,
                                     .head_sha = sha2,
                                     .conclusion = "success",
                                     .pull_numbers = {},
                                     .title = "all tests pass"}))
                .status,
            202);
  awaitEvent(wf, "delivery.check", seq0);
  auto checks = call("GET", "/workflows/" + std::to_string(wf) + "/pr/checks").json();
  ASSERT_EQ(checks.at("total").as_int64(), 1);
  EXPECT_EQ(checks.at("checks").at(0).at("conclusion").as_string(), "success");
  EXPECT_EQ(checks.at("checks").at(0).at("head_sha").as_string(), sha2);

  // A review comment from someone without write access is not acted on;
  // one from a collaborator gets a follow-up and a reply in its thread.
  auto reviewComment = [&](const std::string& user, const std::string& association, std::int64_t comment) {
    return reviewCommentPayload({.repository = "acme/shop",
                                 .number = number,
                                 .head_branch = branch,
                                 .head_sha = head(branch),
                                 .comment_id = comment,
                                 .path = "wordcount.py",
                                 .line = 3,
                                 .body = "@codecrew please handle an empty file",
                                 .user = user,
                                 .author_association = association});
  };
  auto comment_id = github_->addReviewComment("acme", "shop", number, "wordcount.py", 3,
                                              "@codecrew please handle an empty file");
  seq0 = lastSeq(wf);
  EXPECT_EQ(deliver("pull_request_review_comment", "d-4", reviewComment("drive-by", "NONE", comment_id)).status, 202);
  awaitEvent(wf, "delivery.review_ignored", seq0);
  EXPECT_EQ(
      deliver("pull_request_review_comment", "d-5", reviewComment("alice-reviewer", "COLLABORATOR", comment_id)).status,
      202);
  auto fix2 = newestEnded(wf, 3);
  EXPECT_EQ(fix2.at("status").as_string(), "completed") << json::serialize(fix2);
  const std::string sha3 = head(branch);
  EXPECT_NE(sha3, sha2);
  auto thread = github_->reviewComments("acme", "shop", number);
  ASSERT_EQ(thread.size(), 2u);
  EXPECT_EQ(thread[1].in_reply_to_id, comment_id);
  EXPECT_NE(thread[1].body.find("Addressed the review"), std::string::npos) << thread[1].body;

  // The first failure comes back after its fix: the loop stops and says why.
  std::string back = failing;
  auto at = back.find(sha1);
  while (at != std::string::npos) {
    back.replace(at, sha1.size(), sha3);
    at = back.find(sha1, at + sha3.size());
  }
  seq0 = lastSeq(wf);
  EXPECT_EQ(deliver("check_run", "d-6", back).status, 202);
  auto stopped = awaitEvent(wf, "delivery.needs_human", seq0);
  EXPECT_NE(stopped.at("reason").as_string().find("same failure"), std::string::npos);
  pr = pullRequest(wf);
  EXPECT_EQ(pr.at("loop").at("state").as_string(), "needs_human");
  comments = github_->comments("acme", "shop", number);
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_NE(comments[1].body.find("A person needs to look"), std::string::npos) << comments[1].body;
  EXPECT_EQ(executions(wf).size(), 3u) << "no follow-up once stopped";

  // A rerun builds on the pushed branch and adopts the open pull request.
  auto e4 = start(wf);
  auto x4 = approveThrough(wf, e4);
  EXPECT_EQ(x4.at("status").as_string(), "completed") << json::serialize(x4);
  EXPECT_EQ(github_->pullCreateCount(), 1) << "a rerun never opens a second pull request";
  EXPECT_EQ(github_->pulls("acme", "shop").size(), 1u);
  pr = pullRequest(wf);
  EXPECT_EQ(pr.at("loop").at("state").as_string(), "idle") << "a person's new execution starts the loop afresh";
  EXPECT_EQ(pr.at("loop").at("fix_attempts").as_int64(), 0);

  // The token is in no file of the data directory and not in the log.
  const std::string token = github_->options().token;
  for (const auto& f : fs::recursive_directory_iterator(dir_.str())) {
    if (!f.is_regular_file()) continue;
    EXPECT_EQ(readFile(f.path()).find(token), std::string::npos) << f.path();
  }
  EXPECT_EQ(server_->stderrText().find(token), std::string::npos);

  // The loop's timeline, for the issue's note.
  auto events = db().listEvents(tenantId("acme"), wf, 0, 1000);
  ASSERT_TRUE(events.ok());
  const auto t0 = events->front().created_at;
  for (const auto& ev : *events)
    if (ev.type.rfind("delivery.", 0) == 0 || ev.type == "execution.status")
      std::printf("timeline +%6.2fs %-32s %s\n", (ev.created_at - t0) / 1000.0, ev.type.c_str(),
                  json::serialize(ev.data).substr(0, 140).c_str());
  int rest = 0;
  for (const auto& r : github_->requests()) rest += r.kind == "rest" ? 1 : 0;
  std::printf("github REST calls in all: %d\n", rest);
}

// A failed check suite names no run: the loop reads the head's runs from
// GitHub and fixes the failing one; a comment on the pull request that
// mentions @codecrew (an issue_comment, which names no branch) is answered.
// Prints the GitHub calls each event cost, for the issue's note.
TEST_F(GitHubDeliveryTest, FailedSuitesAndMentioningCommentsAreAnswered) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  ASSERT_EQ(approveThrough(wf, start(wf)).at("status").as_string(), "completed");
  const std::string branch = branchOf(wf);
  const auto number = github_->pulls("acme", "shop").at(0).number;
  auto restCalls = [&] {
    int n = 0;
    for (const auto& r : github_->requests()) n += r.kind == "rest" ? 1 : 0;
    return n;
  };
  const int after_open = restCalls();
  const std::string sha1 = head(branch);
  github_->setCheckRuns(sha1, {{.name = "lint", .conclusion = "success"},
                               {.name = "unit",
                                .conclusion = "failure",
                                .title = "1 failing test",
                                .summary = "test_empty failed",
                                .text = "FAIL: test_empty\nAssertionError"}});
  EXPECT_EQ(deliver("check_suite", "s-1",
                    checkSuitePayload({.repository = "acme/shop",
                                       .head_branch = branch,
                                       .head_sha = sha1,
                                       .conclusion = "failure",
                                       .pull_numbers = {number}}))
                .status,
            202);
  auto fix = newestEnded(wf, 2);
  EXPECT_EQ(fix.at("status").as_string(), "completed") << json::serialize(fix);
  EXPECT_NE(head(branch), sha1);
  auto checks = call("GET", "/workflows/" + std::to_string(wf) + "/pr/checks").json();
  EXPECT_EQ(checks.at("total").as_int64(), 0) << "the fix's push moved the head: the old runs are gone";
  auto comments = github_->comments("acme", "shop", number);
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_NE(comments[0].body.find("Fixed the failing checks"), std::string::npos);
  const int after_suite = restCalls();

  EXPECT_EQ(deliver("issue_comment", "s-2",
                    issueCommentPayload({.repository = "acme/shop",
                                         .number = number,
                                         .body = "@codecrew please also update the README.",
                                         .user = "owner-olga",
                                         .author_association = "OWNER"}))
                .status,
            202);
  auto answer = newestEnded(wf, 3);
  EXPECT_EQ(answer.at("status").as_string(), "completed") << json::serialize(answer);
  comments = github_->comments("acme", "shop", number);
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_NE(comments[1].body.find("Addressed the review"), std::string::npos) << comments[1].body;
  std::printf("github REST calls: open a pull request %d, a failed suite %d (refresh 3 + comment), a comment %d\n",
              after_open, after_suite - after_open, restCalls() - after_suite);
}

// [github] max_fix_attempts caps the loop: past it, a new failure stops it
// with a comment instead of another follow-up.
class GitHubDeliveryCapTest : public GitHubDeliveryTest {
 protected:
  std::vector<std::string> serverArgs() const override {
    return argsWithConfig(config_, "[github]\nmax_fix_attempts = 1\n");
  }
  TempDir config_;
};

TEST_F(GitHubDeliveryCapTest, TheFixCapStopsTheLoopWithAComment) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  ASSERT_EQ(approveThrough(wf, start(wf)).at("status").as_string(), "completed");
  const std::string branch = branchOf(wf);
  const auto number = github_->pulls("acme", "shop").at(0).number;
  auto failure = [&](const std::string& name, const std::string& sha) {
    return checkRunPayload({.repository = "acme/shop",
                            .name = name,
                            .head_branch = branch,
                            .head_sha = sha,
                            .conclusion = "failure",
                            .pull_numbers = {number},
                            .summary = name + " failed",
                            .text = "error in " + name});
  };
  EXPECT_EQ(deliver("check_run", "c-1", failure("unit", head(branch))).status, 202);
  ASSERT_EQ(newestEnded(wf, 2).at("status").as_string(), "completed");
  auto seq0 = lastSeq(wf);
  EXPECT_EQ(deliver("check_run", "c-2", failure("lint", head(branch))).status, 202);
  auto stopped = awaitEvent(wf, "delivery.needs_human", seq0);
  EXPECT_NE(stopped.at("reason").as_string().find("the limit is 1"), std::string::npos) << json::serialize(stopped);
  EXPECT_EQ(executions(wf).size(), 2u);
  auto comments = github_->comments("acme", "shop", number);
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_NE(comments[1].body.find("max_fix_attempts"), std::string::npos) << comments[1].body;
}

}  // namespace
}  // namespace codecrew::testing
