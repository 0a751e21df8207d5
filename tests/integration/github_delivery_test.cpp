// Delivery to GitHub end to end: the real server, a fake GitHub Enterprise
// on loopback (REST, and git over smart HTTP through `git http-backend`, so
// clones and pushes are real), the sdlc crew replaying a hand-written
// cassette. A workflow on https://<fake>/acme/shop (default branch "trunk")
// runs, pushes its branch and opens a draft pull request against trunk; a
// signed check_run webhook reports a failure and the fix crew fixes, pushes
// and comments; a redelivery acts once; a stale sha is ignored; a passing
// check is stored; a review requesting changes is answered in its thread;
// the same failure coming back stops the loop with a comment; a rerun adopts
// the open pull request; the token never lands in the data directory or the
// server's log. The timeline of the loop is printed for the issue's note.
#include "delivery/github_delivery.h"
#include "engine_api_fixture.h"
#include "fake_github/fake_github.h"
#include "fake_github/webhook_payloads.h"
#include "fake_jira.h"
#include "http/client/beast_http_client.h"
#include "tools/git/git_remote.h"
#include "tools/git/git_repository.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace codecrew::testing {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kDeliveryCassette = fs::path(CODECREW_SOURCE_DIR) / "tests" / "data" / "delivery" /
                                   "delivery.cassette.jsonl";
constexpr const char* kSecret = "whsec-test-0123";

class GitHubDeliveryTest : public EngineApiTest {
 protected:
  void SetUp() override {
    github_ = std::make_unique<FakeGitHub>();
    ASSERT_TRUE(github_->start().ok());
    ASSERT_TRUE(github_->createRepository("acme", "shop", "trunk", {{"README.md", "# shop\n"}}).ok());
    EngineApiTest::SetUp();
  }
  fs::path cassette() const override { return kDeliveryCassette; }
  std::map<std::string, std::string> serverEnv() const override {
    return {{"GITHUB_TOKEN", github_->options().token},
            {"GITHUB_API_URL", github_->apiUrl()},
            {"GITHUB_SERVER_URL", github_->baseUrl()},
            {"GITHUB_WEBHOOK_SECRET", kSecret},
            {"CODECREW_PUBLIC_URL", "https://codecrew.example"}};
  }

