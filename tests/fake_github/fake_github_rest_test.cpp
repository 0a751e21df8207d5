// The fake GitHub's REST side over HTTP: the token, the rate-limit and
// scope headers, pull requests (create, 422 duplicate and unknown head,
// list by head, get with the branch's commit, close, files), check runs
// and statuses per commit, comments and replies, scripted faults.
#include "support/http_client.h"
#include "test_workdir.h"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>

namespace codecrew::testing {
namespace {

namespace json = boost::json;

class FakeGitHubRestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(hub_.start().ok());
    ASSERT_TRUE(hub_.createRepository("octo-org", "widgets", "main", {{"src/counter.py", "a\nb\n"}}).ok());
    client_ = std::make_unique<HttpClient>("127.0.0.1", hub_.port());
  }

  HttpResult api(const std::string& method, const std::string& path, const std::string& body = "",
                 const std::string& auth = "default") {
    HeaderList headers{{"Accept", "application/vnd.github+json"}};
    if (auth == "default") headers.emplace_back("Authorization", "Bearer " + hub_.options().token);
    else if (!auth.empty()) headers.emplace_back("Authorization", auth);
    return client_->request(method, "/api/v3" + path, body, headers);
  }

  // Pushes a branch with one commit changing src/counter.py; its sha.
  std::string pushBranch(const std::string& branch) {
    TestWorkdir w(hub_, hub_.options().token);
    EXPECT_TRUE(w.clone("octo-org", "widgets").ok());
    EXPECT_TRUE(w.git({"checkout", "--quiet", "-b", branch}).ok());
    auto sha = w.commit("src/counter.py", "a\nc\nd\n", "change on " + branch);
    auto pushed = w.git({"push", "--quiet", "origin", branch});
    EXPECT_TRUE(pushed.ok()) << pushed.err;
    return sha;
  }

  HttpResult openPull(const std::string& head, const std::string& title = "codecrew: change") {
    return api("POST", "/repos/octo-org/widgets/pulls",
               json::serialize(json::object{
                   {"title", title}, {"head", head}, {"base", "main"}, {"body", "why"}, {"draft", false}}));
  }

  FakeGitHub hub_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(FakeGitHubRestTest, TheTokenIsRequiredAndEveryAnswerCarriesLimitsAndScopes) {
  auto none = api("GET", "/repos/octo-org/widgets", "", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.json().at("message"), "Bad credentials");
  EXPECT_EQ(none.header("X-OAuth-Scopes"), "repo, workflow");
  EXPECT_EQ(api("GET", "/repos/octo-org/widgets", "", "Bearer wrong").status, 401);

  auto ok = api("GET", "/repos/octo-org/widgets");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("full_name"), "octo-org/widgets");
  EXPECT_EQ(ok.json().at("default_branch"), "main");
  EXPECT_EQ(ok.json().at("clone_url"), json::value(hub_.gitUrl("octo-org", "widgets")));
  EXPECT_EQ(ok.header("x-ratelimit-limit"), "5000");
  EXPECT_FALSE(ok.header("x-ratelimit-reset").empty());
  auto before = std::stoi(ok.header("x-ratelimit-remaining"));
  auto classic = api("GET", "/repos/octo-org/widgets", "", "token " + hub_.options().token);
  EXPECT_EQ(classic.status, 200);
  EXPECT_EQ(std::stoi(classic.header("x-ratelimit-remaining")), before - 1);

  EXPECT_EQ(api("GET", "/repos/octo-org/nope").status, 404);
  auto unknown = api("GET", "/nothing/here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json().at("message"), "Not Found");
  for (const auto& r : hub_.requests()) EXPECT_EQ(r.kind, "rest");
}

TEST_F(FakeGitHubRestTest, GitRequestsWithoutTheTokenAreChallenged) {
  auto bare = client_->request("GET", "/octo-org/widgets.git/info/refs?service=git-upload-pack");
  EXPECT_EQ(bare.status, 401);
  EXPECT_EQ(bare.header("WWW-Authenticate"), "Basic realm=\"GitHub\"");
  auto bearer = client_->request("GET", "/octo-org/widgets.git/info/refs?service=git-upload-pack", "",
                                 {{"Authorization", "Bearer " + hub_.options().token}});
  EXPECT_EQ(bearer.status, 401) << "git takes Basic only";
  auto basic = client_->request("GET", "/octo-org/widgets.git/info/refs?service=git-upload-pack", "",
                                {{"Authorization", FakeGitHub::basicAuthorization(hub_.options().token)}});
  EXPECT_EQ(basic.status, 200);
  EXPECT_EQ(basic.header("Content-Type"), "application/x-git-upload-pack-advertisement");
  EXPECT_EQ(client_->request("GET", "/octo-org/nope.git/info/refs?service=git-upload-pack").status, 404);
  hub_.setScopes({"repo"});
  EXPECT_EQ(api("GET", "/repos/octo-org/widgets").header("X-OAuth-Scopes"), "repo");
}

TEST_F(FakeGitHubRestTest, PullRequestsAreCreatedOnceListedByHeadAndRead) {
  auto sha = pushBranch("codecrew/wf-1");
  auto created = openPull("octo-org:codecrew/wf-1");
  ASSERT_EQ(created.status, 201) << created.body;
  auto pr = created.json().as_object();
  EXPECT_EQ(pr.at("number"), 1);
  EXPECT_EQ(pr.at("state"), "open");
  EXPECT_EQ(pr.at("head").at("ref"), "codecrew/wf-1");
  EXPECT_EQ(pr.at("head").at("sha"), json::value(sha));
  EXPECT_EQ(pr.at("base").at("ref"), "main");
  EXPECT_EQ(pr.at("html_url"), json::value(hub_.baseUrl() + "/octo-org/widgets/pull/1"));

  auto again = openPull("codecrew/wf-1");
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.json().at("message"), "Validation Failed");
  EXPECT_EQ(again.json().at("errors").at(0).at("message"), "A pull request already exists for octo-org:codecrew/wf-1.");
  EXPECT_EQ(hub_.pullCreateCount(), 2);
  ASSERT_EQ(hub_.pulls("octo-org", "widgets").size(), 1u);

