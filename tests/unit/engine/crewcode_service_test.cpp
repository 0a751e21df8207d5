// CrewCodeService without a model: sessions and their limits, expiry on a
// FakeClock with the sweep of rows, workflows and workspaces, the bounded
// wait (a queue that never runs: 504 naming the execution), an update's
// changes stored back when its execution ends, and the fenced-file format.
#include "engine/crewcode_service.h"
#include "engine/crew_execution_service.h"
#include "engine/semantic_context.h"
#include "engine/session_path.h"
#include "engine/session_sweeper.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>

namespace codecrew::engine {
namespace {
namespace fs = std::filesystem;
using core::ErrorCode;

// A queue that records what was queued and never runs it.
class ParkedQueue final : public ExecutionQueue {
 public:
  core::Status enqueue(core::Id, core::Id execution_id) override {
    queued.push_back(execution_id);
    return core::okStatus();
  }
  core::Result<int> recover() override { return 0; }
  void release(core::Id) override {}
  std::vector<core::Id> queued;
};

class CrewCodeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<core::FakeClock>();
    auto s = store::openSqliteStore((dir_.path() / "codecrew.db").string(), clock_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    tenant_ = store_->ensureTenant("acme")->id;
    other_ = store_->ensureTenant("globex")->id;
    auto crews = CrewCatalog::builtIn();
    ASSERT_TRUE(crews.ok());
    queue_ = std::make_shared<ParkedQueue>();
    crews_ = std::make_shared<const CrewCatalog>(*crews);
    executions_ = std::make_shared<CrewExecutionService>(store_, clock_, nullptr, queue_, crews_);
    settings_.session_ttl = std::chrono::hours(1);
    settings_.run_timeout = std::chrono::milliseconds(0);
    settings_.max_file_bytes = 100;
    settings_.max_session_bytes = 150;
    settings_.max_session_files = 3;
    service_ = std::make_shared<CrewCodeService>(store_, executions_, crews_, dir_.path() / "ws", watch_,
                                                 std::make_shared<ProgressRelay>(), clock_, settings_);
  }

  store::CrewSession session(core::Id tenant = 0) {
    auto s = service_->createSession(tenant ? tenant : tenant_, "demo",
                                     {{"greet.py", "def greet(n):\n    return n\n"}, {"TODO.txt", "farewell\n"}});
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? *s : store::CrewSession{};
  }

  // Ends the execution as the engine would: status, then the queue's report.
  void end(core::Id execution_id, const std::string& status) {
    auto e = store_->getExecutionById(tenant_, execution_id);
    ASSERT_TRUE(e.ok());
    e->status = store::parseRunStatus(status).value();
    ASSERT_TRUE(store_->updateExecution(*e).ok());
    watch_->finished(execution_id, status == "completed" ? RunOutcome::kCompleted : RunOutcome::kFailed);
  }

  static core::Id executionOf(const core::Error& e) { return e.details.as_object().at("execution_id").as_int64(); }

