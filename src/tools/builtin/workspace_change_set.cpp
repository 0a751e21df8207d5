#include "tools/builtin/workspace_change_set.h"

#include "tools/workspace/path_guard.h"

#include <boost/json.hpp>

namespace codecrew::tools {

using core::ErrorCode;

code::FileSource WorkspaceChangeSet::source() {
  return [this](const std::string& path) -> std::optional<std::string> { return original(path); };
}

const std::optional<std::string>& WorkspaceChangeSet::original(const std::string& path) {
  if (auto it = originals_.find(path); it != originals_.end()) return it->second;
  std::optional<std::string> content;
  auto read = workspace_.readFile(path);
  if (read) {
    content = std::move(read.value());
  } else if (read.error().code != ErrorCode::kNotFound && !readFailure_) {
    readFailure_ = read.error();
  }
  return originals_.emplace(path, std::move(content)).first->second;
}

core::Status WorkspaceChangeSet::checkTarget(const code::FileChange& change) {
  auto normalized = normalizeRelativePath(change.path, workspace_.limits());
  if (!normalized) return normalized.error();
  if (normalized->empty()) {
    return pathError(ErrorCode::kPermissionDenied, change.path, "workspace_root",
                     "the workspace root itself cannot be changed");
  }
  if (isInsideGitDir(*normalized)) {
    return pathError(ErrorCode::kPermissionDenied, change.path, "protected_git_dir",
                     ".git is managed by the git tools and cannot be changed directly");
  }
  if (change.content && change.content->size() > workspace_.limits().maxFileBytes) {
    return pathError(ErrorCode::kInvalidArgument, change.path, "size_limit",
                     "the edited file would have " + std::to_string(change.content->size()) +
                         " bytes, over the limit of " + std::to_string(workspace_.limits().maxFileBytes));
  }
  const auto before = readFailure_;
  original(change.path);
  if (readFailure_ && !before) return *readFailure_;
  return core::okStatus();
}

core::Status WorkspaceChangeSet::applyOne(const code::FileChange& change) {
  if (change.content) return workspace_.writeFile(change.path, *change.content);
  return workspace_.remove(change.path, false);
}

void WorkspaceChangeSet::rollBack(const std::vector<const code::FileChange*>& done) {
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    const std::optional<std::string>& before = originals_.at((*it)->path);
    if (before) {
      (void)workspace_.writeFile((*it)->path, *before);
    } else {
      (void)workspace_.remove((*it)->path, false);
    }
  }
}

core::Result<std::vector<CommittedChange>> WorkspaceChangeSet::commit(const std::vector<code::FileChange>& changes) {
  if (readFailure_) return *readFailure_;
  for (const auto& change : changes) {
    if (auto checked = checkTarget(change); !checked) return checked.error();
  }
  std::vector<CommittedChange> out;
  std::vector<const code::FileChange*> done;
  for (const auto& change : changes) {
    const std::optional<std::string>& before = originals_.at(change.path);
    CommittedChange committed{change.path, "", change.renamedFrom, change.hunks};
    if (before == change.content) {
      committed.action = "unchanged";
    } else {
      if (auto applied = applyOne(change); !applied) {
        rollBack(done);
        core::Error error = applied.error();
        boost::json::object details = error.details.is_object() ? error.details.as_object() : boost::json::object{};
        details["rolled_back"] = true;
        error.details = std::move(details);
        error.message += " (the edit's other files were restored)";
        return error;
      }
      done.push_back(&change);
      committed.action = !change.content ? "deleted" : (before ? "modified" : "created");
    }
    out.push_back(std::move(committed));
  }
  return out;
}

boost::json::array committedChangesToJson(const std::vector<CommittedChange>& changes) {
  boost::json::array files;
  for (const auto& change : changes) {
    boost::json::object file{{"path", change.path}, {"action", change.action}};
    if (!change.renamedFrom.empty()) file["renamed_from"] = change.renamedFrom;
    if (!change.hunks.empty()) {
      boost::json::array hunks;
      for (const auto& h : change.hunks) {
        hunks.push_back(boost::json::object{
            {"hunk", h.hunk}, {"line", h.line}, {"offset", h.offset}, {"whitespace_fuzz", h.whitespaceFuzz}});
      }
      file["hunks"] = std::move(hunks);
    }
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace codecrew::tools