  core::Id createShopWorkflow() {
    json::object body{{"name", "Word count"},
                      {"description", "A python3 wordcount.py with unit tests"},
                      {"crew", "sdlc"},
                      {"repository_url", github_->baseUrl() + "/acme/shop"}};
    auto r = call("POST", "/workflows", json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("id").as_int64();
  }

  HttpResult deliver(const std::string& event, const std::string& delivery, const std::string& body) {
    HeaderList headers;
    for (auto& [k, v] : webhookHeaders(event, delivery, kSecret, body)) headers.emplace_back(k, v);
    return call("POST", "/webhooks/github", body, "none", headers);
  }

  json::array executions(core::Id wf) {
    auto r = call("GET", "/workflows/" + std::to_string(wf) + "/executions?page_size=50");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("executions").as_array();
  }

  // Waits until the workflow has n executions and the newest has ended.
  json::object newestEnded(core::Id wf, std::size_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      auto list = executions(wf);
      if (list.size() >= n) {
        json::object newest;
        for (const auto& x : list)
          if (newest.empty() || x.at("id").as_int64() > newest.at("id").as_int64()) newest = x.as_object();
        auto s = newest.at("status").as_string();
        if (s == "completed" || s == "failed" || s == "cancelled") return newest;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "no ended execution #" << n << " of workflow " << wf;
    return {};
  }

  json::object pullRequest(core::Id wf) {
    auto r = call("GET", "/workflows/" + std::to_string(wf) + "/pr");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().as_object() : json::object();
  }

  // Waits for a workflow event of this type (after seq `after`); its data.
  json::object awaitEvent(core::Id wf, const std::string& type, std::int64_t after = 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto events = db().listEvents(tenantId("acme"), wf, after, 1000);
      if (events)
        for (const auto& e : *events)
          if (e.type == type) return e.data.as_object();
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "no " << type << " event";
    return {};
  }

  std::int64_t lastSeq(core::Id wf) {
    auto events = db().listEvents(tenantId("acme"), wf, 0, 1000);
    return events && !events->empty() ? events->back().seq : 0;
  }

  std::string head(const std::string& branch) { return github_->branchSha("acme", "shop", branch).value_or(""); }

  std::unique_ptr<FakeGitHub> github_;
};

TEST_F(GitHubDeliveryTest, PullRequestChecksReviewsAndTheBoundedLoop) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  auto e1 = start(wf);
  auto x1 = approveThrough(wf, e1);
  ASSERT_EQ(x1.at("status").as_string(), "completed") << json::serialize(x1);

  // One draft pull request against the repository's default branch.
  auto pulls = github_->pulls("acme", "shop");
  ASSERT_EQ(pulls.size(), 1u);
  const std::string branch = "codecrew/wf" + std::to_string(wf) + "-word-count";
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
  auto comment_id = github_->addReviewComment("acme", "shop", number, "wordcount.py", 3,
                                              "@codecrew please handle an empty file");
  seq0 = lastSeq(wf);
  EXPECT_EQ(deliver("pull_request_review_comment", "d-4",
                    reviewCommentPayload({.repository = "acme/shop",
                                          .number = number,
                                          .head_branch = branch,
                                          .head_sha = sha2,
                                          .comment_id = comment_id,
                                          .path = "wordcount.py",
                                          .line = 3,
                                          .body = "@codecrew please handle an empty file",
                                          .user = "drive-by",
                                          .author_association = "NONE"}))
                .status,
            202);
  awaitEvent(wf, "delivery.review_ignored", seq0);
  EXPECT_EQ(deliver("pull_request_review_comment", "d-5",
                    reviewCommentPayload({.repository = "acme/shop",
                                          .number = number,
                                          .head_branch = branch,
                                          .head_sha = sha2,
                                          .comment_id = comment_id,
                                          .path = "wordcount.py",
                                          .line = 3,
                                          .body = "@codecrew please handle an empty file",
                                          .user = "alice-reviewer",
                                          .author_association = "COLLABORATOR"}))
                .status,
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

// GitHub answers 422 "already exists" to the open (a pull request appeared
// between the look-up and the open): it is adopted, not a second one.
TEST_F(GitHubDeliveryTest, AnAlreadyExistsAnswerAdoptsTheOpenPullRequest) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  auto first = approveThrough(wf, start(wf));
  ASSERT_EQ(first.at("status").as_string(), "completed") << json::serialize(first);
  ASSERT_EQ(github_->pullCreateCount(), 1);
  // A rerun whose look-up misses the open pull request (as if it were
  // opened a moment later): the open gets 422 and adopts it.
  auto e = start(wf);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool faulted = false;
  while (std::chrono::steady_clock::now() < deadline) {
    auto x = execution(wf, e);
    if (x.at("status").as_string() == "completed" || x.at("status").as_string() == "failed") break;
    auto pending = call("GET", "/approvals?execution_id=" + std::to_string(e)).json();
    if (pending.at("total").as_int64() > 0) {
      const auto& gate = pending.at("approvals").at(0);
      if (gate.at("gate").as_string() == "before:DEPLOY" && !faulted) {
        github_->queueFault({200, {}, "[]"});  // the next REST call: the look-up
        faulted = true;
      }
      EXPECT_EQ(decide(gate.at("id").as_int64(), "approve").status, 200);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(faulted);
  auto x = execution(wf, e);
  EXPECT_EQ(x.at("status").as_string(), "completed") << json::serialize(x);
  EXPECT_EQ(github_->pullCreateCount(), 2) << "the first open and the refused one";
  ASSERT_EQ(github_->pulls("acme", "shop").size(), 1u);
  EXPECT_EQ(pullRequest(wf).at("number").as_int64(), github_->pulls("acme", "shop")[0].number);
  auto events = db().listEvents(tenantId("acme"), wf, 0, 1000);
  ASSERT_TRUE(events.ok());
  std::vector<json::object> deliveries;
  for (const auto& ev : *events)
    if (ev.type == "delivery.pull_request") deliveries.push_back(ev.data.as_object());
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_TRUE(deliveries[0].at("opened").as_bool());
  EXPECT_TRUE(deliveries[1].at("adopted").as_bool());
}

// A failed check suite names no run: the loop reads the head's runs from
// GitHub and fixes the failing one; a comment on the pull request that
// mentions @codecrew (an issue_comment, which names no branch) is answered.
// Prints the GitHub calls each event cost, for the issue's note.
TEST_F(GitHubDeliveryTest, FailedSuitesAndMentioningCommentsAreAnswered) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  ASSERT_EQ(approveThrough(wf, start(wf)).at("status").as_string(), "completed");
  const std::string branch = "codecrew/wf" + std::to_string(wf) + "-word-count";
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

// People push to pull requests too: the three refreshes read the pull
// request (its new head), its diffs and the crew's artifact files back from
// GitHub in the background; a second artifact refresh adds nothing.
TEST_F(GitHubDeliveryTest, RefreshesReadThePullRequestDiffsAndArtifactsBack) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  ASSERT_EQ(approveThrough(wf, start(wf)).at("status").as_string(), "completed");
  const std::string branch = "codecrew/wf" + std::to_string(wf) + "-word-count";
  const std::string w = "/workflows/" + std::to_string(wf);
  EXPECT_EQ(call("POST", w + "/diffs/refresh", "", viewer_key_).status, 403);
  // A person's commit on the branch: code and the design document.
  TempDir clone;
  tools::RemoteAccess remote{github_->baseUrl() + "/acme/shop", github_->options().token};
  const std::string dir = (fs::path(clone.str()) / "c").string();
  ASSERT_TRUE(tools::cloneRemote(remote, dir, branch).ok());
  std::ofstream(fs::path(dir) / "wordcount.py", std::ios::app) << "# reviewed by a person\n";
  std::ofstream(fs::path(dir) / "docs" / "crew" / "design.md") << "# Design\n\nRevised by a person.\n";
  ASSERT_TRUE(tools::GitRepository::open(dir)->commitAll({"Olga", "olga@example.com"}, "review fixes").ok());
  ASSERT_TRUE(tools::pushHead(remote, dir, branch).ok());

  auto refreshed = [&](const std::string& what, std::int64_t after) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto events = db().listEvents(tenantId("acme"), wf, after, 1000);
      for (const auto& e : *events)
        if (e.type == "delivery.refreshed" && e.data.at("what").as_string() == what) return e.data.as_object();
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "no refresh of " << what;
    return json::object();
  };
  auto seq = lastSeq(wf);
  auto queued = call("POST", w + "/pr/refresh");
  EXPECT_EQ(queued.status, 202) << queued.body;
  refreshed("pull_request", seq);
  EXPECT_EQ(pullRequest(wf).at("head_sha").as_string(), head(branch));

  auto before = call("GET", w + "/diffs?path=wordcount.py").json().at("total").as_int64();
  seq = lastSeq(wf);
  EXPECT_EQ(call("POST", w + "/diffs/refresh").status, 202);
  EXPECT_GE(refreshed("diffs", seq).at("added").as_int64(), 1);
  auto diffs = call("GET", w + "/diffs?path=wordcount.py&page_size=50").json();
  ASSERT_EQ(diffs.at("total").as_int64(), before + 1);
  const auto& newest = diffs.at("diffs").as_array().back();
  EXPECT_TRUE(newest.at("execution_id").is_null());
  EXPECT_NE(newest.at("diff").as_string().find("+# reviewed by a person"), std::string::npos);

  seq = lastSeq(wf);
  EXPECT_EQ(call("POST", w + "/artifacts/refresh").status, 202);
  EXPECT_EQ(refreshed("artifacts", seq).at("added").as_int64(), 1) << "only the design changed";
  auto designs = call("GET", w + "/artifacts?kind=design&page_size=50").json();
  EXPECT_EQ(designs.at("artifacts").as_array().back().at("content").as_string(), "# Design\n\nRevised by a person.\n");
  seq = lastSeq(wf);
  EXPECT_EQ(call("POST", w + "/artifacts/refresh").status, 202);
  EXPECT_EQ(refreshed("artifacts", seq).at("added").as_int64(), 0);

  auto none = createShopWorkflow();  // no pull request yet
  EXPECT_EQ(call("POST", "/workflows/" + std::to_string(none) + "/pr/refresh").status, 404);
}

// A Jira story becomes a workflow on the repository, and its pull request
// is named by the story: branch codecrew/<key>-..., title "<KEY>: ...".
class JiraToGitHubTest : public GitHubDeliveryTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(jira_.start().ok());
    jira_.addIssue(makeIssue("SHOP-12", "Count words in files", adfParagraphs({"Shoppers upload text files."})));
    GitHubDeliveryTest::SetUp();
  }
  std::map<std::string, std::string> serverEnv() const override {
    auto env = GitHubDeliveryTest::serverEnv();
    env["NEGISHI_JIRA_BASE_URL"] = jira_.baseUrl();
    env["NEGISHI_JIRA_EMAIL"] = kFakeJiraEmail;
    env["NEGISHI_JIRA_API_TOKEN"] = kFakeJiraToken;
    return env;
  }
  FakeJira jira_;
};

