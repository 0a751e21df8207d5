// A worker that takes an execution over on another host, whose disk has no
// workspace (or an older copy of it), rebuilds the workspace from what the
// store holds before it resumes: the same tree, the same commits (shas and
// messages), and no model call made twice. A step the store has lost or
// holds corrupt fails the execution resumably, with nothing left to run on.
// On one host nothing changes: the workspace that is there is kept.
#include "engine/workspace_rebuild.h"
#include "engine/workspace_recorder.h"
#include "engine_fixture.h"

#include "core/utf8.h"
#include "store/store_wrapper.h"
#include "tools/git/git_repository.h"

#include <map>

namespace codecrew::engine::test {
namespace {

namespace fs = std::filesystem;

// The files of a work tree (less .git), path -> content.
std::map<std::string, std::string> filesOf(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    files[fs::relative(it->path(), dir).string()] = s.str();
  }
  return files;
}

// The messages of HEAD's commits, oldest first, with the execution's id
// replaced by "N" so that two executions' histories compare.
std::vector<std::string> messagesOf(const fs::path& dir, core::Id exec) {
  auto git = tools::GitRepository::open(dir.string());
  EXPECT_TRUE(git.ok());
  auto commits = git->commitsSince("", git->headCommit().value());
  EXPECT_TRUE(commits.ok());
  std::vector<std::string> out;
  for (const auto& sha : *commits) {
    std::string object = git->commitObject(sha).value();
    std::string message = object.substr(object.find("\n\n") + 2);
    for (const std::string& id : {"execution " + std::to_string(exec), "execution-" + std::to_string(exec)}) {
      for (auto at = message.find(id); at != std::string::npos; at = message.find(id))
        message.replace(at, id.size(), id.substr(0, 10) + "N");
    }
    out.push_back(message);
  }
  return out;
}

void writeFile(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// The git layer under the rebuild: commits made again from their objects
// and patches are the same commits, binary files, text that is not UTF-8,
// empty files, modes, deletions and renames included, and every patch is
// text a TEXT column keeps.
TEST(WorkspaceHistory, CommitsAndChangesAreMadeAgainExactly) {
  codecrew::testing::TempDir dir;
  fs::path a = dir.path() / "a", b = dir.path() / "b";
  auto git = tools::GitRepository::openOrInit(a.string()).value();
  std::string binary("\x00\x01\x02\xff\xfe binary\n", 13);
  writeFile(a / "empty", "");
  writeFile(a / "latin1.txt", "caf\xe9\n");
  writeFile(a / "bin/blob", binary);
  writeFile(a / "old-name.txt", "moved\n");
  writeFile(a / "run.sh", "#!/bin/sh\n");
  fs::permissions(a / "run.sh", fs::perms::owner_exec, fs::perm_options::add);
  tools::GitAuthor author{"codecrew", "codecrew@codecrew.local"};
  ASSERT_TRUE(git.commitAll(author, "first").ok());
  writeFile(a / "bin/blob", binary + binary + "more");
  writeFile(a / "latin1.txt", "caf\xe9 cr\xe8me\n");
  fs::rename(a / "old-name.txt", a / "new-name.txt");
  fs::remove(a / "empty");
  ASSERT_TRUE(git.commitAll(author, "second\n\nwith a body\n").ok());
  writeFile(a / "bin/untracked", binary);
  writeFile(a / "bin/blob", "now text\n");
  writeFile(a / "new-name.txt", "moved and changed\n");
  auto head = git.headCommit().value();
  auto changes = git.workingTreePatch(head);
  ASSERT_TRUE(changes.ok()) << changes.error().message;

  auto copy = tools::GitRepository::openOrInit(b.string()).value();
  auto commits = git.commitsSince("", head).value();
  ASSERT_EQ(commits.size(), 2u);
  for (const auto& sha : commits) {
    // As the store keeps it: text a TEXT column takes, hex-encoded when not.
    store::WorkspaceStep step;
    step.object = git.commitObject(sha).value();
    step.patch = git.commitPatch(sha).value();
    encodeWorkspaceStep(step);
    EXPECT_EQ(step.encoding, "hex") << "latin1.txt is in both commits";
    EXPECT_TRUE(core::isStorableUtf8(step.object) && core::isStorableUtf8(step.patch));
    ASSERT_TRUE(decodeWorkspaceStep(step).ok());
    auto made = copy.restoreCommit(step.object, step.patch);
    ASSERT_TRUE(made.ok()) << made.error().message;
    EXPECT_EQ(*made, sha);
  }
  ASSERT_TRUE(copy.resetBranch("codecrew/execution-1", head).ok());
  ASSERT_TRUE(copy.applyToWorkingTree(*changes).ok());
  EXPECT_EQ(filesOf(b), filesOf(a));
  EXPECT_EQ(copy.workingTreePatch(head).value(), *changes);
  EXPECT_TRUE(fs::status(b / "run.sh").permissions() != fs::perms::none &&
              (fs::status(b / "run.sh").permissions() & fs::perms::owner_exec) != fs::perms::none);

  // A patch that does not make the commit's tree is refused, naming it.
  auto other = tools::GitRepository::openOrInit((dir.path() / "c").string()).value();
  auto wrong = other.restoreCommit(git.commitObject(commits[0]).value(), git.commitPatch(commits[1]).value());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(wrong.error().message.find(commits[0]), std::string::npos) << wrong.error().message;
}

class WorkspaceRebuildTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    workspaces_root_ = dir_.path();
  }

