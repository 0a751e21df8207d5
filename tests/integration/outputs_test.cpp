// GET /workflows/{id}/artifacts, /diffs, /pr and /pr/checks against the real
// binary, over rows seeded through the store: paging, filters (kind, path,
// execution_id), the shapes, bad parameters, a workflow with no pull request,
// and another tenant's workflow as a 404.
#include "api_fixture.h"

namespace codecrew::testing {
namespace {
namespace json = boost::json;

class OutputsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    tenant_ = tenantId("acme");
    workflow_ = createWorkflow("outputs");
    bare_workflow_ = createWorkflow("no outputs");
    auto started = call("POST", "/workflows/" + std::to_string(workflow_) + "/executions/start", "", "",
                        {{"Idempotency-Key", "outputs-1"}});
    ASSERT_EQ(started.status, 202) << started.body;
    execution_ = started.json().at("execution").at("id").as_int64();
    // 5 artifacts: kinds plan, design, plan, test_report, plan; the last two under the execution.
    const char* kinds[] = {"plan", "design", "plan", "test_report", "plan"};
    for (int i = 0; i < 5; ++i) {
      store::Artifact a;
      a.tenant_id = tenant_;
      a.workflow_id = workflow_;
      if (i >= 3) a.execution_id = execution_;
      a.kind = kinds[i];
      a.uri = "artifact://" + std::to_string(i);
      a.content = "content " + std::to_string(i);
      ASSERT_TRUE(db().addArtifact(a).ok());
    }
    // 4 diffs over 3 paths, one under the execution.
    const char* paths[] = {"src/b.cpp", "src/a.cpp", "README.md", "src/a.cpp"};
    for (int i = 0; i < 4; ++i) {
      store::Diff d;
      d.tenant_id = tenant_;
      d.workflow_id = workflow_;
      if (i == 3) d.execution_id = execution_;
      d.path = paths[i];
      d.diff = "--- a/" + d.path + "\n+++ b/" + d.path + "\n@@ -1 +1 @@\n-old" + std::to_string(i) + "\n+new\n";
      ASSERT_TRUE(db().addDiff(d).ok());
    }
    store::PullRequest pr;
    pr.tenant_id = tenant_;
    pr.workflow_id = workflow_;
    pr.number = 42;
    pr.url = "https://github.example/acme/app/pull/42";
    pr.title = "Add outputs";
    pr.state = "open";
    pr.head_branch = "codecrew/outputs";
    pr.base_branch = "main";
    pr.head_sha = "0123456789abcdef0123456789abcdef01234567";
    auto saved = db().upsertPullRequest(pr);
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    pr_id_ = saved->id;
    const char* checks[] = {"unit", "lint", "build"};
    for (int i = 0; i < 3; ++i) {
      store::Check c;
      c.tenant_id = tenant_;
      c.pull_request_id = pr_id_;
      c.name = checks[i];
      c.status = i == 0 ? "in_progress" : "completed";
      c.conclusion = i == 0 ? "" : (i == 1 ? "failure" : "success");
      c.url = "https://ci.example/" + c.name;
      ASSERT_TRUE(db().upsertCheck(c).ok());
    }
  }

  json::object getOk(const std::string& target, const std::string& key = "") {
    auto r = call("GET", target, "", key);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return r.status == 200 ? r.json().as_object() : json::object{};
  }

  std::string wf(const std::string& suffix) const { return "/workflows/" + std::to_string(workflow_) + suffix; }

  static std::vector<std::string> field(const json::object& page, const char* list, const char* name) {
    std::vector<std::string> out;
    for (const auto& item : page.at(list).as_array()) {
      const auto& v = item.at(name);
      out.push_back(v.is_string() ? std::string(v.as_string()) : json::serialize(v));
    }
    return out;
  }

  core::Id tenant_ = 0, workflow_ = 0, bare_workflow_ = 0, execution_ = 0, pr_id_ = 0;
};

TEST_F(OutputsTest, ArtifactsPageInIdOrderWithTotals) {
  auto first = getOk(wf("/artifacts?page_size=2"));
  EXPECT_EQ(first.at("total"), 5);
  EXPECT_EQ(first.at("page"), 1);
  EXPECT_EQ(first.at("page_size"), 2);
  EXPECT_EQ(field(first, "artifacts", "uri"), (std::vector<std::string>{"artifact://0", "artifact://1"}));
  auto last = getOk(wf("/artifacts?page=3&page_size=2"));
  EXPECT_EQ(field(last, "artifacts", "uri"), (std::vector<std::string>{"artifact://4"}));
  auto beyond = getOk(wf("/artifacts?page=9&page_size=2"));
  EXPECT_TRUE(beyond.at("artifacts").as_array().empty());
  EXPECT_EQ(beyond.at("total"), 5);

  const auto& a = first.at("artifacts").as_array()[0].as_object();
  EXPECT_EQ(a.at("workflow_id"), workflow_);
  EXPECT_TRUE(a.at("execution_id").is_null());
  EXPECT_EQ(a.at("kind"), "plan");
  EXPECT_EQ(a.at("content"), "content 0");
  EXPECT_EQ(a.at("checksum").as_string().size(), 64u);  // sha256 hex of the content
  EXPECT_TRUE(a.at("created_at").is_string());
}

