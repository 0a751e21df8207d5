// Scale-out against the real binaries and a real PostgreSQL: API nodes
// (`serve --no-worker`) and workers (`codecrew worker`), each with a data
// directory of its own as on separate hosts, sharing one database (a scratch
// schema of the test server). Executions started and decided on any node run
// on the workers; a worker killed or stopped past its lease is taken over.
#include "engine_api_fixture.h"
#include "support/postgres_server.h"

#include <csignal>

namespace codecrew::testing {
namespace {

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CODECREW_REQUIRE_POSTGRES();
    schema_ = std::make_unique<ScratchSchema>();
    env_ = {{"DATABASE_URL", schema_->url()},
            {"HEARTBEAT_INTERVAL_SECONDS", "1"},
            {"HEARTBEAT_TIMEOUT_SECONDS", "3"},
            {"CODECREW_LOG_FORMAT", "text"}};
    auto key = runCommand(binary(),
                          {"keys", "create", "--tenant", "acme", "--role", "admin", "--data-dir", api_a_.str()}, env_);
    ASSERT_EQ(key.exit_code, 0) << key.err;
    key_ = key.out.substr(0, key.out.find('\n'));
    api_a_process_ = startApi(api_a_, "codecrew-api-a");
    api_b_process_ = startApi(api_b_, "codecrew-api-b");
  }

  std::unique_ptr<ServerProcess> startApi(const TempDir& dir, const std::string& name) {
    auto env = env_;
    env["PGAPPNAME"] = name;
    return std::make_unique<ServerProcess>(binary(), dir.str(),
                                           std::vector<std::string>{"--replay", kCassette.string(), "--no-worker"},
                                           env);
  }

  std::unique_ptr<ServerProcess> startWorker(const std::string& dir, const std::string& name,
                                             const std::map<std::string, std::string>& extra = {}) {
    auto env = env_;
    env["PGAPPNAME"] = name;
    for (const auto& [k, v] : extra) env[k] = v;
    return ServerProcess::verb(binary(), "worker", dir, {"--replay", kCassette.string()}, env);
  }

  HttpResult call(const ServerProcess& node, const std::string& method, const std::string& target,
                  const std::string& body = "") {
    HttpClient client("127.0.0.1", node.port());
    return client.request(method, target, body, {{"Authorization", "Bearer " + key_}});
  }

  core::Id startExecution(const ServerProcess& node, const std::string& name) {
    boost::json::object body{{"name", name},
                             {"description", "A python3 wordcount.py with unit tests"},
                             {"crew", "sdlc"}};
    auto wf = call(node, "POST", "/workflows", boost::json::serialize(body));
    EXPECT_EQ(wf.status, 201) << wf.body;
    const auto workflow = wf.json().at("id").as_int64();
    auto started = call(node, "POST", "/workflows/" + std::to_string(workflow) + "/executions/start");
    EXPECT_EQ(started.status, 202) << started.body;
    workflows_[started.json().at("execution").at("id").as_int64()] = workflow;
    return started.json().at("execution").at("id").as_int64();
  }

  boost::json::object execution(const ServerProcess& node, core::Id e) {
    auto r = call(node, "GET", "/workflows/" + std::to_string(workflows_[e]) + "/executions/" + std::to_string(e));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().as_object() : boost::json::object{};
  }

  // Approves every gate of the executions, on alternating API nodes, until
  // each has ended (or timeout_s has passed).
  void approveThrough(const std::vector<core::Id>& ids, int timeout_s = 240) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    int turn = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      bool all_ended = true;
      for (core::Id e : ids) {
        const ServerProcess& node = (turn++ % 2) ? *api_b_process_ : *api_a_process_;
        auto x = execution(node, e);
        auto status = x.count("status") ? std::string(x.at("status").as_string()) : "";
        if (status == "completed" || status == "failed" || status == "cancelled") continue;
        all_ended = false;
        auto pending = call(node, "GET", "/approvals?execution_id=" + std::to_string(e)).json();
        if (pending.at("total").as_int64() > 0) {
          auto id = pending.at("approvals").at(0).at("id").as_int64();
          auto r = call(node, "POST", "/approvals/" + std::to_string(id) + "/approve", R"({"comment":"ok"})");
          EXPECT_TRUE(r.status == 200 || r.status == 409) << r.body;
        }
      }
      if (all_ended) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "executions did not end in " << timeout_s << " s";
  }

  // Whether the process is stopped (state T in /proc/<pid>/stat).
  static bool stopped(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'T';
  }

  // The worker holding the execution's job now ("" when none).
  std::string leaseOwner(core::Id e) {
    auto rows = runSql(schema_->url(), "SELECT lease_owner FROM execution_jobs WHERE execution_id = $1",
                       {std::to_string(e)});
    return rows.empty() || !rows[0][0] ? "" : *rows[0][0];
  }

  std::unique_ptr<ScratchSchema> schema_;
  std::map<std::string, std::string> env_;
  std::string key_;
  TempDir api_a_, api_b_, worker_dirs_;
  std::unique_ptr<ServerProcess> api_a_process_, api_b_process_;
  std::map<core::Id, core::Id> workflows_;  // execution -> workflow
};