  auto listed = api("GET", "/repos/octo-org/widgets/pulls?state=open&head=octo-org:codecrew/wf-1");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json().as_array().size(), 1u);
  EXPECT_EQ(listed.json().at(0).at("number"), 1);
  EXPECT_TRUE(api("GET", "/repos/octo-org/widgets/pulls?head=octo-org:other").json().as_array().empty());

  auto got = api("GET", "/repos/octo-org/widgets/pulls/1");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().at("head").at("sha"), json::value(sha));
  EXPECT_EQ(got.json().at("merged"), false);
  EXPECT_EQ(api("GET", "/repos/octo-org/widgets/pulls/9").status, 404);

  auto closed = api("PATCH", "/repos/octo-org/widgets/pulls/1", R"({"state":"closed","title":"renamed"})");
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.json().at("state"), "closed");
  EXPECT_EQ(closed.json().at("title"), "renamed");
  EXPECT_TRUE(api("GET", "/repos/octo-org/widgets/pulls?head=octo-org:codecrew/wf-1").json().as_array().empty());
  EXPECT_EQ(openPull("octo-org:codecrew/wf-1").status, 201) << "a closed one does not block a new one";
}

TEST_F(FakeGitHubRestTest, APullRequestNeedsAnExistingHeadWithCommits) {
  auto missing = openPull("octo-org:not-pushed");
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.json().at("errors").at(0).at("field"), "head");
  TestWorkdir w(hub_, hub_.options().token);
  ASSERT_TRUE(w.clone("octo-org", "widgets").ok());
  ASSERT_TRUE(w.git({"push", "--quiet", "origin", "main:same-as-main"}).ok());
  auto empty = openPull("same-as-main");
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(empty.json().at("errors").at(0).at("message"), "No commits between main and same-as-main");
  auto untitled = api("POST", "/repos/octo-org/widgets/pulls", R"({"head":"same-as-main","base":"main"})");
  EXPECT_EQ(untitled.status, 422);
  EXPECT_EQ(api("POST", "/repos/octo-org/widgets/pulls", "{nope").status, 400);
  EXPECT_TRUE(hub_.pulls("octo-org", "widgets").empty());
}

TEST_F(FakeGitHubRestTest, TheFilesOfAPullRequestAreItsDiff) {
  pushBranch("feature");
  ASSERT_EQ(openPull("feature").status, 201);
  auto files = api("GET", "/repos/octo-org/widgets/pulls/1/files");
  ASSERT_EQ(files.status, 200) << files.body;
  const auto list = files.json();
  ASSERT_EQ(list.as_array().size(), 1u);
  const auto& f = list.at(0);
  EXPECT_EQ(f.at("filename"), "src/counter.py");
  EXPECT_EQ(f.at("status"), "modified");
  EXPECT_EQ(f.at("additions"), 2);
  EXPECT_EQ(f.at("deletions"), 1);
  EXPECT_EQ(std::string(f.at("patch").as_string()).rfind("@@ -1,2 +1,3 @@", 0), 0u) << json::serialize(f);
}

