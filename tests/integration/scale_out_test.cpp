// Scale-out against the real binaries and a real PostgreSQL: API nodes
// (`serve --no-worker`) and workers (`codecrew worker`), each with a data
// directory of its own as on separate hosts, sharing one database (a scratch
// schema of the test server). Executions started and decided on any node run
// on the workers; a worker killed or stopped past its lease is taken over.
#include "engine_api_fixture.h"
#include "support/free_port.h"
#include "support/postgres_server.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <random>
#include <set>

namespace codecrew::testing {
namespace {

// Reads one SSE stream of a workflow on a node into the seqs (`id:` lines)
// it delivers, until stopped.
class SseCollector {
 public:
  SseCollector(int port, const std::string& target, const std::string& key) : client_("127.0.0.1", port) {
    client_.setTimeout(std::chrono::seconds(30));
    reader_ = std::make_unique<HttpStreamReader>(
        client_.stream("GET", target, "", {{"Authorization", "Bearer " + key}}));
    thread_ = std::thread([this] {
      while (!stop_) {
        auto line = reader_->readLine(std::chrono::milliseconds(200));
        if (!line) {
          if (reader_->ended()) return;
          continue;
        }
        if (line->rfind("id: ", 0) == 0) {
          std::lock_guard lock(mu_);
          seqs_.push_back(std::stoll(line->substr(4)));
        }
      }
    });
  }
  ~SseCollector() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<std::int64_t> seqs() {
    std::lock_guard lock(mu_);
    return seqs_;
  }

 private:
  HttpClient client_;
  std::unique_ptr<HttpStreamReader> reader_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::int64_t> seqs_;
};

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
    api_a_process_ = startApi(api_a_, name("api-a"));
    api_b_process_ = startApi(api_b_, name("api-b"));
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

  struct Started {
    core::Id execution = 0;
    std::string workflow;
    std::vector<std::unique_ptr<SseCollector>> streams;  // both channels on both API nodes, when watched
  };

  // Creates an sdlc workflow on create_on, subscribes both API nodes to its
  // events when watch (before the start, so nothing is missed), and starts it
  // on start_on.
  Started start(const ServerProcess& create_on, const ServerProcess& start_on, const std::string& name, bool watch) {
    Started out;
    boost::json::object body{{"name", name},
                             {"description", "A python3 wordcount.py with unit tests"},
                             {"crew", "sdlc"}};
    auto wf = call(create_on, "POST", "/workflows", boost::json::serialize(body));
    EXPECT_EQ(wf.status, 201) << wf.body;
    if (wf.status != 201) return out;
    out.workflow = std::to_string(wf.json().at("id").as_int64());
    if (watch) out.streams = subscribeEverywhere(out.workflow);
    auto started = call(start_on, "POST", "/workflows/" + out.workflow + "/executions/start");
    EXPECT_EQ(started.status, 202) << started.body;
    if (started.status != 202) return out;
    out.execution = started.json().at("execution").at("id").as_int64();
    workflows_[out.execution] = wf.json().at("id").as_int64();
    return out;
  }

  core::Id startExecution(const ServerProcess& node, const std::string& name) {
    return start(node, node, name, false).execution;
  }

  // The execution as a node shows it; empty while the node cannot answer
  // (its database restarting).
  boost::json::object execution(const ServerProcess& node, core::Id e) {
    try {
      auto r = call(node, "GET", "/workflows/" + std::to_string(workflows_[e]) + "/executions/" + std::to_string(e));
      return r.status == 200 ? r.json().as_object() : boost::json::object{};
    } catch (const std::exception&) {
      return {};
    }
  }

