// seed_pull_request: writes, through the Store (migrations applied), what
// the delivery to GitHub leaves behind for the web UI's browser test
// (pull_request.test.mjs), since the tests have no GitHub: one workflow of the
// dev tenant ("default", the tenant of `serve --dev`) whose first execution
// pushed its branch and opened pull request #42, two follow-up executions of
// the loop (a fix of the failing checks, an answer to a review comment), the
// pull request row with its loop stopped (needs_human, 2 fix attempts, their
// fingerprints), two checks on its head (one success, one failure with the
// tail of its output) and the delivery.* events of all that. Every execution
// has ended and its job succeeded, so the server starts none of them.
// Timestamps come from a fake clock. Prints {"workflow_id", "executions":
// [first, fix, review], "pull_request"} as JSON.
//
//   seed_pull_request --data-dir D
#include "core/clock.h"
#include "store/store.h"
#include "store/store_factory.h"

#include <boost/json.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace {
namespace json = boost::json;
using codecrew::core::Id;
using codecrew::core::Status;
namespace store = codecrew::store;

constexpr std::int64_t kNumber = 42;
constexpr const char* kRepository = "acme/wordcount";
constexpr const char* kFirstSha = "3f2a9c1d5e6b7a8c9d0e1f2a3b4c5d6e7f8a9b0c";
constexpr const char* kFixSha = "b7e4d2a19c3f5e6d7c8b9a0f1e2d3c4b5a6f7e8d";
constexpr const char* kHeadSha = "c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0";
constexpr const char* kFixFingerprint = "5d41402abc4b2a76";
constexpr const char* kReviewFingerprint = "7d793037a0760186";
constexpr const char* kReason = "the same failure came back after a fix (fingerprint 5d41402abc4b2a76)";

class Seeder {
 public:
  Seeder(std::shared_ptr<codecrew::core::FakeClock> clock, Id tenant) : clock_(std::move(clock)), tenant_(tenant) {}

  Status run(store::Store& db) {
    db_ = &db;
    store::Workflow w;
    w.tenant_id = tenant_;
    w.name = "wordcount (delivered)";
    w.description = "A python3 command-line program wordcount.py that counts lines, words and characters";
    w.repository_url = "https://github.com/acme/wordcount";
    w.crew = "sdlc";
    auto wf = db_->createWorkflow(w);
    if (!wf) return wf.error();
    workflow_ = wf->value.id;

    // The first execution: its delivery stage pushed the branch and opened the pull request.
    auto first = execution();
    if (!first) return first.error();
    branch_ = "codecrew/execution-" + std::to_string(*first);
    if (auto st = run(*first, kFirstSha, true, ""); !st) return st;
    store::PullRequest pr;
    pr.tenant_id = tenant_;
    pr.workflow_id = workflow_;
    pr.number = kNumber;
    pr.url = std::string("https://github.com/") + kRepository + "/pull/" + std::to_string(kNumber);
    pr.title = "wordcount: count lines, words and characters";
    pr.state = "open";
    pr.head_branch = branch_;
    pr.base_branch = "main";
    pr.head_sha = kFirstSha;
    pr.repository = kRepository;
    pr.draft = true;
    auto saved = db_->upsertPullRequest(pr);
    if (!saved) return saved.error();
    pr = *saved;

    // The tests failed: the loop started a fix, which pushed.
    if (auto st = loopEvent(
            "delivery.check",
            {{"check", "tests"}, {"status", "completed"}, {"conclusion", "failure"}, {"head_sha", kFirstSha}});
        !st)
      return st;
    auto fix = execution();
    if (!fix) return fix.error();
    pr.fix_attempts = 1;
    pr.fingerprints = json::array{kFixFingerprint};
    pr.loop_state = "fixing";
    pr.loop_reason = "fix_checks";
    if (auto r = db_->upsertPullRequest(pr); !r) return r.error();
    if (auto st = loopEvent(
            "delivery.follow_up_started",
            {{"kind", "fix_checks"}, {"fingerprint", kFixFingerprint}, {"attempt", 1}, {"execution_id", *fix}});
        !st)
      return st;
    if (auto st = run(*fix, kFixSha, false, "fix_checks"); !st) return st;

    // A reviewer asked for a change in a comment: the loop answered it.
    auto review = execution();
    if (!review) return review.error();
    pr.fix_attempts = 2;
    pr.fingerprints = json::array{kFixFingerprint, kReviewFingerprint};
    pr.loop_reason = "review_comment:1234";
    if (auto r = db_->upsertPullRequest(pr); !r) return r.error();
    if (auto st = loopEvent("delivery.follow_up_started", {{"kind", "review_comment:1234"},
                                                           {"fingerprint", kReviewFingerprint},
                                                           {"attempt", 2},
                                                           {"execution_id", *review}});
        !st)
      return st;
    if (auto st = run(*review, kHeadSha, false, "review_comment:1234"); !st) return st;

    // The checks of the new head: the build passes, the same tests fail again, and the loop stops.
    pr.head_sha = kHeadSha;
    if (auto r = db_->upsertPullRequest(pr); !r) return r.error();
    if (auto st = check("build", "success", "Build succeeded\nwheel and sdist built", ""); !st) return st;
    if (auto st = check("tests", "failure", "3 tests failed\npytest: 21 passed, 3 failed",
                        "tests/test_wordcount.py::test_empty_file FAILED\n"
                        "tests/test_wordcount.py::test_unicode_words FAILED\n"
                        "tests/test_wordcount.py::test_trailing_newline FAILED\n\n"
                        "E   AssertionError: assert (0, 0, 0) == (1, 0, 0)\n"
                        "=========== 3 failed, 21 passed in 0.41s ===========\n");
        !st)
      return st;
    pr.loop_state = "needs_human";
    pr.loop_reason = kReason;
    if (auto r = db_->upsertPullRequest(pr); !r) return r.error();
    if (auto st = loopEvent("delivery.needs_human", {{"reason", kReason}}); !st) return st;
    if (auto r = db_->updateWorkflowStatus(tenant_, workflow_, store::RunStatus::kCompleted); !r) return r.error();
    return {};
  }

