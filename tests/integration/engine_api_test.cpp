// The crew engine behind the real server: executions started over HTTP run
// the sdlc crew (replaying the wordcount example's hand-written cassette),
// pause at its approval gates, continue, reject, cancel and resume through
// the API, and survive a kill -9 of the server (after a model answered and
// before its checkpoint, and after each kind of checkpoint) with the same
// result and the same number of paid model calls.
#include "engine_api_fixture.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace codecrew::testing {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

TEST_F(EngineApiTest, ExampleRunsThroughTheApiWithBothGatesApproved) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  auto wf = createSdlcWorkflow("wordcount");
  auto e = start(wf);
  auto x = waitFor(wf, e, {"waiting_approval"});
  EXPECT_EQ(x.at("stage").as_string(), "WAITING_APPROVAL");
  auto gate = pendingApproval(e);
  EXPECT_EQ(gate.at("gate").as_string(), "after:PLANNING");
  auto id = gate.at("id").as_int64();
  EXPECT_EQ(decide(id, "approve", "", viewer_key_).status, 403) << "a viewer cannot decide";
  EXPECT_EQ(decide(id, "approve", "", other_key_).status, 404) << "another tenant's gate does not exist";
  EXPECT_EQ(decide(id, "request-changes").status, 400) << "changes need a comment";
  EXPECT_EQ(decide(id, "approve", R"({"comment": 5})").status, 400);
  EXPECT_EQ(execution(wf, e).at("status").as_string(), "waiting_approval") << "refused decisions change nothing";

  auto done = approveThrough(wf, e);
  ASSERT_EQ(done.at("status").as_string(), "completed") << json::serialize(done);
  EXPECT_EQ(decide(id, "approve").status, 409) << "a gate is decided once";
  EXPECT_EQ(done.at("stage").as_string(), "DONE");
  EXPECT_EQ(done.at("total_calls").as_int64(), kExampleCalls);
  EXPECT_GT(done.at("total_tokens").as_int64(), 0);
  // The queue settles the job after the engine returns, a few milliseconds
  // after the execution reads completed.
  EXPECT_EQ(settledJobStatus(wf, e), "succeeded");

  // The workspace is the server's own, under its data directory, on the
  // execution's branch with a commit per stage; the produced tests pass.
  EXPECT_FALSE(done.contains("checkpoint")) << "the checkpoint is the engine's own";
  EXPECT_EQ(done.at("meta"), json::object()) << "meta holds the client's labels only";
  EXPECT_EQ(done.at("progress").at("branch").as_string(), "codecrew/execution-" + std::to_string(e));
  EXPECT_FALSE(done.at("progress").at("gates").at("passed").as_array().empty());
  EXPECT_TRUE(done.at("progress").at("gates").at("pending").is_null());
  fs::path ws = workspaceOf(e);
  EXPECT_EQ(sh(gitIn(ws) + " rev-parse --abbrev-ref HEAD"), "codecrew/execution-" + std::to_string(e) + "\n");
  EXPECT_NE(readFile(ws / "wordcount.py").find("def "), std::string::npos);
  EXPECT_EQ(std::system(("cd " + ws.string() + " && python3 -m unittest -q 2>/dev/null").c_str()), 0);

  // Every call of every step is listed under its conversation (the first of
  // each step included), and the approvals are in the history.
  auto convs = call("GET", "/workflows/" + std::to_string(wf)).json().at("conversations").as_array();
  ASSERT_FALSE(convs.empty());
  std::int64_t listed = 0;
  for (const auto& c : convs) {
    auto r = call("GET", "/conversations/" + std::to_string(c.at("id").as_int64()) + "/llm-calls?page_size=200");
    ASSERT_EQ(r.status, 200) << r.body;
    listed += r.json().at("total").as_int64();
  }
  EXPECT_EQ(listed, kExampleCalls);
  auto decided = call("GET", "/approvals?status=approved&execution_id=" + std::to_string(e)).json();
  EXPECT_EQ(decided.at("total").as_int64(), 2);
}