TEST_F(JiraToGitHubTest, AStoryBecomesAPullRequestNamedByItsKey) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  json::object options{{"repository_url", github_->baseUrl() + "/acme/shop"}};
  EXPECT_EQ(call("POST", "/workflows/from-jira/SHOP-12", R"({"repository_url": 5})").status, 400)
      << "a bad body is refused before Jira is asked";
  auto made = call("POST", "/workflows/from-jira/SHOP-12", json::serialize(options));
  ASSERT_EQ(made.status, 200) << made.body;
  EXPECT_EQ(made.json().at("message").as_string(), "Workflow created successfully for SHOP-12");
  auto wf = made.json().at("workflow_id").as_int64();
  auto x = approveThrough(wf, start(wf));
  ASSERT_EQ(x.at("status").as_string(), "completed") << json::serialize(x);
  auto pulls = github_->pulls("acme", "shop");
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].head, "codecrew/shop-12-count-words-in-files");
  EXPECT_EQ(pulls[0].title, "SHOP-12: Count words in files");
  EXPECT_NE(pulls[0].body.find("Shoppers upload text files."), std::string::npos) << pulls[0].body;
}

// A delivery GitHub refuses fails the execution resumably with the reason;
// once the cause is gone a resume delivers, without running the crew again.
TEST_F(GitHubDeliveryTest, ARefusedDeliveryFailsResumablyAndAResumeDelivers) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  auto e = start(wf);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  json::object x;
  while (std::chrono::steady_clock::now() < deadline) {
    x = execution(wf, e);
    if (x.at("status").as_string() == "failed" || x.at("status").as_string() == "completed") break;
    auto pending = call("GET", "/approvals?execution_id=" + std::to_string(e)).json();
    if (pending.at("total").as_int64() > 0) {
      const auto& gate = pending.at("approvals").at(0);
      if (gate.at("gate").as_string() == "before:DEPLOY")
        github_->queueFault({403, {}, R"({"message": "Resource not accessible by integration"})"});
      EXPECT_EQ(decide(gate.at("id").as_int64(), "approve").status, 200);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(x.at("status").as_string(), "failed") << json::serialize(x);
  const std::string error(x.at("error").as_string());
  EXPECT_NE(error.find("Resource not accessible by integration"), std::string::npos) << error;
  EXPECT_NE(error.find("/resume"), std::string::npos) << error;
  EXPECT_TRUE(github_->pulls("acme", "shop").empty());
  const auto calls_before = x.at("total_calls").as_int64();
  auto resumed = call("POST", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e) + "/resume");
  ASSERT_EQ(resumed.status, 202) << resumed.body;
  auto done = approveThrough(wf, e);
  EXPECT_EQ(done.at("status").as_string(), "completed") << json::serialize(done);
  EXPECT_EQ(github_->pulls("acme", "shop").size(), 1u);
  EXPECT_GE(done.at("total_calls").as_int64(), calls_before);
  EXPECT_LE(done.at("total_calls").as_int64(), calls_before + 4) << "only DEPLOY and MONITOR ran after the resume";
}

