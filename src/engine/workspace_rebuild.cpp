#include "engine/workspace_rebuild.h"

#include "core/crypto.h"
#include "engine/workspace_recorder.h"
#include "tools/git/git_repository.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace codecrew::engine {
namespace fs = std::filesystem;

namespace {

constexpr const char* kCopyIdFile = "codecrew-workspace-copy";

core::Error unrebuildable(std::string message) {
  return core::Error{core::ErrorCode::kFailedPrecondition, std::move(message), nullptr};
}

// The commits the store holds, 1..log.steps, decoded, in order.
core::Result<std::vector<store::WorkspaceStep>> heldCommits(const WorkspaceRebuild& r) {
  std::vector<store::WorkspaceStep> commits;
  for (const auto& step : r.steps) {
    if (step.seq < 1 || step.seq > r.log.steps) continue;
    if (step.seq != static_cast<int>(commits.size()) + 1)
      return unrebuildable("the store has lost workspace step " + std::to_string(commits.size() + 1) + " of " +
                           std::to_string(r.log.steps));
    commits.push_back(step);
    if (auto ok = decodeWorkspaceStep(commits.back()); !ok) return ok.error();
  }
  if (static_cast<int>(commits.size()) != r.log.steps)
    return unrebuildable("the store holds " + std::to_string(commits.size()) + " of the workspace's " +
                         std::to_string(r.log.steps) + " commits");
  return commits;
}

// The uncommitted changes the log names ("" when none), checked.
core::Result<std::string> heldChanges(const WorkspaceRebuild& r) {
  if (r.log.changes.empty()) return std::string();
  for (auto step : r.steps) {
    if (step.seq != 0) continue;
    if (auto ok = decodeWorkspaceStep(step); !ok) return ok.error();
    if (core::sha256Hex(step.patch) != r.log.changes) break;
    return step.patch;
  }
  return unrebuildable("the store does not hold the workspace's uncommitted changes of the last checkpoint (sha256 " +
                       r.log.changes + ")");
}

core::Status makeCopy(const WorkspaceRebuild& r, const fs::path& dir) {
  auto commits = heldCommits(r);
  if (!commits) return commits.error();
  auto changes = heldChanges(r);
  if (!changes) return changes.error();
  std::error_code ec;
  if (r.log.base_in_store) {
    fs::create_directories(dir, ec);
    if (ec) return core::Error::internal("cannot create '" + dir.string() + "': " + ec.message());
  } else {
    WorkspaceSource source = r.source;
    source.dir = dir;
    if (auto ok = prepareWorkspace(source); !ok) {
      auto e = ok.error();
      e.message = "cannot get the base from '" + r.source.repository_url + "': " + e.message;
      return e;
    }
  }
  auto git = tools::GitRepository::openOrInit(dir.string());
  if (!git) return git.error();
  if (!r.log.base_in_store && !git->descendsFrom(r.base_commit, r.base_commit))
    return unrebuildable("the base commit " + r.base_commit + " is not in '" + r.source.repository_url + "'");
  for (const auto& step : *commits) {
    auto sha = git->restoreCommit(step.object, step.patch);
    if (!sha) return unrebuildable("workspace step " + std::to_string(step.seq) + ": " + sha.error().message);
    if (*sha != step.commit)
      return unrebuildable("workspace step " + std::to_string(step.seq) + " holds commit " + *sha + ", not " +
                           step.commit);
  }
  if (!git->descendsFrom(r.log.head, r.log.head))
    return unrebuildable("the workspace's last commit " + r.log.head + " is not among the steps the store holds");
  if (auto ok = git->resetBranch(r.branch, r.log.head); !ok) return ok;
  if (auto ok = git->applyToWorkingTree(*changes); !ok)
    return unrebuildable("the uncommitted changes of the last checkpoint: " + ok.error().message);
  return core::okStatus();
}

}  // namespace

std::string workspaceCopyId(const fs::path& dir) {
  std::ifstream in(dir / ".git" / kCopyIdFile);
  std::string id;
  std::getline(in, id);
  return id;
}

core::Result<std::string> ensureWorkspaceCopyId(const fs::path& dir) {
  std::string id = workspaceCopyId(dir);
  if (!id.empty()) return id;
  id = core::randomHex(16);
  std::ofstream out(dir / ".git" / kCopyIdFile, std::ios::trunc);
  out << id << "\n";
  if (!out) return core::Error::internal("cannot write the workspace's copy id in '" + dir.string() + "/.git'");
  return id;
}

bool workspaceHolds(const fs::path& dir, const WorkspaceLog& log) {
  if (log.copy.empty() || workspaceCopyId(dir) != log.copy) return false;
  auto git = tools::GitRepository::open(dir.string());
  if (!git) return false;
  auto head = git->headCommit();
  return head && git->descendsFrom(*head, log.head);
}

core::Status rebuildWorkspace(const WorkspaceRebuild& r) {
  const fs::path& dir = r.source.dir;
  fs::path copy = dir;
  copy += ".rebuild";
  fs::path partial_clone = copy;
  partial_clone += ".partial";  // workspace_preparation's, cloning into copy
  std::error_code ec;
  fs::remove_all(copy, ec);  // a rebuild a crash interrupted
  if (auto made = makeCopy(r, copy); !made) {
    fs::remove_all(copy, ec);
    fs::remove_all(partial_clone, ec);
    return made;
  }
  fs::remove_all(dir, ec);
  if (ec) return core::Error::internal("cannot remove the old workspace '" + dir.string() + "': " + ec.message());
  fs::rename(copy, dir, ec);
  if (ec)
    return core::Error::internal("cannot move the rebuilt workspace into '" + dir.string() + "': " + ec.message());
  return core::okStatus();
}

}  // namespace codecrew::engine