  fs::path workspace() const { return dir_.path() / "repo"; }

  // An uninterrupted run of the same crew in its own workspace: the tree and
  // history the others must end with.
  void runReference() {
    auto engine = makeEngine();
    auto exec = newExecution("testcrew", "two files", "reference", repository_url_);
    ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted);
    reference_files_ = filesOf(dir_.path() / "reference");
    reference_messages_ = messagesOf(dir_.path() / "reference", exec);
  }

  // Runs a new execution until the nth time the run reaches point.
  core::Id crashAt(const std::string& point, int nth) {
    int seen = 0;
    auto crashing = makeEngine([&](const std::string& at) { return at == point && ++seen == nth; });
    auto exec = newExecution("testcrew", "two files", "repo", repository_url_);
    EXPECT_FALSE(run(*crashing, exec).ok()) << "the crash point was never reached";
    return exec;
  }

  void expectLikeTheReference(core::Id exec) {
    EXPECT_EQ(filesOf(workspace()), reference_files_);
    EXPECT_EQ(messagesOf(workspace(), exec), reference_messages_);
    // The commits the checkpoint names are the ones on the branch.
    auto cp = ExecutionCheckpoint::fromJson(execution(exec).checkpoint).value();
    auto git = tools::GitRepository::open(workspace().string()).value();
    auto head = git.headCommit().value();
    EXPECT_EQ(git.currentBranch().value(), cp.branch);
    EXPECT_FALSE(cp.commits.empty());
    for (const auto& [visit, sha] : cp.commits) EXPECT_TRUE(git.descendsFrom(head, sha)) << visit << " " << sha;
  }

  int eventsOfType(const std::string& type) {
    int n = 0;
    auto events = store_->listEvents(tenant_, workflow_, 0, 1000).value();
    for (const auto& e : events) n += e.type == type;
    return n;
  }

  ExecutionCheckpoint checkpoint(core::Id exec) {
    return ExecutionCheckpoint::fromJson(execution(exec).checkpoint).value();
  }

  std::string repository_url_;  // the workflows'
  std::map<std::string, std::string> reference_files_;
  std::vector<std::string> reference_messages_;
};

class WorkspaceRebuildAfterCrashTest : public WorkspaceRebuildTest,
                                       public ::testing::WithParamInterface<std::pair<const char*, int>> {};