// A branch that adds nothing to the default branch opens no pull request
// (GitHub's 422 "No commits between" is not a failure): the outcome says
// number 0 and no row is stored.
TEST(GitHubDeliveryUnit, NothingOverTheDefaultBranchOpensNoPullRequest) {
  FakeGitHub github;
  ASSERT_TRUE(github.start().ok());
  ASSERT_TRUE(github.createRepository("acme", "same", "trunk").ok());
  TempDir dir;
  auto clock = core::SystemClock::instance();
  auto db = store::openSqliteStore((fs::path(dir.str()) / "db.sqlite").string(), clock);
  ASSERT_TRUE(db.ok()) << db.error().message;
  std::shared_ptr<store::Store> st = std::move(db).value();
  auto tenant = st->ensureTenant("acme");
  ASSERT_TRUE(tenant.ok());
  store::Workflow w;
  w.tenant_id = tenant->id;
  w.name = "nothing";
  auto wf = st->createWorkflow(w);
  ASSERT_TRUE(wf.ok());
  integrations::github::GitHubConfig config;
  config.api_url = github.apiUrl();
  config.web_url = github.baseUrl();
  config.token = github.options().token;
  integrations::RestClientOptions rest;
  rest.authorization = "Bearer " + config.token;
  auto client = std::make_shared<integrations::github::GitHubClient>(
      std::make_shared<integrations::RestClient>(std::make_shared<http::BeastHttpClient>(),
                                                 std::make_shared<llm::AsioSleeper>(), clock, rest),
      config.api_url);
  delivery::GitHubDelivery delivery(st, client, config);
  const std::string ws = (fs::path(dir.str()) / "ws").string();
  ASSERT_TRUE(tools::cloneRemote({github.baseUrl() + "/acme/same", config.token}, ws).ok());
  engine::DeliveryRequest req;
  req.tenant_id = tenant->id;
  req.workflow_id = wf->value.id;
  req.repository_url = github.baseUrl() + "/acme/same";
  req.workspace = ws;
  req.branch = "codecrew/wf1-nothing";
  req.title = "nothing";
  boost::asio::io_context io;
  std::optional<core::Result<engine::DeliveryOutcome>> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await delivery.deliver(req)); },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(out->ok()) << out->error().message;
  EXPECT_EQ((*out)->number, 0);
  EXPECT_TRUE(github.pulls("acme", "same").empty());
  EXPECT_FALSE(st->getPullRequest(tenant->id, wf->value.id)->has_value());
}