  // Approves every gate of the executions, on alternating API nodes, until
  // each has ended (or timeout_s has passed). One listing of the pending
  // gates a round, and the executions' statuses once a second, so that
  // hundreds of executions stay within the API's per-key rate limit.
  void approveThrough(const std::vector<core::Id>& ids, int timeout_s = 240) {
    const std::set<core::Id> mine(ids.begin(), ids.end());
    std::set<core::Id> open = mine;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    auto next_check = std::chrono::steady_clock::now();
    for (int turn = 0; std::chrono::steady_clock::now() < deadline; ++turn) {
      const ServerProcess& node = (turn % 2) ? *api_b_process_ : *api_a_process_;
      try {
        auto pending = call(node, "GET", "/approvals?status=pending&page_size=200");
        if (pending.status == 200) {  // else the node's database is restarting
          const auto listing = pending.json();
          for (const auto& a : listing.at("approvals").as_array()) {
            if (!mine.count(a.at("execution_id").as_int64())) continue;
            auto r = call(node, "POST", "/approvals/" + std::to_string(a.at("id").as_int64()) + "/approve",
                          R"({"comment":"ok"})");
            EXPECT_TRUE(r.status == 200 || r.status == 409 || r.status == 503) << r.body;
          }
        }
      } catch (const std::exception&) {
      }
      if (std::chrono::steady_clock::now() >= next_check) {
        next_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        for (auto it = open.begin(); it != open.end();) {
          auto x = execution(node, *it);
          auto status = x.count("status") ? std::string(x.at("status").as_string()) : "";
          it = (status == "completed" || status == "failed" || status == "cancelled") ? open.erase(it) : std::next(it);
        }
        if (open.empty()) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Where each execution that did not end stands, and its job, for the
    // one who reads the failure.
    std::string stuck;
    for (core::Id e : open) stuck += "\n" + boost::json::serialize(execution(*api_a_process_, e));
    ADD_FAILURE() << open.size() << " executions did not end in " << timeout_s << " s:" << stuck;
  }

  // Whether the process is stopped (state T in /proc/<pid>/stat).
  static bool stopped(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'T';
  }

  // Both channels of a workflow on both API nodes (a, b), subscribed now.
  std::vector<std::unique_ptr<SseCollector>> subscribeEverywhere(const std::string& workflow);

  // Every stored event of the workflow reached every node's subscribers,
  // once each and in order (each channel carries its own share of seqs).
  void expectEveryEvent(const std::string& workflow, std::vector<std::unique_ptr<SseCollector>>& streams);

  // The worker holding the execution's job now ("" when none).
  std::string leaseOwner(core::Id e) {
    auto rows = runSql(schema_->url(), "SELECT lease_owner FROM execution_jobs WHERE execution_id = $1",
                       {std::to_string(e)});
    return rows.empty() || !rows[0][0] ? "" : *rows[0][0];
  }

  // The application_name of one of this test's processes: unique on the
  // server (tests run at once against it), so probes pick only this test's.
  static std::string name(const std::string& role) { return "cc" + std::to_string(::getpid()) + "-" + role; }

  std::unique_ptr<ScratchSchema> schema_;
  std::map<std::string, std::string> env_;
  std::string key_;
  TempDir api_a_, api_b_, worker_dirs_;
  std::unique_ptr<ServerProcess> api_a_process_, api_b_process_;
  std::map<core::Id, core::Id> workflows_;  // execution -> workflow
};

TEST_F(ScaleOutTest, ExecutionsStartedAndDecidedOnAnyApiNodeRunOnTheWorkers) {
  // Each worker's own view of what it ran, on its metrics listener.
  const int m1 = freeLoopbackPort();
  auto w1 = startWorker(worker_dirs_.str() + "/w1", name("worker-1"),
                        {{"CODECREW_METRICS_LISTEN", "127.0.0.1:" + std::to_string(m1)}});
  const int m2 = freeLoopbackPort();
  auto w2 = startWorker(worker_dirs_.str() + "/w2", name("worker-2"),
                        {{"CODECREW_METRICS_LISTEN", "127.0.0.1:" + std::to_string(m2)}});
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
  EXPECT_LE(clientConnectionCount(name("%")), 4 * 10);
  // The workers' runs that ended the executions add up to the three; the
  // database's view (codecrew_executions) is the same on every node.
  double finished = 0;
  for (int port : {m1, m2}) {
    auto scraped = HttpClient("127.0.0.1", port).request("GET", "/metrics");
    ASSERT_EQ(scraped.status, 200) << scraped.body;
    const std::string series = "\ncodecrew_executions_finished_total{state=\"completed\"} ";
    if (auto at = scraped.body.find(series); at != std::string::npos)
      finished += std::stod(scraped.body.substr(at + series.size()));
    EXPECT_NE(scraped.body.find("\ncodecrew_executions{state=\"completed\"} 3\n"), std::string::npos);
  }
  EXPECT_EQ(finished, 3);
}

TEST_F(ScaleOutTest, AWorkerStoppedPastItsLeaseIsTakenOverAndItsLateWritesAreRefused) {
  // Worker 1 stalls (SIGSTOP by its own fault hook) when its first model
  // answer has arrived, holding the lease, before it commits the turn.
  auto w1 = startWorker(worker_dirs_.str() + "/w1", name("worker-1"),
                        {{"CODECREW_FAULT_STOP_AT", "after_llm_answer:1"}});
  core::Id e = startExecution(*api_a_process_, "zombie");
  for (int i = 0; i < 600 && !stopped(w1->pid()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(stopped(w1->pid()));
  const std::string zombie = leaseOwner(e);
  ASSERT_NE(zombie.find("worker-"), std::string::npos) << zombie;
  auto w2 = startWorker(worker_dirs_.str() + "/w2", name("worker-2"));
  // Past the 3 s lease, worker 2 takes it over (past 10 s when worker 1
  // stopped inside a transaction: the server ends that session first).
  std::string owner;
  for (int i = 0; i < 600; ++i) {
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

std::vector<std::unique_ptr<SseCollector>> ScaleOutTest::subscribeEverywhere(const std::string& workflow) {
  std::vector<std::unique_ptr<SseCollector>> streams;
  for (const ServerProcess* node : {api_a_process_.get(), api_b_process_.get()}) {
    streams.push_back(std::make_unique<SseCollector>(node->port(), "/events/workflows/" + workflow, key_));
    streams.push_back(std::make_unique<SseCollector>(node->port(), "/events/workflows/" + workflow + "/stream", key_));
  }
  return streams;
}

void ScaleOutTest::expectEveryEvent(const std::string& workflow, std::vector<std::unique_ptr<SseCollector>>& streams) {
  auto last = runSql(schema_->url(), "SELECT max(seq) FROM events WHERE workflow_id = $1", {workflow});
  ASSERT_TRUE(!last.empty() && last[0][0]);
  const std::int64_t n = std::stoll(*last[0][0]);
  for (int node = 0; node < 2; ++node) {
    std::vector<std::int64_t> all;
    // Seq n is on one of the node's two channels: wait until either has it.
    for (int i = 0; i < 200; ++i) {
      auto a = streams[node * 2]->seqs();
      auto b = streams[node * 2 + 1]->seqs();
      if ((!a.empty() && a.back() == n) || (!b.empty() && b.back() == n)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (int ch = 0; ch < 2; ++ch) {
      auto seqs = streams[node * 2 + ch]->seqs();
      EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << "node " << node << " channel " << ch;
      all.insert(all.end(), seqs.begin(), seqs.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<std::int64_t> expected(static_cast<std::size_t>(n));
    std::iota(expected.begin(), expected.end(), 1);
    EXPECT_EQ(all, expected) << "API node " << (node == 0 ? "a" : "b");
  }
  for (auto& s : streams) s->stop();
}

TEST_F(ScaleOutTest, EveryApiNodesSubscribersSeeEveryEventOfAWorkersRunInOrderThroughDroppedConnections) {
  auto w1 = startWorker(worker_dirs_.str() + "/w1", name("worker-1"));
  auto watched = start(*api_a_process_, *api_b_process_, "watched", true);
  ASSERT_NE(watched.execution, 0);
  const core::Id e = watched.execution;
  const std::string& id = watched.workflow;
  auto& streams = watched.streams;
  // While it runs: both API nodes' LISTEN connections and the worker's own
  // connections are ended by the server, more than once.
  std::atomic<bool> running{true};
  std::atomic<int> peak{0};
  std::atomic<int> listeners_ended{0};
  std::thread chaos([&] {
    for (int round = 0; running && round < 3; ++round) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      listeners_ended += terminateBackends(name("api-_-listener"));
      terminateBackends(name("worker-1"));
    }
    while (running) {
      peak = std::max(peak.load(), clientConnectionCount(name("%")));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  approveThrough({e});
  running = false;
  chaos.join();
  EXPECT_GE(listeners_ended.load(), 2) << "both API nodes' LISTEN connections were ended at least once";
  auto x = execution(*api_a_process_, e);
  EXPECT_EQ(x.at("status").as_string(), "completed") << boost::json::serialize(x);
  EXPECT_EQ(x.at("total_calls").as_int64(), kExampleCalls) << boost::json::serialize(x);
  expectEveryEvent(id, streams);
  // Three processes, each within its pool (10) and its two signal connections.
  EXPECT_LE(peak.load(), 3 * 12);
}

// Many executions on 3 workers behind 2 API nodes while workers are killed
// (SIGKILL) and started again: every execution completes, none pays for a
// model answer twice beyond the kills that fell between an answer and its
// commit, and subscribers on both API nodes see every event of the
// workflows they watch, in order. CODECREW_SCALEOUT_EXECUTIONS sets how many
// (12 by default; 200 with CODECREW_SCALEOUT_EXECUTIONS=200).
TEST_F(ScaleOutTest, ManyExecutionsOnThreeWorkersThroughWorkerKills) {
  int n = 12;
  if (const char* v = std::getenv("CODECREW_SCALEOUT_EXECUTIONS")) n = std::max(1, std::atoi(v));
  std::vector<std::unique_ptr<ServerProcess>> workers;
  for (int w = 0; w < 3; ++w)
    workers.push_back(startWorker(worker_dirs_.str() + "/w" + std::to_string(w), name("worker-" + std::to_string(w))));
  std::vector<core::Id> ids;
  std::map<core::Id, std::vector<std::unique_ptr<SseCollector>>> watched;  // every 8th execution's workflow
  for (int i = 0; i < n; ++i) {
    const ServerProcess& node = i % 2 ? *api_b_process_ : *api_a_process_;
    auto started = start(node, node, "many-" + std::to_string(i), i % 8 == 0);
    ASSERT_NE(started.execution, 0);
    ids.push_back(started.execution);
    if (!started.streams.empty()) watched[started.execution] = std::move(started.streams);
  }
  std::atomic<bool> running{true};
  int kills = 0;
  std::thread chaos([&] {
    std::mt19937 random(7);
    for (; running && kills < 5; ++kills) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      const int w = static_cast<int>(random() % workers.size());
      workers[w]->signal(SIGKILL);
      workers[w]->awaitExit(5000);
      workers[w] = startWorker(worker_dirs_.str() + "/w" + std::to_string(w), name("worker-" + std::to_string(w)));
    }
  });
  // Under ctest's 300 s by default: a stuck execution is reported, not timed out.
  approveThrough(ids, n <= 12 ? 200 : 600);
  running = false;
  chaos.join();
  std::int64_t extra_calls = 0;
  for (core::Id e : ids) {
    auto x = execution(*api_a_process_, e);
    EXPECT_EQ(x.at("status").as_string(), "completed") << boost::json::serialize(x);
    EXPECT_GE(x.at("total_calls").as_int64(), kExampleCalls) << e;
    extra_calls += x.at("total_calls").as_int64() - kExampleCalls;
  }
  EXPECT_LE(extra_calls, kills) << "answers paid twice beyond the kills between an answer and its commit";
  for (auto& [e, streams] : watched) expectEveryEvent(std::to_string(workflows_[e]), streams);
}

// PostgreSQL restarts (a fast shutdown, then up again) while a worker runs:
// every process reconnects (within its pool's ceiling), the run goes on from
// its checkpoint, and no subscriber misses an event. Runs alone: the restart
// breaks every test's connections.
TEST_F(ScaleOutTest, RestartOfPostgresDuringARunLosesNothing) {
  auto w1 = startWorker(worker_dirs_.str() + "/w1", name("worker-1"));
  auto watched = start(*api_a_process_, *api_b_process_, "restart", true);
  ASSERT_NE(watched.execution, 0);
  const core::Id e = watched.execution;
  const std::string& id = watched.workflow;
  auto& streams = watched.streams;
  std::thread restarter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    restartServer();
  });
  approveThrough({e});
  restarter.join();
  auto x = execution(*api_a_process_, e);
  EXPECT_EQ(x.at("status").as_string(), "completed") << boost::json::serialize(x);
  EXPECT_GE(x.at("total_calls").as_int64(), kExampleCalls) << boost::json::serialize(x);
  expectEveryEvent(id, streams);
  EXPECT_LE(clientConnectionCount(name("%")), 3 * 12);
}

// The crash matrix: worker 1 is killed (SIGKILL by its fault hook) at a point
// of the run (after the claim and the workspace, after a model's answer
// before its commit, after a stage's commit, while ending a run's lease); worker 2 takes the job over after the lease
// and finishes it, with every model call of the example recorded once and the same files an uninterrupted run leaves.
class ScaleOutCrashTest : public ScaleOutTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(ScaleOutCrashTest, AnotherWorkerFinishesTheExecution) {
  auto w1 = startWorker(worker_dirs_.str() + "/w1", name("worker-1"), {{"CODECREW_FAULT_KILL_AT", GetParam()}});
  core::Id e = startExecution(*api_a_process_, "crash");
  std::thread approver([&] { approveThrough({e}); });
  EXPECT_NE(w1->awaitExit(120'000), -2) << "worker 1 was not killed at " << GetParam();
  auto w2 = startWorker(worker_dirs_.str() + "/w2", name("worker-2"));
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
                         ::testing::Values("after_workspace:1", "after_llm_answer:3", "after_stage:1", "after_stage:2",
                                           "during_completion:1"),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string name = p.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace codecrew::testing
