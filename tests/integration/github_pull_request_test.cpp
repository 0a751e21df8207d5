// The pull request's life besides the loop, against the real binary and
// the fake GitHub: a 422 "already exists" adopts; a refused delivery fails
// resumably and a resume delivers; the refreshes read a person's push back;
// a branch that adds nothing opens no pull request; a Jira story becomes a
// pull request named by its key; each tenant reaches only its owners'
// repositories.
#include "delivery/github_delivery.h"
#include "fake_jira.h"
#include "http/client/beast_http_client.h"
#include "tools/git/git_remote.h"
#include "tools/git/git_repository.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <fstream>
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
  bool faulted = false;
  auto x = approveThrough(wf, start(wf), [&](const json::object& gate) {
    if (gate.at("gate").as_string() == "before:DEPLOY" && !faulted) {
      github_->queueFault({200, {}, "[]"});  // the next REST call: the look-up
      faulted = true;
    }
  });
  ASSERT_TRUE(faulted);
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

// A delivery GitHub refuses fails the execution resumably with the reason;
// once the cause is gone a resume delivers, without running the crew again.
TEST_F(GitHubDeliveryTest, ARefusedDeliveryFailsResumablyAndAResumeDelivers) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  auto e = start(wf);
  auto x = approveThrough(wf, e, [&](const json::object& gate) {
    if (gate.at("gate").as_string() == "before:DEPLOY")
      github_->queueFault({403, {}, R"({"message": "Resource not accessible by integration"})"});
  });
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

// People push to pull requests too: the three refreshes read the pull
// request (its new head), its diffs and the crew's artifact files back from
// GitHub in the background; a second artifact refresh adds nothing.
TEST_F(GitHubDeliveryTest, RefreshesReadThePullRequestDiffsAndArtifactsBack) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createShopWorkflow();
  ASSERT_EQ(approveThrough(wf, start(wf)).at("status").as_string(), "completed");
  const std::string branch = branchOf(wf);
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

// On a shared server each tenant reaches only its owners' repositories
// with the server's token: another tenant's start is refused up front and
// stores nothing.
class GitHubTenantOwnersTest : public GitHubDeliveryTest {
 protected:
  std::vector<std::string> serverArgs() const override {
    return argsWithConfig(
        config_, "[github.tenants.acme]\nowners = [\"acme\"]\n[github.tenants.globex]\nowners = [\"globex\"]\n");
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

}  // namespace
}  // namespace codecrew::testing
