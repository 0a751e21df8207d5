#include "engine/workspace_changes.h"

#include "engine/split_diff.h"
#include "tools/git/git_repository.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace codecrew::engine {
namespace fs = std::filesystem;

namespace {

bool crewNote(const std::string& path) { return path.starts_with("docs/crew/"); }

core::Result<std::string> readWhole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return core::Error::internal("cannot read '" + p.string() + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

core::Result<WorkspaceChanges> collectWorkspaceChanges(const fs::path& dir, const std::string& base_commit) {
  auto repo = tools::GitRepository::open(dir.string());
  if (!repo) return repo.error();
  auto changed = repo->changedFilesSince(base_commit);
  if (!changed) return changed.error();
  auto diff = repo->diffAgainst(base_commit);
  if (!diff) return diff.error();
  WorkspaceChanges out;
  for (const auto& c : *changed) {
    if (crewNote(c.path)) continue;
    if (c.kind == tools::ChangeKind::kRenamed && !crewNote(c.oldPath)) out.files.push_back({c.oldPath, "deleted", ""});
    if (c.kind == tools::ChangeKind::kDeleted) {
      out.files.push_back({c.path, "deleted", ""});
      continue;
    }
    auto content = readWhole(dir / c.path);
    if (!content) return content.error();
    bool added = c.kind == tools::ChangeKind::kAdded || c.kind == tools::ChangeKind::kUntracked ||
                 c.kind == tools::ChangeKind::kRenamed;
    out.files.push_back({c.path, added ? "added" : "modified", std::move(content).value()});
  }
  std::sort(out.files.begin(), out.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  for (const auto& [path, chunk] : splitDiff(*diff))
    if (!crewNote(path)) out.diff += chunk;
  return out;
}

core::Result<std::string> seedWorkspace(const fs::path& dir,
                                        const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return core::Error::internal("cannot create '" + dir.string() + "': " + ec.message());
  auto repo = tools::GitRepository::openOrInit(dir.string());
  if (!repo) return repo.error();
  bool has_ignore = false;
  for (const auto& [path, content] : files) {
    has_ignore = has_ignore || path == ".gitignore";
    fs::path p = dir / path;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) return core::Error::internal("cannot write '" + p.string() + "'");
  }
  if (!has_ignore) std::ofstream(dir / ".gitignore", std::ios::app) << "";
  return repo->commitAll({"codecrew", "codecrew@codecrew.local"}, "codecrew: the user's files");
}

}  // namespace codecrew::engine