TEST_F(FakeGitHubRestTest, CheckRunsAndStatusesArePerCommit) {
  auto sha = pushBranch("feature");
  auto empty = api("GET", "/repos/octo-org/widgets/commits/" + sha + "/check-runs");
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.json().at("total_count"), 0);
  hub_.setCheckRuns(sha, {{.name = "build", .conclusion = "failure", .title = "1 failing test", .text = "boom"},
                          {.name = "lint", .status = "in_progress"}});
  auto runs = api("GET", "/repos/octo-org/widgets/commits/" + sha + "/check-runs");
  ASSERT_EQ(runs.status, 200);
  const auto listed = runs.json();
  EXPECT_EQ(listed.at("total_count"), 2);
  const auto& build = listed.at("check_runs").at(0);
  EXPECT_EQ(build.at("name"), "build");
  EXPECT_EQ(build.at("head_sha"), json::value(sha));
  EXPECT_EQ(build.at("conclusion"), "failure");
  EXPECT_EQ(build.at("output").at("title"), "1 failing test");
  EXPECT_GT(build.at("id").as_int64(), 0);
  EXPECT_TRUE(listed.at("check_runs").at(1).at("conclusion").is_null());
  auto by_branch = api("GET", "/repos/octo-org/widgets/commits/feature/check-runs?check_name=lint");
  EXPECT_EQ(by_branch.json().at("total_count"), 1);
  auto main_sha = *hub_.branchSha("octo-org", "widgets", "main");
  EXPECT_EQ(api("GET", "/repos/octo-org/widgets/commits/" + main_sha + "/check-runs").json().at("total_count"), 0);

  auto pending = api("GET", "/repos/octo-org/widgets/commits/" + sha + "/status");
  ASSERT_EQ(pending.status, 200);
  EXPECT_EQ(pending.json().at("state"), "pending");
  EXPECT_EQ(pending.json().at("total_count"), 0);
  hub_.setCombinedStatus(sha, "failure", {{.context = "ci/jenkins", .state = "failure", .description = "red"}});
  auto failed = api("GET", "/repos/octo-org/widgets/commits/feature/status");
  EXPECT_EQ(failed.json().at("state"), "failure");
  EXPECT_EQ(failed.json().at("statuses").at(0).at("context"), "ci/jenkins");
  EXPECT_EQ(api("GET", "/repos/octo-org/widgets/commits/no-such-branch/status").status, 422);
}

TEST_F(FakeGitHubRestTest, CommentsAndRepliesToReviewComments) {
  pushBranch("feature");
  ASSERT_EQ(openPull("feature").status, 201);
  auto posted = api("POST", "/repos/octo-org/widgets/issues/1/comments", R"({"body":"Fixed in abc123."})");
  ASSERT_EQ(posted.status, 201) << posted.body;
  EXPECT_EQ(posted.json().at("body"), "Fixed in abc123.");
  EXPECT_EQ(posted.json().at("user").at("login"), "codecrew-bot");
  auto listed = api("GET", "/repos/octo-org/widgets/issues/1/comments");
  ASSERT_EQ(listed.json().as_array().size(), 1u);
  ASSERT_EQ(hub_.comments("octo-org", "widgets", 1).size(), 1u);
  EXPECT_EQ(api("POST", "/repos/octo-org/widgets/issues/7/comments", R"({"body":"x"})").status, 404);

  auto review_id = hub_.addReviewComment("octo-org", "widgets", 1, "src/counter.py", 2, "Add a test.");
  ASSERT_GT(review_id, 0);
  auto reply = api("POST", "/repos/octo-org/widgets/pulls/1/comments/" + std::to_string(review_id) + "/replies",
                   R"({"body":"Added test_empty."})");
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.json().at("in_reply_to_id"), review_id);
  EXPECT_EQ(reply.json().at("path"), "src/counter.py");
  auto thread = hub_.reviewComments("octo-org", "widgets", 1);
  ASSERT_EQ(thread.size(), 2u);
  EXPECT_EQ(thread[1].body, "Added test_empty.");
  EXPECT_EQ(api("POST", "/repos/octo-org/widgets/pulls/1/comments/12345/replies", R"({"body":"x"})").status, 404);
  EXPECT_EQ(api("GET", "/repos/octo-org/widgets/pulls/1/comments").json().as_array().size(), 2u);
}

TEST_F(FakeGitHubRestTest, ScriptedFaultsAnswerTheNextCallsInOrder) {
  hub_.queueFault(tooManyRequestsFault(1));
  hub_.queueFault(primaryRateLimitFault(1767225600));
  hub_.queueFault(secondaryRateLimitFault(3));
  auto throttled = api("GET", "/repos/octo-org/widgets");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.header("retry-after"), "1");
  auto exhausted = api("GET", "/repos/octo-org/widgets");
  EXPECT_EQ(exhausted.status, 403);
  EXPECT_EQ(exhausted.header("x-ratelimit-remaining"), "0");
  EXPECT_EQ(exhausted.header("x-ratelimit-reset"), "1767225600");
  auto secondary = api("GET", "/repos/octo-org/widgets");
  EXPECT_EQ(secondary.status, 403);
  EXPECT_EQ(secondary.header("retry-after"), "3");
  EXPECT_NE(std::string(secondary.json().at("message").as_string()).find("secondary rate limit"), std::string::npos);
  EXPECT_EQ(api("GET", "/repos/octo-org/widgets").status, 200);
  EXPECT_EQ(hub_.requests().size(), 4u);
}

}  // namespace
}  // namespace codecrew::testing