TEST_P(WorkspaceRebuildAfterCrashTest, AnotherHostRebuildsTheWorkspaceAndResumes) {
  runReference();
  auto [point, nth] = GetParam();
  auto exec = crashAt(point, nth);
  int paid = provider_->calls.load();
  fs::remove_all(workspace());  // the worker that takes over has no copy

  auto other_host = makeEngine();
  auto resumed = run(*other_host, exec);
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  ASSERT_EQ(*resumed, RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(paid + provider_->calls.load(), 8) << "no model call is made twice";
  EXPECT_EQ(eventsOfType("workspace.rebuilt"), 1);
  expectLikeTheReference(exec);
}

INSTANTIATE_TEST_SUITE_P(CrashPoints, WorkspaceRebuildAfterCrashTest,
                         // after_tools: 1 the planner's answer, 2 alpha.txt written, 4 beta.txt
                         ::testing::Values(std::pair{"after_llm_call", 1}, std::pair{"after_tools", 1},
                                           std::pair{"after_tools", 2}, std::pair{"after_tools", 4},
                                           std::pair{"after_stage", 1}, std::pair{"after_stage", 2},
                                           std::pair{"after_llm_call", 7}));

TEST_F(WorkspaceRebuildTest, OnOneHostTheWorkspaceThereIsKept) {
  runReference();
  auto exec = crashAt("after_tools", 2);
  std::ofstream(workspace() / ".git" / "left-by-this-host") << "kept\n";
  auto restarted = makeEngine();
  ASSERT_EQ(*run(*restarted, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_TRUE(fs::exists(workspace() / ".git" / "left-by-this-host")) << "the workspace was made again";
  EXPECT_EQ(eventsOfType("workspace.rebuilt"), 0);
  expectLikeTheReference(exec);
}

TEST_F(WorkspaceRebuildTest, AnOlderCopyOfAnotherHostIsNotRunOn) {
  runReference();
  // Host A wrote alpha.txt and stopped; its copy stays on its disk.
  auto exec = crashAt("after_tools", 2);
  fs::path host_a = dir_.path() / "host-a";
  fs::copy(workspace(), host_a, fs::copy_options::recursive);
  // Host B takes over, rebuilds, writes beta.txt and stops too.
  fs::remove_all(workspace());
  int seen = 0;
  auto host_b = makeEngine([&](const std::string& at) { return at == "after_tools" && ++seen == 2; });
  EXPECT_FALSE(run(*host_b, exec).ok());
  EXPECT_TRUE(fs::exists(workspace() / "beta.txt"));
  // Host A takes it back with its own, older copy: same commits, but not
  // the tree of the last checkpoint (no beta.txt).
  fs::remove_all(workspace());
  fs::rename(host_a, workspace());
  auto again = makeEngine();
  ASSERT_EQ(*run(*again, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(eventsOfType("workspace.rebuilt"), 2);
  expectLikeTheReference(exec);
}

TEST_F(WorkspaceRebuildTest, ACheckpointFromBeforeTheStoreKeptWorkspacesStartsItsLog) {
  runReference();
  // An older codecrew wrote the checkpoint: no workspace log, no steps.
  workspaces_root_.clear();
  auto exec = crashAt("after_tools", 4);
  int paid = provider_->calls.load();
  EXPECT_FALSE(checkpoint(exec).workspace_log.held());
  // This one resumes it on the same host and starts the log from what the
  // workspace holds (the base, PLANNING's commit, BUILD's changes so far).
  workspaces_root_ = dir_.path();
  int seen = 0;
  auto upgraded = makeEngine([&](const std::string& at) { return at == "after_tools" && ++seen == 1; });
  EXPECT_FALSE(run(*upgraded, exec).ok());
  paid += provider_->calls.load();
  auto log = checkpoint(exec).workspace_log;
  EXPECT_TRUE(log.held());
  EXPECT_EQ(log.steps, 2);
  EXPECT_FALSE(log.changes.empty());
  // So another host can take it over.
  fs::remove_all(workspace());
  auto other_host = makeEngine();
  ASSERT_EQ(*run(*other_host, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(paid + provider_->calls.load(), 8);
  EXPECT_EQ(eventsOfType("workspace.rebuilt"), 1);
  expectLikeTheReference(exec);
}

// Workflows on a local repository: the base comes from a clone of it, not
// from the store.
class WorkspaceRebuildFromRepositoryTest : public WorkspaceRebuildTest {
 protected:
  void SetUp() override {
    WorkspaceRebuildTest::SetUp();
    upstream_ = dir_.path() / "upstream";
    makeUpstream("the project");
    repositories_ = RepositoryPolicy({}, {}, {upstream_});
    repository_url_ = upstream_.string();
  }

  void makeUpstream(const std::string& message) {
    auto git = tools::GitRepository::openOrInit(upstream_.string()).value();
    writeFile(upstream_ / "README.md", message + "\n");
    ASSERT_TRUE(git.commitAll({"someone", "someone@example.com"}, message).ok());
  }

  fs::path upstream_;
};

TEST_F(WorkspaceRebuildFromRepositoryTest, TheBaseIsClonedAgain) {
  runReference();
  auto exec = crashAt("after_tools", 4);
  int paid = provider_->calls.load();
  EXPECT_FALSE(checkpoint(exec).workspace_log.base_in_store);
  EXPECT_EQ(checkpoint(exec).workspace_log.steps, 1) << "PLANNING's commit only";
  fs::remove_all(workspace());
  auto other_host = makeEngine();
  ASSERT_EQ(*run(*other_host, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(paid + provider_->calls.load(), 8);
  EXPECT_EQ(filesOf(workspace()).at("README.md"), "the project\n");
  expectLikeTheReference(exec);
}

TEST_F(WorkspaceRebuildFromRepositoryTest, ARepositoryWithoutTheBaseFailsResumably) {
  runReference();
  auto exec = crashAt("after_stage", 1);
  int paid = provider_->calls.load();
  fs::remove_all(workspace());
  // The repository was made anew meanwhile: the execution's base is not in it.
  fs::path away = dir_.path() / "upstream-away";
  fs::rename(upstream_, away);
  makeUpstream("another project");
  auto other_host = makeEngine();
  ASSERT_EQ(*run(*other_host, exec), RunOutcome::kFailed);
  auto failed = execution(exec);
  EXPECT_NE(failed.error.find("the base commit " + checkpoint(exec).base_commit + " is not in"), std::string::npos)
      << failed.error;
  EXPECT_TRUE(checkpoint(exec).resumable_failure);
  EXPECT_FALSE(fs::exists(workspace()));
  EXPECT_EQ(provider_->calls.load(), 0);

  fs::remove_all(upstream_);
  fs::rename(away, upstream_);
  auto healthy = makeEngine();
  ASSERT_TRUE(healthy->prepareResume(tenant_, exec).ok());
  ASSERT_EQ(*run(*healthy, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(paid + provider_->calls.load(), 8);
  expectLikeTheReference(exec);
}

// A store whose workspace steps come back damaged.
class DamagedSteps final : public store::StoreWrapper {
 public:
  DamagedSteps(std::shared_ptr<store::Store> target, std::function<void(std::vector<store::WorkspaceStep>&)> damage)
      : StoreWrapper(std::move(target)), damage_(std::move(damage)) {}
  store::Result<std::vector<store::WorkspaceStep>> listWorkspaceSteps(core::Id tenant_id,
                                                                      core::Id execution_id) override {
    auto steps = StoreWrapper::listWorkspaceSteps(tenant_id, execution_id);
    if (steps) damage_(*steps);
    return steps;
  }

 private:
  std::function<void(std::vector<store::WorkspaceStep>&)> damage_;
};

struct Damage {
  const char* name;
  const char* crash_point;  // where the first host stopped
  int nth;
  std::function<void(std::vector<store::WorkspaceStep>&)> damage;
  const char* reason;  // in the execution's error
};

class WorkspaceRebuildDamageTest : public WorkspaceRebuildTest, public ::testing::WithParamInterface<Damage> {};

TEST_P(WorkspaceRebuildDamageTest, FailsResumablyWithTheReasonAndLeavesNothingToRunOn) {
  runReference();
  const auto& damage = GetParam();
  auto exec = crashAt(damage.crash_point, damage.nth);
  int paid = provider_->calls.load();
  fs::remove_all(workspace());

  auto real = store_;
  store_ = std::make_shared<DamagedSteps>(real, damage.damage);
  auto other_host = makeEngine();
  auto outcome = run(*other_host, exec);
  store_ = real;
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(*outcome, RunOutcome::kFailed);
  auto failed = execution(exec);
  EXPECT_EQ(failed.status, store::RunStatus::kFailed);
  EXPECT_NE(failed.error.find("cannot rebuild the workspace"), std::string::npos) << failed.error;
  EXPECT_NE(failed.error.find(damage.reason), std::string::npos) << failed.error;
  EXPECT_TRUE(ExecutionCheckpoint::fromJson(failed.checkpoint)->resumable_failure);
  EXPECT_EQ(provider_->calls.load(), 0) << "nothing ran";
  EXPECT_FALSE(fs::exists(workspace())) << "a half-made workspace was left";
  EXPECT_FALSE(fs::exists(workspace().string() + ".rebuild"));

  // Once the store holds the steps again, a resume rebuilds and finishes.
  auto healthy = makeEngine();
  ASSERT_TRUE(healthy->prepareResume(tenant_, exec).ok());
  ASSERT_EQ(*run(*healthy, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(paid + provider_->calls.load(), 8);
  expectLikeTheReference(exec);
}

void dropStep(std::vector<store::WorkspaceStep>& steps, int seq) {
  std::erase_if(steps, [&](const store::WorkspaceStep& s) { return s.seq == seq; });
}

void tamperWith(std::vector<store::WorkspaceStep>& steps, int seq) {
  for (auto& s : steps)
    if (s.seq == seq)
      for (auto at = s.patch.find("content of"); at != std::string::npos; at = s.patch.find("content of"))
        s.patch.replace(at, 10, "CONTENT OF");
}

INSTANTIATE_TEST_SUITE_P(
    Damages, WorkspaceRebuildDamageTest,
    ::testing::Values(
        // Steps: 1 the base (an initial import), 2 PLANNING's commit, 3 BUILD's.
        Damage{"LostCommit", "after_stage", 2, [](auto& steps) { dropStep(steps, 2); }, "lost workspace step 2"},
        Damage{"CorruptCommit", "after_stage", 2, [](auto& steps) { tamperWith(steps, 3); }, "workspace step 3"},
        Damage{"LostChanges", "after_tools", 2, [](auto& steps) { dropStep(steps, 0); }, "uncommitted changes"},
        Damage{"CorruptChanges", "after_tools", 2, [](auto& steps) { tamperWith(steps, 0); }, "uncommitted changes"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace codecrew::engine::test