TEST_F(ScaleOutTest, ExecutionsStartedAndDecidedOnAnyApiNodeRunOnTheWorkers) {
  auto w1 = startWorker(worker_dirs_.str() + "/w1", "codecrew-worker-1");
  auto w2 = startWorker(worker_dirs_.str() + "/w2", "codecrew-worker-2");
  std::vector<core::Id> ids = {startExecution(*api_a_process_, "one"), startExecution(*api_b_process_, "two"),
                               startExecution(*api_a_process_, "three")};
  approveThrough(ids);
  for (core::Id e : ids) {
    auto x = execution(*api_b_process_, e);
    EXPECT_EQ(x.at("status").as_string(), "completed") << boost::json::serialize(x);
    // Every model call of the example recorded once: none paid twice.
    EXPECT_EQ(x.at("total_calls").as_int64(), kExampleCalls) << boost::json::serialize(x);
  }
  // The API nodes ran nothing: no workspace in their data directories.
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(api_a_.str()) / "workspaces" / "t1"));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(api_b_.str()) / "workspaces" / "t1"));
  // Both API nodes and both workers together stay within their pools.
  EXPECT_LE(clientConnectionCount("codecrew-%"), 4 * 10);
}

TEST_F(ScaleOutTest, AWorkerStoppedPastItsLeaseIsTakenOverAndItsLateWritesAreRefused) {
  // Worker 1 stalls (SIGSTOP by its own fault hook) when its first model
  // answer has arrived, holding the lease, before it commits the turn.
  auto w1 = startWorker(worker_dirs_.str() + "/w1", "codecrew-worker-1",
                        {{"CODECREW_FAULT_STOP_AT", "after_llm_answer:1"}});
  core::Id e = startExecution(*api_a_process_, "zombie");
  for (int i = 0; i < 600 && !stopped(w1->pid()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(stopped(w1->pid()));
  const std::string zombie = leaseOwner(e);
  ASSERT_NE(zombie.find("worker-"), std::string::npos) << zombie;
  auto w2 = startWorker(worker_dirs_.str() + "/w2", "codecrew-worker-2");
  // Past the 3 s lease, worker 2 takes it over.
  std::string owner;
  for (int i = 0; i < 200; ++i) {
    owner = leaseOwner(e);
    if (!owner.empty() && owner != zombie) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(owner, zombie);
  w1->signal(SIGCONT);
  approveThrough({e});
  auto x = execution(*api_a_process_, e);
  EXPECT_EQ(x.at("status").as_string(), "completed") << boost::json::serialize(x) << "\nworker 1:\n"
                                                     << w1->stderrText() << "\nworker 2:\n"
                                                     << w2->stderrText();
  EXPECT_EQ(x.at("total_calls").as_int64(), kExampleCalls) << boost::json::serialize(x);
  // The woken worker found its lease lost and stopped that run.
  auto log = w1->stderrText();
  EXPECT_NE(log.find("lost the lease"), std::string::npos) << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
}

// The crash matrix: worker 1 is killed (SIGKILL by its fault hook) at a point
// of the run; worker 2 takes the job over after the lease and finishes it,
// with every model call of the example recorded once and the same files an
// uninterrupted run leaves.
class ScaleOutCrashTest : public ScaleOutTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(ScaleOutCrashTest, AnotherWorkerFinishesTheExecution) {
  auto w1 = startWorker(worker_dirs_.str() + "/w1", "codecrew-worker-1", {{"CODECREW_FAULT_KILL_AT", GetParam()}});
  core::Id e = startExecution(*api_a_process_, "crash");
  std::thread approver([&] { approveThrough({e}); });
  EXPECT_NE(w1->awaitExit(120'000), -2) << "worker 1 was not killed at " << GetParam();
  auto w2 = startWorker(worker_dirs_.str() + "/w2", "codecrew-worker-2");
  approver.join();
  auto x = execution(*api_b_process_, e);
  EXPECT_EQ(x.at("status").as_string(), "completed") << boost::json::serialize(x);
  EXPECT_EQ(x.at("total_calls").as_int64(), kExampleCalls) << boost::json::serialize(x);
  // The tree worker 2 finished with holds the example's program and tests.
  auto workspace = std::filesystem::path(worker_dirs_.str()) / "w2" / "workspaces";
  bool found = false;
  for (const auto& f : std::filesystem::recursive_directory_iterator(workspace)) {
    found |= f.path().filename() == "wordcount.py";
  }
  EXPECT_TRUE(found) << "no wordcount.py under " << workspace;
}

INSTANTIATE_TEST_SUITE_P(Points, ScaleOutCrashTest,
                         ::testing::Values("after_workspace:1", "after_llm_answer:3", "after_stage:1", "after_stage:2"),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string name = p.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace codecrew::testing