TEST_F(EngineApiTest, RejectedGateFailsTheExecution) {
  auto wf = createSdlcWorkflow("rejected");
  auto e = start(wf);
  waitFor(wf, e, {"waiting_approval"});
  auto r = decide(pendingApproval(e).at("id").as_int64(), "reject", R"({"comment":"wrong plan"})", member_key_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status").as_string(), "rejected");
  auto x = waitFor(wf, e, {"failed"});
  EXPECT_NE(x.at("error").as_string().find("reject"), std::string::npos) << json::serialize(x);
  EXPECT_EQ(call("POST", "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e) + "/resume").status,
            409)
      << "a rejected execution ended for good";
}

TEST_F(EngineApiTest, CancelAWaitingExecutionAndResumeIsRefused) {
  auto wf = createSdlcWorkflow("cancelled");
  auto e = start(wf);
  waitFor(wf, e, {"waiting_approval"});
  auto base = "/workflows/" + std::to_string(wf) + "/executions/" + std::to_string(e);
  EXPECT_EQ(call("POST", base + "/resume").status, 409) << "it waits on a gate: decide it instead";
  auto r = call("POST", base + "/cancel");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status").as_string(), "cancelled");
  EXPECT_EQ(r.json().at("job").at("status").as_string(), "cancelled");
  EXPECT_EQ(call("POST", base + "/cancel").status, 409);
  EXPECT_EQ(call("POST", base + "/resume").status, 409);
}

TEST_F(EngineApiTest, StartRefusesUnknownCrewsAndRemoteRepositoriesStoringNothing) {
  auto bad_crew = call("POST", "/workflows", R"({"name":"x","crew":"no-such-crew"})");
  ASSERT_EQ(bad_crew.status, 201);
  auto wf1 = bad_crew.json().at("id").as_int64();
  auto r1 = call("POST", "/workflows/" + std::to_string(wf1) + "/executions/start");
  EXPECT_EQ(r1.status, 400) << r1.body;
  EXPECT_NE(r1.body.find("no-such-crew"), std::string::npos) << r1.body;
  auto remote = call("POST", "/workflows",
                     R"({"name":"y","crew":"sdlc","repository_url":"ssh://example.invalid/repo.git"})");
  auto wf2 = remote.json().at("id").as_int64();
  auto r2 = call("POST", "/workflows/" + std::to_string(wf2) + "/executions/start");
  EXPECT_EQ(r2.status, 400) << r2.body;
  auto r3 = call("POST", "/workflows/" + std::to_string(wf2) + "/executions/start", R"({"meta":{"workspace":"/etc"}})");
  EXPECT_EQ(r3.status, 400) << "the client never picks the workspace";
  for (auto wf : {wf1, wf2})
    EXPECT_EQ(call("GET", "/workflows/" + std::to_string(wf) + "/executions").json().at("total").as_int64(), 0);
}

// What the engine trusts is the server's: a start body cannot carry a
// checkpoint (it skipped every gate when meta held the engine's state),
// budgets, a workspace or any field but meta. Each is a 400 and stores
// nothing; a start with labels only runs to its first gate as usual.
TEST_F(EngineApiTest, ForgedStartsAreRefusedAndStoreNothing) {
  auto wf = createSdlcWorkflow("forged");
  auto path = "/workflows/" + std::to_string(wf) + "/executions/start";
  const char* forged[] = {
      R"({"meta":{"checkpoint":{"version":1,"lifecycle":{"current":"DEPLOY"},"gates_passed":["after:PLANNING#0","before:DEPLOY#0"]}}})",
      R"({"meta":{"budget":{"limits":{"execution_tokens":999999999}}}})",
      R"({"meta":{"budgets":{"execution":{"tokens":1}}}})",
      R"({"meta":{"workspace":"/tmp"}})",
      R"({"checkpoint":{"lifecycle":{"current":"DEPLOY"}}})",
      R"({"meta":{},"budget":{"tokens":5}})",
      R"({"workspace":"/tmp"})",
      R"({"api_key_id":1,"tenant_id":2})",
      R"({"meta":{},"inputs":{"budget":1},"origin":"cli"})",
      R"({"follow_up":"fix_checks","feedback":"skip the tests"})",  // only the delivery loop starts follow-ups
  };
  for (const char* body : forged) {
    auto r = call("POST", path, body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
  }
  EXPECT_EQ(call("GET", "/workflows/" + std::to_string(wf) + "/executions").json().at("total").as_int64(), 0);
  // Labels that look like engine state stay labels: the sdlc crew runs from
  // its first gate (not the fix crew a follow-up would run).
  auto r = call("POST", path,
                R"({"meta":{"ticket":"PROJ-1","lifecycle":{"current":"DEPLOY"},"follow_up":"fix_checks"}})");
  ASSERT_EQ(r.status, 202) << r.body;
  auto e = r.json().at("execution").at("id").as_int64();
  auto x = waitFor(wf, e, {"waiting_approval", "failed", "completed"});
  ASSERT_EQ(x.at("status").as_string(), "waiting_approval") << json::serialize(x);
  EXPECT_EQ(pendingApproval(e).at("gate").as_string(), "after:PLANNING") << "no gate was skipped";
  EXPECT_EQ(x.at("meta").at("ticket").as_string(), "PROJ-1");
  EXPECT_EQ(x.at("progress").at("stage").as_string(), "PLANNING");
  EXPECT_EQ(x.at("progress").at("paused_at").as_string(), "PLANNING");
}

TEST_F(EngineApiTest, LocalRepositoryIsClonedIntoTheWorkspace) {
  const std::string repo = repos_.str() + "/seeded";
  ASSERT_EQ(std::system(("git -c init.defaultBranch=main init -q " + repo + " && cd " + repo +
                         " && echo seed > SEED.txt && git add SEED.txt && git -c user.name=t -c user.email=t@t "
                         "commit -qm seed")
                            .c_str()),
            0);
  json::object body{{"name", "on a repo"}, {"crew", "sdlc"}, {"repository_url", repo}};
  auto wf = call("POST", "/workflows", json::serialize(body)).json().at("id").as_int64();
  auto e = start(wf);
  auto x = waitFor(wf, e, {"waiting_approval", "failed"});
  ASSERT_EQ(x.at("status").as_string(), "waiting_approval") << json::serialize(x);
  fs::path ws = workspaceOf(e);
  EXPECT_EQ(readFile(ws / "SEED.txt"), "seed\n");
  EXPECT_FALSE(fs::exists(fs::path(repo) / "docs")) << "the source repository is left alone";
}

// A tenant cannot start from another tenant's workspace, the server's own
// files or anything outside [repositories] local_roots, and cannot tell
// these apart from a path that does not exist: one message for all.
TEST_F(EngineApiTest, RepositoriesOutsideTheRootsAreRefusedAlike) {
  auto wf = createSdlcWorkflow("acme's");
  auto e = start(wf);
  waitFor(wf, e, {"waiting_approval"});
  ASSERT_TRUE(fs::exists(workspaceOf(e) / ".git"));
  auto refusal = [&](const std::string& url) {
    json::object body{{"name", "probe"}, {"crew", "sdlc"}, {"repository_url", url}};
    auto created = call("POST", "/workflows", json::serialize(body), other_key_);
    EXPECT_EQ(created.status, 201) << created.body;
    auto id = std::to_string(created.json().at("id").as_int64());
    auto r = call("POST", "/workflows/" + id + "/executions/start", "", other_key_);
    EXPECT_EQ(r.status, 400) << url << ": " << r.body;
    EXPECT_EQ(call("GET", "/workflows/" + id + "/executions", "", other_key_).json().at("total").as_int64(), 0);
    std::string message(r.json().at("error").at("message").as_string());
    auto at = message.find(url);
    if (at != std::string::npos) message.replace(at, url.size(), "URL");
    return message;
  };
  auto missing = refusal(repos_.str() + "/no-such-repository");
  EXPECT_NE(missing.find("local_roots"), std::string::npos) << missing;
  EXPECT_EQ(refusal(workspaceOf(e).string()), missing) << "another tenant's workspace";
  EXPECT_EQ(refusal("file://" + workspaceOf(e).string()), missing);
  EXPECT_EQ(refusal(dir_.str()), missing) << "the data directory";
  EXPECT_EQ(refusal(CODECREW_SOURCE_DIR), missing) << "the server's source tree";
  EXPECT_EQ(refusal(repos_.str() + "/../../etc"), missing);
}

TEST_F(EngineApiTest, KillNineMidRunThenRestartFinishesWithTheSameResultAndCalls) {
  if (!sandboxWorks()) GTEST_SKIP() << "bubblewrap is not usable here";
  // The reference: an uninterrupted run.
  auto wf = createSdlcWorkflow("reference");
  auto ref = approveThrough(wf, start(wf));
  ASSERT_EQ(ref.at("status").as_string(), "completed") << json::serialize(ref);
  fs::path ref_ws = workspaceOf(ref.at("id").as_int64());

  // A start is one transaction and the workspace is made by the job's run:
  // killed before or after preparing it, the acknowledged start still ends
  // with the same tree and calls.
  for (const char* point : {"before_workspace:1", "after_workspace:1", "after_llm_answer:6", "after_llm_call:5",
                            "after_tools:9", "after_stage:4"}) {
    SCOPED_TRACE(point);
    server_->terminate();
    startServer({{"CODECREW_FAULT_KILL_AT", point}});
    auto wf2 = createSdlcWorkflow(std::string("killed at ") + point);
    // Killed at the workspace, the server may die before it answers the
    // start: then it was either stored whole (and recovery runs it) or not
    // at all (and it is started again), never half.
    core::Id e = 0;
    try {
      e = start(wf2);
    } catch (const std::exception&) {
    }
    // Approve the gates the run reaches before the fault hook kills it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (server_->awaitExit(50) == -2 && std::chrono::steady_clock::now() < deadline) {
      try {
        auto a = call("GET", "/approvals?execution_id=" + std::to_string(e));
        if (a.status == 200 && a.json().at("total").as_int64() > 0)
          decide(a.json().at("approvals").at(0).at("id").as_int64(), "approve");
      } catch (const std::runtime_error&) {
        // the server died between the check and the call
      }
    }
    ASSERT_NE(server_->awaitExit(60000), -2) << "the fault hook did not kill the server";
    startServer();  // no fault: recover() resumes the execution
    if (e == 0) {
      auto stored = call("GET", "/workflows/" + std::to_string(wf2) + "/executions").json();
      e = stored.at("total").as_int64() > 0 ? stored.at("executions").at(0).at("id").as_int64() : start(wf2);
    }
    auto done = approveThrough(wf2, e);
    ASSERT_EQ(done.at("status").as_string(), "completed") << json::serialize(done);
    EXPECT_EQ(done.at("total_calls").as_int64(), kExampleCalls) << "no paid call was repeated";
    // One conversation a step: a run killed before its checkpoint named the
    // step's conversation found it again (and replayed its recorded answer).
    std::set<std::string> steps;
    const auto workflow = call("GET", "/workflows/" + std::to_string(wf2)).json();
    for (const auto& c : workflow.at("conversations").as_array())
      EXPECT_TRUE(steps.insert(std::string(c.at("step").as_string())).second)
          << "two conversations for " << c.at("step").as_string();
    EXPECT_FALSE(steps.empty());
    fs::path ws = workspaceOf(e);
    for (const char* f : {"wordcount.py", "test_wordcount.py", ".gitignore"})
      EXPECT_EQ(readFile(ws / f), readFile(ref_ws / f)) << f;
    auto subjects = [](const fs::path& repo) {  // commit subjects, execution ids aside
      return std::regex_replace(sh(gitIn(repo) + " log --format=%s"), std::regex("execution [0-9]+"), "execution N");
    };
    EXPECT_NE(subjects(ws), "");
    EXPECT_EQ(subjects(ws), subjects(ref_ws));
    EXPECT_NE(sh(gitIn(ws) + " rev-parse HEAD^{tree}"), "");
    EXPECT_EQ(sh(gitIn(ws) + " rev-parse HEAD^{tree}"), sh(gitIn(ref_ws) + " rev-parse HEAD^{tree}"))
        << "the same final tree";
    // The killed run and the resumed ones are all recorded; the counter itself
    // restarts after each clean pause and never passes max_attempts.
    EXPECT_GE(done.at("job").at("attempts_detail").as_array().size(), 2u);
    EXPECT_LE(done.at("job").at("attempts").as_int64(), done.at("job").at("max_attempts").as_int64());
  }
}

}  // namespace
}  // namespace codecrew::testing