TEST_F(OutputsTest, ArtifactsFilterByKindAndExecution) {
  auto plans = getOk(wf("/artifacts?kind=plan"));
  EXPECT_EQ(plans.at("total"), 3);
  EXPECT_EQ(field(plans, "artifacts", "kind"), (std::vector<std::string>{"plan", "plan", "plan"}));
  auto of_exec = getOk(wf("/artifacts?execution_id=" + std::to_string(execution_)));
  EXPECT_EQ(of_exec.at("total"), 2);
  EXPECT_EQ(field(of_exec, "artifacts", "kind"), (std::vector<std::string>{"test_report", "plan"}));
  auto both = getOk(wf("/artifacts?kind=plan&execution_id=" + std::to_string(execution_)));
  EXPECT_EQ(both.at("total"), 1);
  EXPECT_EQ(getOk(wf("/artifacts?kind=adr")).at("total"), 0);
  EXPECT_EQ(getOk("/workflows/" + std::to_string(bare_workflow_) + "/artifacts").at("total"), 0);
}

TEST_F(OutputsTest, DiffsPageInPathOrderAndFilterByPathAndExecution) {
  auto all = getOk(wf("/diffs"));
  EXPECT_EQ(all.at("total"), 4);
  EXPECT_EQ(field(all, "diffs", "path"),
            (std::vector<std::string>{"README.md", "src/a.cpp", "src/a.cpp", "src/b.cpp"}));
  auto second = getOk(wf("/diffs?page=2&page_size=3"));
  EXPECT_EQ(field(second, "diffs", "path"), (std::vector<std::string>{"src/b.cpp"}));
  auto a = getOk(wf("/diffs?path=src/a.cpp"));
  EXPECT_EQ(a.at("total"), 2);
  EXPECT_NE(a.at("diffs").as_array()[0].at("diff").as_string().find("+++ b/src/a.cpp"), std::string::npos);
  auto of_exec = getOk(wf("/diffs?execution_id=" + std::to_string(execution_)));
  EXPECT_EQ(of_exec.at("total"), 1);
  EXPECT_EQ(of_exec.at("diffs").as_array()[0].at("execution_id"), execution_);
}

TEST_F(OutputsTest, PullRequestAndItsChecks) {
  auto pr = getOk(wf("/pr"));
  EXPECT_EQ(pr.at("id"), pr_id_);
  EXPECT_EQ(pr.at("number"), 42);
  EXPECT_EQ(pr.at("state"), "open");
  EXPECT_EQ(pr.at("head_branch"), "codecrew/outputs");
  EXPECT_EQ(pr.at("base_branch"), "main");
  EXPECT_EQ(pr.at("url"), "https://github.example/acme/app/pull/42");

  auto checks = getOk(wf("/pr/checks"));
  EXPECT_EQ(checks.at("total"), 3);
  EXPECT_EQ(field(checks, "checks", "name"), (std::vector<std::string>{"build", "lint", "unit"}));
  EXPECT_EQ(field(checks, "checks", "conclusion"), (std::vector<std::string>{"success", "failure", "null"}));
  EXPECT_EQ(checks.at("checks").as_array()[2].at("status"), "in_progress");
  auto paged = getOk(wf("/pr/checks?page=2&page_size=2"));
  EXPECT_EQ(field(paged, "checks", "name"), (std::vector<std::string>{"unit"}));
  EXPECT_EQ(paged.at("total"), 3);
}

TEST_F(OutputsTest, WorkflowWithoutAPullRequestIs404OnPrAndChecks) {
  for (const char* suffix : {"/pr", "/pr/checks"}) {
    auto r = call("GET", "/workflows/" + std::to_string(bare_workflow_) + suffix);
    EXPECT_EQ(r.status, 404) << suffix << ": " << r.body;
    EXPECT_NE(r.body.find("no pull request"), std::string::npos) << r.body;
  }
}

TEST_F(OutputsTest, ViewerMayReadEveryOutput) {
  for (const char* suffix : {"/artifacts", "/diffs", "/pr", "/pr/checks"})
    EXPECT_EQ(call("GET", wf(suffix), "", viewer_key_).status, 200) << suffix;
}

TEST_F(OutputsTest, AnotherTenantsWorkflowIs404AndLeaksNothing) {
  for (const char* suffix : {"/artifacts", "/diffs", "/pr", "/pr/checks"}) {
    auto r = call("GET", wf(suffix), "", other_key_);
    EXPECT_EQ(r.status, 404) << suffix << ": " << r.body;
    EXPECT_EQ(r.body.find("artifact://"), std::string::npos);
    EXPECT_EQ(r.body.find("src/a.cpp"), std::string::npos);
    EXPECT_EQ(r.body.find("github.example"), std::string::npos);
  }
  EXPECT_EQ(call("GET", wf("/artifacts"), "", "none").status, 401);
}

TEST_F(OutputsTest, BadPagingAndFiltersAre400AndUnknownWorkflowIs404) {
  EXPECT_EQ(call("GET", wf("/artifacts?page=0")).status, 400);
  EXPECT_EQ(call("GET", wf("/diffs?page_size=201")).status, 400);
  EXPECT_EQ(call("GET", wf("/pr/checks?page=abc")).status, 400);
  EXPECT_EQ(call("GET", wf("/artifacts?execution_id=xyz")).status, 400);
  EXPECT_EQ(call("GET", "/workflows/999999/diffs").status, 404);
  EXPECT_EQ(call("GET", "/workflows/abc/artifacts").status, 404);
}

}  // namespace
}  // namespace codecrew::testing