  codecrew::testing::TempDir dir_;
  std::shared_ptr<core::FakeClock> clock_;
  std::shared_ptr<store::Store> store_;
  core::Id tenant_ = 0, other_ = 0;
  std::shared_ptr<ParkedQueue> queue_;
  std::shared_ptr<const CrewCatalog> crews_;
  std::shared_ptr<ExecutionService> executions_;
  std::shared_ptr<ExecutionWatch> watch_ = std::make_shared<ExecutionWatch>();
  CrewCodeSettings settings_;
  std::shared_ptr<CrewCodeService> service_;
};

TEST_F(CrewCodeServiceTest, SessionExpiresAfterItsTtlWithoutUse) {
  auto s = session();
  EXPECT_EQ(s.expires_at, clock_->nowMillis() + 3'600'000);
  clock_->advance(std::chrono::minutes(50));
  ASSERT_TRUE(service_->putFile(tenant_, s.id, "b.txt", "b").ok());  // a write pushes the expiry
  clock_->advance(std::chrono::minutes(50));
  auto alive = service_->getSession(tenant_, s.id);
  ASSERT_TRUE(alive.ok()) << alive.error().message;
  EXPECT_EQ(alive->file_count, 3);

  clock_->advance(std::chrono::minutes(11));
  auto gone = service_->getSession(tenant_, s.id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_NE(gone.error().message.find("expire"), std::string::npos) << gone.error().message;
  EXPECT_EQ(store_->getSession(tenant_, s.id).error().code, ErrorCode::kNotFound);  // the row is deleted
}

TEST_F(CrewCodeServiceTest, SweepDeletesExpiredSessionsWithTheirWorkflowAndWorkspaces) {
  auto s = session();
  auto keep = session();
  auto r = service_->update(tenant_, s.id, "add farewell");
  ASSERT_EQ(r.error().code, ErrorCode::kDeadlineExceeded);
  core::Id e = executionOf(r.error());
  end(e, "failed");
  auto linked = store_->getSession(tenant_, s.id);
  ASSERT_TRUE(linked.ok() && linked->workflow_id);
  fs::path leftover = fs::path(store_->getExecutionById(tenant_, e).value().workspace);
  fs::create_directories(leftover);
  // The session's semantic index (GET /sessions/{id}/search) goes with it; the kept one's stays.
  auto index = indexFolder(indexRootFor(dir_.path() / "ws"), tenant_, "session-" + std::to_string(s.id));
  auto keptIndex = indexFolder(indexRootFor(dir_.path() / "ws"), tenant_, "session-" + std::to_string(keep.id));
  fs::create_directories(index / "lexical");
  fs::create_directories(keptIndex / "lexical");

  clock_->advance(std::chrono::minutes(30));
  ASSERT_TRUE(service_->putFile(tenant_, keep.id, "a.txt", "a").ok());
  clock_->advance(std::chrono::minutes(31));
  auto swept = service_->sweepExpired();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(store_->getSession(tenant_, s.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->getWorkflow(tenant_, *linked->workflow_id).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(leftover));
  EXPECT_FALSE(fs::exists(index));
  EXPECT_TRUE(fs::exists(keptIndex));
  EXPECT_TRUE(service_->getSession(tenant_, keep.id).ok());
}

TEST_F(CrewCodeServiceTest, WaitIsBoundedAndNamesTheExecutionWhichIsCleanedUpWhenItEnds) {
  auto r = service_->generate(tenant_, "a slugify function", "python");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kDeadlineExceeded);
  core::Id e = executionOf(r.error());
  ASSERT_EQ(queue_->queued, std::vector<core::Id>{e});
  auto exec = store_->getExecutionById(tenant_, e);
  ASSERT_TRUE(exec.ok());
  auto wf = store_->getWorkflow(tenant_, exec->workflow_id);
  ASSERT_TRUE(wf.ok());
  EXPECT_EQ(wf->crew, "codegen");
  EXPECT_NE(wf->description.find("Write it in python."), std::string::npos);
  fs::path ws = fs::path(store_->getExecutionById(tenant_, e).value().workspace);
  EXPECT_TRUE(fs::exists(ws / ".git"));
  end(e, "failed");
  EXPECT_FALSE(fs::exists(ws));
}

TEST_F(CrewCodeServiceTest, AnUpdateStoresWhatTheCrewChangedBackIntoTheSession) {
  auto s = session();
  auto r = service_->update(tenant_, s.id, "add farewell");
  core::Id e = executionOf(r.error());
  auto again = service_->update(tenant_, s.id, "something else");
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);  // one update of a session at a time

  fs::path ws = fs::path(store_->getExecutionById(tenant_, e).value().workspace);
  std::ofstream(ws / "greet.py", std::ios::trunc)
      << "def greet(n):\n    return n\n\n\ndef farewell(n):\n    return n\n";
  std::ofstream(ws / "test_greet.py") << "import greet\n";
  fs::remove(ws / "TODO.txt");
  fs::create_directories(ws / "docs" / "crew");
  std::ofstream(ws / "docs" / "crew" / "plan.json") << "{}";  // the crew's notes stay out
  end(e, "completed");

  auto files = service_->listFiles(tenant_, s.id);
  ASSERT_TRUE(files.ok());
  std::vector<std::string> paths;
  for (const auto& f : *files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"greet.py", "test_greet.py"}));
  EXPECT_NE((*files)[0].content.find("def farewell"), std::string::npos);
  EXPECT_FALSE(fs::exists(ws));
  EXPECT_EQ(service_->update(tenant_, s.id, "next").error().code, ErrorCode::kDeadlineExceeded);  // free again
}