// [github] max_fix_attempts caps the loop: past it, a new failure stops it
// with a comment instead of another follow-up.
class GitHubDeliveryCapTest : public GitHubDeliveryTest {
 protected:
  std::vector<std::string> serverArgs() const override {
    auto args = GitHubDeliveryTest::serverArgs();
    args.insert(args.end(), {"--config", config_.write("codecrew.toml", "[github]\nmax_fix_attempts = 1\n").string()});
    return args;
  }
  TempDir config_;
};

TEST_F(GitHubDeliveryCapTest, TheFixCapStopsTheLoopWithAComment) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  ASSERT_EQ(approveThrough(wf, start(wf)).at("status").as_string(), "completed");
  const std::string branch = "codecrew/wf" + std::to_string(wf) + "-word-count";
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

// On a shared server each tenant reaches only its owners' repositories
// with the server's token: another tenant's start is refused up front and
// stores nothing.
class GitHubTenantOwnersTest : public GitHubDeliveryTest {
 protected:
  std::vector<std::string> serverArgs() const override {
    auto args = GitHubDeliveryTest::serverArgs();
    args.insert(args.end(), {"--config", config_
                                             .write("codecrew.toml",
                                                    "[github.tenants.acme]\nowners = [\"acme\"]\n"
                                                    "[github.tenants.globex]\nowners = [\"globex\"]\n")
                                             .string()});
    return args;
  }
  TempDir config_;
};