  Id workflow() const { return workflow_; }
  const std::vector<Id>& executions() const { return executions_; }

 private:
  void tick(int ms) { clock_->advance(std::chrono::milliseconds(ms)); }

  // A new execution (its job queued until run() ends it).
  codecrew::core::Result<Id> execution() {
    tick(60'000);
    auto ex = db_->createExecution(tenant_, workflow_, std::nullopt,
                                   json::object{{"source", "tests/ui/seed_pull_request"}});
    if (!ex) return ex.error();
    executions_.push_back(ex->value.id);
    return ex->value.id;
  }

  // The execution runs to its delivery stage, which pushes (its delivery.pull_request
  // event), and ends; its job succeeded, so the server has nothing to recover.
  Status run(Id id, const char* sha, bool opened, const std::string& follow_up) {
    auto e = db_->getExecutionById(tenant_, id);
    if (!e) return e.error();
    e->started_at = clock_->nowMillis();
    if (auto st = event(id, "execution.status", {{"status", "running"}, {"stage", "NEW"}}); !st) return st;
    tick(80'000);
    if (auto st = event(id, "delivery.pull_request",
                        {{"number", kNumber},
                         {"url", std::string("https://github.com/") + kRepository + "/pull/" + std::to_string(kNumber)},
                         {"branch", branch_},
                         {"head_sha", sha},
                         {"opened", opened},
                         {"adopted", false},
                         {"follow_up", follow_up}});
        !st)
      return st;
    if (auto st = event(id, "execution.status", {{"status", "completed"}, {"branch", branch_}}); !st) return st;
    e->status = store::RunStatus::kCompleted;
    e->stage = store::Stage::kDone;
    e->finished_at = clock_->nowMillis();
    e->meta = json::object{{"source", "tests/ui/seed_pull_request"}, {"follow_up", follow_up}};
    if (auto r = db_->updateExecution(*e); !r) return r.error();
    auto job = db_->getJobForExecution(tenant_, id);
    if (!job) return job.error();
    job->status = store::JobStatus::kSucceeded;
    job->attempts = 1;
    if (auto r = db_->updateJob(*job); !r) return r.error();
    return {};
  }

  Status check(const std::string& name, const std::string& conclusion, const std::string& summary,
               const std::string& output) {
    store::Check c;
    c.tenant_id = tenant_;
    c.pull_request_id = pull_request_id_;
    c.name = name;
    c.status = "completed";
    c.conclusion = conclusion;
    c.url = std::string("https://github.com/") + kRepository + "/runs/" + std::to_string(9000 + checks_++);
    c.head_sha = kHeadSha;
    c.summary = summary;
    c.output = output;
    if (c.pull_request_id == 0) {
      auto pr = db_->getPullRequest(tenant_, workflow_);
      if (!pr) return pr.error();
      c.pull_request_id = pull_request_id_ = (*pr)->id;
    }
    if (auto r = db_->upsertCheck(c); !r) return r.error();
    return loopEvent("delivery.check",
                     {{"check", name}, {"status", "completed"}, {"conclusion", conclusion}, {"head_sha", kHeadSha}});
  }

  // An event of the loop: the workflow's, no execution's, naming the pull request.
  Status loopEvent(const std::string& type, json::object data) {
    data["pull_request"] = kNumber;
    return event(std::nullopt, type, std::move(data));
  }

  Status event(std::optional<Id> execution, const std::string& type, json::object data) {
    store::Event e;
    e.tenant_id = tenant_;
    e.workflow_id = workflow_;
    e.execution_id = execution;
    e.type = type;
    e.data = std::move(data);
    auto r = db_->appendEvent(e);
    if (!r) return r.error();
    tick(5'000);
    return {};
  }

  store::Store* db_ = nullptr;
  std::shared_ptr<codecrew::core::FakeClock> clock_;
  Id tenant_;
  Id workflow_ = 0;
  Id pull_request_id_ = 0;
  int checks_ = 0;
  std::string branch_;
  std::vector<Id> executions_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data-dir" && i + 1 < argc) {
      data_dir = argv[++i];
    } else {
      data_dir.clear();
      break;
    }
  }
  if (data_dir.empty()) {
    std::cerr << "usage: seed_pull_request --data-dir DIR\n";
    return 2;
  }
  // A fixed start (2026-04-01T09:00:00Z): the same seed writes the same rows.
  auto clock = std::make_shared<codecrew::core::FakeClock>(1'775'034'000'000);
  auto db = store::openSqliteStore(data_dir + "/codecrew.db", clock);
  if (!db) {
    std::cerr << "seed_pull_request: " << db.error().message << "\n";
    return 1;
  }
  auto tenant = (*db)->ensureTenant("default");
  if (!tenant) {
    std::cerr << "seed_pull_request: " << tenant.error().message << "\n";
    return 1;
  }
  Seeder seeder(clock, tenant->id);
  auto st = (*db)->transact([&](store::Store& tx) { return seeder.run(tx); });
  if (!st) {
    std::cerr << "seed_pull_request: " << st.error().message << "\n";
    return 1;
  }
  json::array executions;
  for (Id id : seeder.executions()) executions.push_back(id);
  std::cout << json::serialize(json::object{{"workflow_id", seeder.workflow()},
                                            {"executions", std::move(executions)},
                                            {"pull_request", kNumber}})
            << std::endl;
  return 0;
}