TEST_F(CrewCodeServiceTest, PathsContentAndLimitsAreChecked) {
  for (const char* bad : {"../x", "a/../../x", "/etc/passwd", "a//b", "a/", ".git/config", "a\\b", "./a", "C:/x", ""}) {
    auto r = service_->createSession(tenant_, "", {{bad, "x"}});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(checkSessionPath("src/dir.v2/app.py").ok());
  EXPECT_EQ(service_->createSession(tenant_, "", {{"bin", std::string("a\0b", 3)}}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->createSession(tenant_, "", {{"big", std::string(101, 'x')}}).error().code,
            ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(
      service_->createSession(tenant_, "", {{"a", std::string(80, 'x')}, {"b", std::string(80, 'x')}}).error().code,
      ErrorCode::kPayloadTooLarge);
  auto s = session();
  ASSERT_TRUE(service_->putFile(tenant_, s.id, "c", "c").ok());
  EXPECT_EQ(service_->putFile(tenant_, s.id, "d", "d").error().code, ErrorCode::kPayloadTooLarge);  // 4 files
  EXPECT_TRUE(service_->putFile(tenant_, s.id, "c", "cc").ok());  // replacing stays within the limit
  EXPECT_EQ(service_->putFile(tenant_, s.id, "../c", "c").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->getFile(tenant_, s.id, "nope.txt").error().code, ErrorCode::kNotFound);
}

TEST_F(CrewCodeServiceTest, AnotherTenantsSessionIsNotFound) {
  auto s = session();
  EXPECT_EQ(service_->getSession(other_, s.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->getFile(other_, s.id, "greet.py").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->putFile(other_, s.id, "x", "y").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->update(other_, s.id, "z").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(queue_->queued.empty());
}

TEST_F(CrewCodeServiceTest, TheSweeperDeletesExpiredSessionsWithoutAnyCall) {
  auto s = session();
  clock_->advance(std::chrono::hours(2));
  boost::asio::io_context io;
  auto sweeper = std::make_shared<SessionSweeper>(io.get_executor(), service_, std::chrono::milliseconds(1));
  sweeper->start();
  bool gone = false;
  for (int i = 0; i < 10000 && !gone; ++i) {
    io.run_one();
    gone = !store_->getSession(tenant_, s.id).ok();
  }
  EXPECT_TRUE(gone);
  sweeper->stop();
  io.run();  // returns once the stopped sweeper's coroutine has ended
}

TEST(FencedFiles, ExtractsNamedBlocksAndRendersThemBack) {
  auto m = extractFencedFiles(
      "Please fix this.\n```python\nprint(1)\n```\n```src/app.py\nx = 1\n```\n"
      "```js web/a.js\nlet a\n```\nThanks\n```notes.md\nunclosed\n");
  ASSERT_EQ(m.files.size(), 2u);
  EXPECT_EQ(m.files[0], (std::pair<std::string, std::string>{"src/app.py", "x = 1\n"}));
  EXPECT_EQ(m.files[1], (std::pair<std::string, std::string>{"web/a.js", "let a\n"}));
  EXPECT_EQ(m.text, "Please fix this.\n```python\nprint(1)\n```\nThanks\n```notes.md\nunclosed\n");

  std::string md = renderFencedFiles(
      {{"a.md", "added", "see ```code```\n"}, {"b.py", "modified", "b"}, {"c", "deleted", ""}});
  EXPECT_EQ(md, "````a.md\nsee ```code```\n````\n\n```b.py\nb\n```\n\nDeleted: `c`\n");
  auto back = extractFencedFiles(md);
  ASSERT_EQ(back.files.size(), 2u);
  EXPECT_EQ(back.files[0].second, "see ```code```\n");
}

}  // namespace
}  // namespace codecrew::engine