TEST_F(GitHubTenantOwnersTest, AnotherTenantsOwnerIsRefusedAtStart) {
  json::object body{{"name", "peek"}, {"crew", "sdlc"}, {"repository_url", github_->baseUrl() + "/acme/shop"}};
  auto theirs = call("POST", "/workflows", json::serialize(body), other_key_);
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  auto wf = theirs.json().at("id").as_int64();
  auto refused = call("POST", "/workflows/" + std::to_string(wf) + "/executions/start", "", other_key_);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("[github.tenants.globex] owners"), std::string::npos) << refused.body;
  auto none = call("GET", "/workflows/" + std::to_string(wf) + "/executions", "", other_key_);
  EXPECT_EQ(none.json().at("total").as_int64(), 0);
  for (const auto& r : github_->requests()) EXPECT_NE(r.kind, "git") << "nothing was cloned";
  if (!sandboxWorks()) return;
  auto ours = createShopWorkflow();  // acme's own repository: runs and delivers
  EXPECT_EQ(approveThrough(ours, start(ours)).at("status").as_string(), "completed");
}

// git against the fake host: the token works from the environment only
// (nothing in the clone's .git/config), a push never forces, and a change
// to .github/workflows/ without the workflow scope is refused with a
// message that names the permission.
TEST(GitRemote, TokenStaysOutOfTheCloneAndPushesNeverForce) {
  FakeGitHub github;
  ASSERT_TRUE(github.start().ok());
  ASSERT_TRUE(github.createRepository("acme", "app", "trunk").ok());
  TempDir dir;
  const std::string token = github.options().token;
  tools::RemoteAccess remote{github.baseUrl() + "/acme/app", token};
  auto clone = tools::cloneRemote(remote, (fs::path(dir.str()) / "a").string(), "codecrew/x");
  ASSERT_TRUE(clone.ok()) << clone.error().message;
  EXPECT_EQ(clone->branch, "trunk");
  EXPECT_FALSE(clone->had_branch);
  std::ifstream config(fs::path(dir.str()) / "a" / ".git" / "config");
  std::string text((std::istreambuf_iterator<char>(config)), {});
  EXPECT_EQ(text.find(token), std::string::npos);
  EXPECT_EQ(text.find("extraHeader"), std::string::npos);
  auto anonymous = tools::cloneRemote({remote.url, ""}, (fs::path(dir.str()) / "b").string());
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.error().code, core::ErrorCode::kUnauthenticated) << anonymous.error().message;

  auto commit = [&](const std::string& repo, const std::string& path, const std::string& content) {
    fs::create_directories((fs::path(repo) / path).parent_path());
    std::ofstream(fs::path(repo) / path) << content;
    auto r = tools::GitRepository::open(repo);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->commitAll({"t", "t@example.com"}, "change " + path).ok());
  };
  const std::string a = (fs::path(dir.str()) / "a").string();
  commit(a, "one.txt", "1\n");
  ASSERT_TRUE(tools::pushHead(remote, a, "codecrew/x").ok());
  EXPECT_EQ(github.branchSha("acme", "app", "codecrew/x"), tools::GitRepository::open(a)->headCommit().value());
  // Another clone moves the branch elsewhere: a's next push is refused.
  auto c = tools::cloneRemote(remote, (fs::path(dir.str()) / "c").string(), "codecrew/x");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->had_branch);
  const std::string cdir = (fs::path(dir.str()) / "c").string();
  commit(cdir, "two.txt", "2\n");
  ASSERT_TRUE(tools::pushHead(remote, cdir, "codecrew/x").ok());
  commit(a, "three.txt", "3\n");
  auto refused = tools::pushHead(remote, a, "codecrew/x");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kFailedPrecondition) << refused.error().message;
  EXPECT_NE(refused.error().message.find("never force-pushes"), std::string::npos);

  github.setScopes({"repo"});
  commit(cdir, ".github/workflows/ci.yml", "on: push\n");
  auto scoped = tools::pushHead(remote, cdir, "codecrew/x");
  ASSERT_FALSE(scoped.ok());
  EXPECT_EQ(scoped.error().code, core::ErrorCode::kPermissionDenied) << scoped.error().message;
  EXPECT_NE(scoped.error().message.find("`workflow` scope"), std::string::npos) << scoped.error().message;
  EXPECT_EQ(scoped.error().message.find(token), std::string::npos);
}

}  // namespace
}  // namespace codecrew::testing
